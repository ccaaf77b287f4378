/**
 * Where the time goes in one fused training step (Node, cpu backend):
 * `npx tsx bench/breakdown.ts [lstm|gru] [wasm|js]`.
 *
 * Times `model.fit` steps of the course model and, inside them, the fused recurrent
 * forward and backward kernels, the embedding lookup, and the Adam update; the rest is
 * tfjs (Dense, loss, metrics, the gradient tape, fit's batching). Reports the best of
 * several rounds, in wall time and in process CPU time (CPU time is less disturbed when
 * other processes share the machine).
 */
import * as tf from '@tensorflow/tfjs';
import * as rnn from '../src/rnn/index';
import { getKernels } from '../src/rnn/kernels/index';
import { STEPS_PER_EPOCH, buildModel, makeData, type RnnLike } from './workload';

type Timed = Record<string, number>;

function wrap(obj: Record<string, unknown>, name: string, label: string, acc: { t: Timed }): void {
  const f = obj[name] as (...a: unknown[]) => unknown;
  obj[name] = function (this: unknown, ...a: unknown[]) {
    const t0 = performance.now();
    try {
      return f.apply(this, a);
    } finally {
      acc.t[label] = (acc.t[label] ?? 0) + performance.now() - t0;
    }
  };
}

async function main(): Promise<void> {
  const cell = (process.argv[2] ?? 'lstm') as 'lstm' | 'gru';
  const impl = (process.argv[3] ?? 'wasm') as 'wasm' | 'js';
  await tf.setBackend('cpu');
  rnn.setKernelImplementation(impl);
  const acc = { t: {} as Timed };
  const k = getKernels() as unknown as Record<string, unknown>;
  wrap(k, 'forward', 'recurrent forward (fused)', acc);
  wrap(k, 'backward', 'recurrent BPTT (fused)', acc);
  wrap(rnn.Adam.prototype as unknown as Record<string, unknown>, 'applyGradients', 'Adam (all variables)', acc);
  wrap(rnn.Embedding.prototype as unknown as Record<string, unknown>, 'call', 'embedding lookup', acc);
  const model = buildModel(tf, cell, rnn as unknown as RnnLike);
  const { x, y } = makeData(tf);
  const S = 100;
  const bx = x.slice([0, 0], [S * 32, 100]);
  const by = y.slice([0, 0], [S * 32, 1]);
  await model.fit(bx.slice([0, 0], [64, 100]), by.slice([0, 0], [64, 1]), { batchSize: 32, epochs: 1, yieldEvery: 'never' });
  let best = { wall: Infinity, cpu: Infinity, parts: {} as Timed };
  for (let r = 0; r < 5; r++) {
    acc.t = {};
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await model.fit(bx, by, { batchSize: 32, epochs: 1, yieldEvery: 'never' });
    const wall = (performance.now() - t0) / S;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1000 / S;
    if (cpu < best.cpu) best = { wall, cpu, parts: acc.t };
  }
  // The embedding gradient (zero a [10000, 32] buffer, scatter-add 3200 rows) runs inside
  // tfjs's backprop; time the same work directly.
  const g = new Float32Array(10000 * 32);
  const ids = bx.slice([0, 0], [32, 100]).dataSync();
  const dy = new Float32Array(3200 * 32).fill(1e-3);
  const e0 = performance.now();
  for (let r = 0; r < 50; r++) {
    g.fill(0);
    for (let n = 0; n < ids.length; n++) for (let e = 0; e < 32; e++) g[ids[n] * 32 + e] += dy[n * 32 + e];
  }
  const embGrad = (performance.now() - e0) / 50;
  console.log(`${cell.toUpperCase()} (${rnn.kernelImplementationName()}), best of 5 x ${S} steps: ${best.wall.toFixed(2)} ms/step wall, ${best.cpu.toFixed(2)} ms/step CPU -> ${((best.cpu * STEPS_PER_EPOCH) / 1000).toFixed(2)} s/epoch CPU`);
  let known = 0;
  for (const [label, ms] of Object.entries(best.parts)) {
    known += ms / S;
    console.log(`  ${label.padEnd(28)} ${(ms / S).toFixed(2)} ms`);
  }
  console.log(`  ${'embedding gradient (direct)'.padEnd(28)} ${embGrad.toFixed(2)} ms`);
  console.log(`  ${'rest (tfjs ops, tape, fit)'.padEnd(28)} ${(best.wall - known - embGrad).toFixed(2)} ms (wall minus the above)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
