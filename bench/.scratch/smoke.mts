import * as tf from '@tensorflow/tfjs';
import * as rnn from '../../src/rnn/index';
await tf.setBackend('cpu');
const m = tf.sequential();
m.add(rnn.embedding({ inputDim: 10000, outputDim: 32, inputLength: 100 }));
m.add(rnn.lstm({ units: 5 }));
m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
m.summary();
const g = tf.sequential(); g.add(rnn.gru({units:5, inputShape:[100,32]})); console.log('gru', g.countParams());
const b = tf.sequential(); b.add(rnn.bidirectional({layer: rnn.lstm({units:5}), inputShape:[100,32]})); b.summary();
m.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const x = tf.randomUniform([320, 100], 0, 10000, 'int32'); const y = tf.randomUniform([320,1],0,2,'int32').toFloat();
let t0 = performance.now();
const h = await m.fit(x, y, { batchSize: 32, epochs: 1, yieldEvery: 'never' });
console.log('10 steps ms', performance.now() - t0, h.history);
// fused vs reference
for (const kind of ['lstm','gru','simple','gru0']) {
  const mk = (fused: boolean) => kind==='lstm'? rnn.lstm({units:4, returnSequences:true, fused}) : kind==='gru' ? rnn.gru({units:4, returnSequences:true, fused}) : kind==='gru0'? rnn.gru({units:4, returnSequences:true, fused, resetAfter:false}) : rnn.simpleRNN({units:4, returnSequences:true, fused});
  const a = mk(true), r = mk(false);
  const xi = tf.randomNormal([3,5,3]);
  a.apply(xi); r.apply(xi); r.setWeights(a.getWeights());
  const f = (l: tf.layers.Layer) => tf.variableGrads(() => (l.apply(xi) as tf.Tensor).square().sum() as tf.Scalar);
  const ya = a.apply(xi) as tf.Tensor, yr = r.apply(xi) as tf.Tensor;
  const ga = tf.grads((x: tf.Tensor, ...w: tf.Tensor[]) => { return (a.apply(x) as tf.Tensor).square().sum(); });
  const va = f(a), vr = f(r);
  const ka = Object.keys(va.grads), kr = Object.keys(vr.grads);
  console.log(kind, 'fwd diff', tf.max(tf.abs(ya.sub(yr))).dataSync()[0], ka.map((k,i)=> tf.max(tf.abs(va.grads[k].sub(vr.grads[kr[i]]))).dataSync()[0]));
}
