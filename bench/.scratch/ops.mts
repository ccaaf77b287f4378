import * as tf from '@tensorflow/tfjs';
import * as rnn from '../../src/rnn/index';
await tf.setBackend('cpu');
const m = tf.sequential();
m.add(rnn.embedding({ inputDim: 10000, outputDim: 32, inputLength: 100 }));
m.add(rnn.lstm({ units: 5 }));
m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
m.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const x = tf.randomUniform([64, 100], 0, 10000, 'int32'); const y = tf.randomUniform([64,1],0,2,'int32').toFloat();
await m.fit(x, y, { batchSize: 32, epochs: 1, yieldEvery: 'never' });
const prof = await tf.profile(async () => { await m.fit(x.slice(0,32), y.slice(0,32), { batchSize: 32, epochs: 1, yieldEvery: 'never' }); });
const counts: Record<string, [number, number]> = {};
for (const k of prof.kernels) { const c = counts[k.name] ?? [0, 0]; c[0]++; c[1] += (k as any).kernelTimeMs ?? 0; counts[k.name] = c; }
console.log('kernels', prof.kernels.length, 'newTensors', prof.newTensors, 'peakBytes', prof.peakBytes);
console.log(Object.entries(counts).sort((a,b)=>b[1][1]-a[1][1]).map(([k,[n,t]])=>`${k} x${n} ${t.toFixed(2)}ms`).join('\n'));
