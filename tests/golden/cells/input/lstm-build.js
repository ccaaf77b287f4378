const model = tf.sequential();
model.add(rnn.embedding({ inputDim: 10000, outputDim: 32, inputLength: 100 }));
model.add(rnn.lstm({ units: 5 }));
model.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
model
