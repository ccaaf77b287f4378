import * as tf from '@tensorflow/tfjs';
import * as rnn from '../../src/rnn/index';
import { getKernels } from '../../src/rnn/kernels/index';
await tf.setBackend('cpu');
rnn.setKernelImplementation((process.argv[2] ?? 'wasm') as any);
const cell = process.argv[3] ?? 'lstm';
const K: any = getKernels();
let T: Record<string, number> = {};
const wrap = (obj: any, name: string, label: string) => { const f = obj[name]; obj[name] = function (...a: any[]) { const t0 = performance.now(); try { return f.apply(this, a); } finally { T[label] = (T[label] ?? 0) + performance.now() - t0; } }; };
wrap(K, 'forward', 'rnn fwd'); wrap(K, 'backward', 'rnn bwd');
wrap(rnn.Adam.prototype, 'applyGradients', 'adam total');
wrap(rnn.Embedding.prototype, 'call', 'embedding call');
const m = tf.sequential();
m.add(rnn.embedding({ inputDim: 10000, outputDim: 32, inputLength: 100 }));
m.add(cell === 'lstm' ? rnn.lstm({ units: 5 }) : rnn.gru({ units: 5 }));
m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
m.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const S = 20, n = 32 * S;
const x = tf.randomUniform([n, 100], 0, 10000, 'int32'); const y = tf.randomUniform([n,1],0,2,'int32').toFloat();
await m.fit(x.slice(0, 64), y.slice(0, 64), { batchSize: 32, epochs: 1, yieldEvery: 'never' });
let best = 1e9, bestT: Record<string, number> = {};
for (let r = 0; r < 6; r++) {
  T = {};
  const t0 = performance.now(); const c0 = process.cpuUsage();
  await m.fit(x, y, { batchSize: 32, epochs: 1, yieldEvery: 'never' });
  const c1 = process.cpuUsage(c0); const cpu = (c1.user + c1.system) / 1000 / S;
  const ms = (performance.now() - t0) / S; console.log('  round wall', ms.toFixed(2), 'cpu', cpu.toFixed(2));
  if (ms < best) { best = ms; bestT = T; }
}
console.log(cell, K.name, 'fit best ms/step', best.toFixed(2), '-> s/epoch', (best * 782 / 1000).toFixed(2));
for (const [k, v] of Object.entries(bestT)) console.log('  ', k.padEnd(16), (v / S).toFixed(2));
const opt = rnn.adam();
const xb = x.slice(0, 32), yb = y.slice(0, 32);
best = 1e9;
for (let r = 0; r < 6; r++) { const t0 = performance.now(); for (let i = 0; i < 10; i++) tf.tidy(() => { opt.minimize(() => tf.losses.sigmoidCrossEntropy(yb, m.apply(xb) as tf.Tensor) as tf.Scalar); }); best = Math.min(best, (performance.now() - t0) / 10); }
console.log('manual minimize best ms/step', best.toFixed(2));
