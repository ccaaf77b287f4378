/**
 * The resident-memory WebAssembly path (src/rnn/kernels/wasm.ts, resident.ts, wasm/ops.c):
 * the embedding's gather and scatter-add and tfjs's Adam formula agree with plain JS
 * definitions; training with the WebAssembly kernels gives the same weights as the JS
 * kernels for every spelling (rnn.adam, tf.train.adam, 'adam'; rnn.embedding and
 * tf.layers.embedding); tensors backed by WebAssembly memory survive its growth; a training
 * step allocates no new WebAssembly memory once warm.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';
import { getWasmKernels } from '../../src/rnn/kernels/index';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a / 4294967296 - 0.5;
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  rnn.setKernelImplementation('auto');
});

describe('WebAssembly table operations', () => {
  const V = 50;
  const E = 7; // not a multiple of 4: the scalar tails run too
  const r = rng(11);
  const table = Float32Array.from({ length: V * E }, () => r());
  const ids = Int32Array.from({ length: 33 }, (_, i) => (i * 17 + 3) % V);

  it('gather copies the rows of the ids, and refuses an id outside [0, V)', () => {
    const wk = getWasmKernels()!;
    expect(wk).not.toBeNull();
    const ptr = wk.heap.alloc(ids.length * E);
    wk.gather(ids, table, V, E, ptr);
    const got = wk.heap.f32(ptr, ids.length * E);
    for (let n = 0; n < ids.length; n++) {
      for (let e = 0; e < E; e++) expect(got[n * E + e]).toBe(table[ids[n] * E + e]);
    }
    expect(() => wk.gather(Int32Array.from([1, V]), table, V, E, ptr)).toThrow(/id 50 is outside \[0, 50\)/);
    expect(() => wk.gather(Int32Array.from([-1]), table, V, E, ptr)).toThrow(/id -1/);
    wk.heap.free(ptr);
  });

  it('scatter-add sums the rows of dy into the table (zeroed first, or accumulating)', () => {
    const wk = getWasmKernels()!;
    const dy = Float32Array.from({ length: ids.length * E }, () => r());
    const want = new Float32Array(V * E);
    for (let n = 0; n < ids.length; n++) for (let e = 0; e < E; e++) want[ids[n] * E + e] += dy[n * E + e];
    const ptr = wk.heap.alloc(V * E);
    wk.heap.f32(ptr, V * E).fill(123);
    wk.scatterAdd(ids, dy, V, E, ptr, true);
    const got = wk.heap.f32(ptr, V * E);
    for (let i = 0; i < V * E; i++) expect(got[i]).toBeCloseTo(want[i], 6);
    wk.scatterAdd(ids, dy, V, E, ptr, false);
    const twice = wk.heap.f32(ptr, V * E);
    for (let i = 0; i < V * E; i++) expect(twice[i]).toBeCloseTo(2 * want[i], 5);
    wk.heap.free(ptr);
  });

  it("tfjs's Adam formula (stepTfjs) matches its definition", () => {
    const wk = getWasmKernels()!;
    const n = 1003;
    const w = Float32Array.from({ length: n }, () => r());
    const wRef = Float64Array.from(w);
    const m = new Float64Array(n);
    const v = new Float64Array(n);
    const s = wk.createAdamState(n);
    const [lr, b1, b2, eps] = [0.01, 0.9, 0.999, 1e-7];
    for (let t = 1; t <= 4; t++) {
      const g = Float32Array.from({ length: n }, () => r());
      const c1 = 1 / (1 - b1 ** t);
      const c2 = 1 / (1 - b2 ** t);
      s.stepTfjs(w, g, lr, b1, b2, eps, c1, c2);
      for (let i = 0; i < n; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        wRef[i] -= (lr * m[i] * c1) / (Math.sqrt(v[i] * c2) + eps);
      }
    }
    for (let i = 0; i < n; i++) expect(Math.abs(w[i] - wRef[i])).toBeLessThan(1e-5);
    s.dispose();
  });
});

type Spell = { embedding: 'rnn' | 'tf'; optimizer: 'rnn' | 'tf.train.adam' | "'adam'" };

/** A small embedding model trained 3 steps; returns its weights. */
async function train(kernels: 'auto' | 'js', spell: Spell): Promise<Float32Array[]> {
  rnn.setKernelImplementation(kernels);
  try {
    rnn.resetLayerNames();
    const V = 40;
    const model = tf.sequential();
    const embArgs = { inputDim: V, outputDim: 6, inputLength: 5, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 1 }) };
    model.add(spell.embedding === 'rnn' ? rnn.embedding(embArgs as never) : tf.layers.embedding(embArgs));
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
    const optimizer = spell.optimizer === 'rnn' ? rnn.adam({ learningRate: 0.01 }) : spell.optimizer === 'tf.train.adam' ? tf.train.adam(0.01) : 'adam';
    model.compile({ optimizer, loss: 'binaryCrossentropy' });
    const r = rng(5);
    const x = tf.tensor2d(Array.from({ length: 64 * 5 }, () => Math.floor((r() + 0.5) * V)), [64, 5], 'int32');
    const y = tf.tensor2d(Array.from({ length: 64 }, (_, i) => i % 2), [64, 1]);
    await model.fit(x, y, { batchSize: 16, epochs: 1, shuffle: false, verbose: 0 });
    const weights = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
    tf.dispose([x, y]);
    model.dispose();
    return weights;
  } finally {
    rnn.setKernelImplementation('auto');
  }
}

describe('every spelling gives the same numbers on the WebAssembly path as on plain tfjs / JS', () => {
  const spells: Spell[] = [
    { embedding: 'rnn', optimizer: 'rnn' },
    { embedding: 'tf', optimizer: 'rnn' },
    { embedding: 'rnn', optimizer: 'tf.train.adam' },
    { embedding: 'tf', optimizer: "'adam'" },
  ];
  for (const spell of spells) {
    it(`embedding ${spell.embedding}, optimizer ${spell.optimizer}`, async () => {
      // 'js' = the JS kernels, and tfjs's own Adam code for tf.train.adam / 'adam'.
      const ref = await train('js', spell);
      const got = await train('auto', spell);
      expect(got.length).toBe(ref.length);
      let moved = 0;
      for (let k = 0; k < ref.length; k++) {
        for (let i = 0; i < ref[k].length; i++) {
          expect(Math.abs(got[k][i] - ref[k][i])).toBeLessThan(2e-6);
        }
      }
      for (let i = 0; i < got[0].length; i++) moved += Math.abs(got[0][i]);
      expect(moved).toBeGreaterThan(0);
    });
  }
});

describe('resident tensors', () => {
  it('survive a growth of the WebAssembly memory (their views are renewed)', async () => {
    const wk = getWasmKernels()!;
    const model = tf.sequential();
    model.add(rnn.embedding({ inputDim: 30, outputDim: 4, inputLength: 3 }));
    model.add(rnn.lstm({ units: 2 }));
    model.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
    model.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy' });
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32');
    const y = tf.tensor2d([[0], [1]]);
    await model.fit(x, y, { epochs: 1, verbose: 0 }); // the weights become resident
    const table = model.layers[0].getWeights()[0];
    const before = Float32Array.from(table.dataSync());
    const bytes = wk.heap.stats().memoryBytes;
    const big = wk.heap.alloc(bytes / 2); // forces the memory to grow
    expect(wk.heap.stats().memoryBytes).toBeGreaterThan(bytes);
    expect(Array.from(table.dataSync())).toEqual(Array.from(before));
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    const after = model.layers[0].getWeights()[0].dataSync();
    expect(after.length).toBe(before.length);
    expect(Array.from(after).every(Number.isFinite)).toBe(true);
    wk.heap.free(big);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a warm training step allocates no new WebAssembly memory', async () => {
    const wk = getWasmKernels()!;
    const model = tf.sequential();
    model.add(rnn.embedding({ inputDim: 100, outputDim: 8, inputLength: 10 }));
    model.add(rnn.gru({ units: 3 }));
    model.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
    model.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy' });
    const x = tf.tensor2d(Array.from({ length: 32 * 10 }, (_, i) => (i * 7) % 100), [32, 10], 'int32');
    const y = tf.tensor2d(Array.from({ length: 32 }, (_, i) => i % 2), [32, 1]);
    const opts = { batchSize: 8, epochs: 1, verbose: 0 as const, validationData: [x, y] as [tf.Tensor, tf.Tensor] };
    await model.fit(x, y, opts);
    await model.fit(x, y, opts);
    const warm = wk.heap.stats();
    for (let k = 0; k < 3; k++) await model.fit(x, y, opts);
    const after = wk.heap.stats();
    expect(after.topBytes).toBe(warm.topBytes);
    expect(after.liveBlocks).toBeLessThanOrEqual(warm.liveBlocks);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('fast cpu Transpose', () => {
  it('identity permutations share the storage; others still transpose', () => {
    const x = tf.tensor3d(Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
    expect(Array.from(tf.transpose(x, [0, 1, 2]).dataSync())).toEqual(Array.from(x.dataSync()));
    const t = tf.transpose(x, [2, 0, 1]);
    expect(t.shape).toEqual([4, 2, 3]);
    expect(t.arraySync()).toEqual(tf.tidy(() => tf.stack(tf.unstack(x, 2), 0)).arraySync());
  });
});

describe('stock recurrent layers', () => {
  it('print what is slow and the fused spelling on their first training call, once per layer', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (m: unknown) => void warnings.push(String(m));
    try {
      const model = tf.sequential();
      model.add(tf.layers.gru({ units: 2, inputShape: [3, 2], name: 'slow_gru' }));
      model.add(tf.layers.dense({ units: 1 }));
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const x = tf.ones([4, 3, 2]);
      const y = tf.ones([4, 1]);
      model.predict(x);
      expect(warnings.filter((w) => w.includes('Slow layer'))).toEqual([]); // not for inference
      await model.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0 });
      const notes = warnings.filter((w) => w.includes('Slow layer'));
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain("stock tf.layers.gru 'slow_gru'");
      expect(notes[0]).toContain('rnn.gru({ units })');
      tf.dispose([x, y]);
      model.dispose();
    } finally {
      console.warn = warn;
    }
  });

  it('name an automatically named layer as the model summary does (lstm, not lstm_LSTM1)', async () => {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (m: unknown) => void warnings.push(String(m));
    try {
      const model = tf.sequential();
      model.add(tf.layers.lstm({ units: 2, inputShape: [3, 2] }));
      model.add(tf.layers.dense({ units: 1 }));
      model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      const auto = model.layers[0]!.name;
      expect(auto).toMatch(/^lstm_LSTM\d+$/);
      const x = tf.ones([2, 3, 2]);
      const y = tf.ones([2, 1]);
      await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 });
      const note = warnings.find((w) => w.includes('Slow layer'));
      const n = Number(/\d+$/.exec(auto)![0]);
      expect(note).toContain(`stock tf.layers.lstm '${n <= 1 ? 'lstm' : `lstm_${n - 1}`}'`);
      tf.dispose([x, y]);
      model.dispose();
    } finally {
      console.warn = warn;
    }
  });
});
