const x = tf.tensor([1, 2, 3]);
const y = x.square();
