/**
 * Cost of the Keras recurrent options inside the fused kernels, against the plain fused
 * step (Node, cpu backend): `npx tsx bench/recurrent-options.ts [lstm|gru] [wasm|js]`
 * (also run at the end of `npm run bench`).
 *
 * The course model, Embedding(10000, 32) -> LSTM(5) | GRU(5) -> Dense(1), one `fit` step on
 * a batch of 32 reviews of 100 ids, in five variants: plain; a mask (Embedding maskZero,
 * reviews 'pre'-padded so that a third of the steps are padding); dropout 0.2; recurrent
 * dropout 0.2; both; Bidirectional (twice the recurrent work), without and with the mask. Reports the best of several rounds of the whole training step (what a
 * user waits for: includes the mask and dropout work done with tensor ops around the
 * kernel, and its gradient) and of the fused kernel calls alone (forward + BPTT), in process
 * CPU time, each with its ratio to the plain variant.
 */
import * as tf from '@tensorflow/tfjs';
import * as rnn from '../src/rnn/index';
import { getKernels } from '../src/rnn/kernels/index';

type Variant = { name: string; maskZero?: boolean; dropout?: number; recurrentDropout?: number; bidirectional?: boolean };
const VARIANTS: Variant[] = [
  { name: 'plain' },
  { name: 'mask (1/3 padding)', maskZero: true },
  { name: 'dropout 0.2', dropout: 0.2 },
  { name: 'recurrentDropout 0.2', recurrentDropout: 0.2 },
  { name: 'dropout + recurrentDropout', dropout: 0.2, recurrentDropout: 0.2 },
  { name: 'Bidirectional (2 layers)', bidirectional: true },
  { name: 'Bidirectional + mask', bidirectional: true, maskZero: true },
];

function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

/** Rows of the options table, one per variant. */
export async function recurrentOptionRows(cell: 'lstm' | 'gru', impl: 'wasm' | 'js', steps = 40, rounds = 5): Promise<string[]> {
  await tf.setBackend('cpu');
  rnn.setKernelImplementation(impl);
  const k = getKernels() as unknown as Record<string, (...a: unknown[]) => unknown>;
  const kernelMs = { t: 0 };
  // The layer path calls `forward`, the whole-model fused step `forwardResident`.
  const orig = { forward: k.forward, forwardResident: k.forwardResident, backward: k.backward };
  for (const name of ['forward', 'forwardResident', 'backward'] as const) {
    const f = orig[name];
    if (!f) continue;
    k[name] = function (this: unknown, ...a: unknown[]) {
      const t0 = cpuMs();
      try {
        return f.apply(this, a);
      } finally {
        kernelMs.t += cpuMs() - t0;
      }
    };
  }
  // Ids 1..9999, with the first 33 steps of every review set to padding (0).
  const ids = tf.tidy(() => {
    const r = tf.randomUniform([32 * steps, 100], 1, 10000, 'int32', 42);
    const keep = tf.concat([tf.zeros([32 * steps, 33], 'int32'), tf.ones([32 * steps, 67], 'int32')], 1);
    return tf.mul(r, keep);
  });
  const y = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([32 * steps, 1], 0, 1, 'float32', 7), 0.5), 'float32'));
  const rows: string[] = [];
  let plain = { step: 0, layer: 0 };
  // The first variant runs twice and only its second run is reported: the first run of the
  // process warms up (JIT, the first resident blocks) and made `plain` look slower than the rest.
  for (const [vi, v] of [VARIANTS[0], ...VARIANTS].entries()) {
    rnn.resetLayerNames();
    const m = tf.sequential();
    m.add(rnn.embedding({ inputDim: 10000, outputDim: 32, inputLength: 100, maskZero: v.maskZero ?? false }));
    const args = { units: 5, dropout: v.dropout ?? 0, recurrentDropout: v.recurrentDropout ?? 0, seed: 1 };
    const layer = cell === 'lstm' ? rnn.lstm(args) : rnn.gru(args);
    m.add(v.bidirectional ? rnn.bidirectional({ layer }) : layer);
    m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
    m.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy' });
    await m.fit(ids.slice([0, 0], [64, 100]), y.slice([0, 0], [64, 1]), { batchSize: 32, epochs: 1, yieldEvery: 'never' });
    let best = { step: Infinity, layer: Infinity };
    for (let r = 0; r < rounds; r++) {
      kernelMs.t = 0;
      const c0 = cpuMs();
      await m.fit(ids, y, { batchSize: 32, epochs: 1, yieldEvery: 'never' });
      const step = (cpuMs() - c0) / steps;
      const layer = kernelMs.t / steps;
      if (step < best.step) best = { step, layer };
    }
    if (vi === 0) {
      m.dispose();
      continue;
    }
    if (v.name === 'plain') plain = best;
    const path = rnn.fusedStepInfo(m).train === 'fused' ? 'fused step' : 'tfjs step';
    rows.push(
      `${cell.toUpperCase()} ${impl} | ${v.name.padEnd(27)} | step ${best.step.toFixed(2)} ms (${(best.step / plain.step).toFixed(2)}x, ${path}) | fused kernels fwd+bwd ${best.layer.toFixed(2)} ms (${(best.layer / plain.layer).toFixed(2)}x)`,
    );
    m.dispose();
  }
  Object.assign(k, orig);
  tf.dispose([ids, y]);
  return rows;
}

if (process.argv[1]?.endsWith('recurrent-options.ts')) {
  const cell = (process.argv[2] ?? 'lstm') as 'lstm' | 'gru';
  const impl = (process.argv[3] ?? 'wasm') as 'wasm' | 'js';
  recurrentOptionRows(cell, impl)
    .then((rows) => rows.forEach((r) => console.log(r)))
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
