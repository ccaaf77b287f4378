/**
 * Tensor hygiene: intermediate tensors of a run are freed, tensors reachable from the
 * notebook scope survive and stay usable, and re-running a cell that rebinds a tensor or a
 * model does not make `numTensors` grow. The numbers come from the kernel's own `result`
 * messages (`tf.memory().numTensors` after each run).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKernel, type Harness } from './kernel-harness';

let h: Harness;
beforeAll(async () => {
  h = await startKernel();
});
afterAll(() => h.dispose());

const count = async (code: string, cellId = 'cell') => {
  const out = await h.exec(code, cellId);
  expect(out.error).toBeUndefined();
  return out.result!.numTensors;
};

describe('tensor hygiene', () => {
  it('frees intermediate tensors and keeps the ones the scope holds', async () => {
    const before = await count('1');
    const after = await count('const kept = tf.ones([3]);\nkept.add(1).mul(2).square();\nconst total = kept.sum().dataSync()[0];\ntotal');
    expect(after).toBe(before + 1);
    const out = await h.exec('kept.mul(3).dataSync().join(",")');
    expect(out.result?.bundle).toEqual({ kind: 'text', text: '3,3,3' });
  });

  it('keeps tensors inside arrays and objects usable in later cells', async () => {
    await count('const data = { x: tf.ones([2]), parts: [tf.zeros([2]), { deep: tf.fill([2], 5) }] };');
    const out = await h.exec('data.x.add(data.parts[0]).add(data.parts[1].deep).dataSync().join(",")');
    expect(out.result?.bundle).toEqual({ kind: 'text', text: '6,6' });
  });

  it('does not grow when a cell that rebinds a tensor is re-run', async () => {
    const cell = 'const noise = tf.randomNormal([50, 8]);\nconst energy = noise.square().sum();\nenergy';
    const counts = [];
    for (let i = 0; i < 5; i++) counts.push(await count(cell, 'rebind'));
    expect(new Set(counts).size).toBe(1);
  });

  it('disposes a tensor replaced by plain assignment in another cell', async () => {
    const first = await count('let weights = tf.ones([4]);');
    const counts = [];
    for (let i = 0; i < 4; i++) counts.push(await count('weights = weights.add(1);'));
    expect(counts).toEqual([first, first, first, first]);
    const out = await h.exec('weights.dataSync()[0]');
    expect(out.result?.bundle).toEqual({ kind: 'text', text: '5' });
  });

  it('does not grow when a cell that builds and trains a model is re-run', async () => {
    const cell = `const net = tf.sequential();
net.add(rnn.embedding({ inputDim: 30, outputDim: 4, inputLength: 5 }));
net.add(rnn.gru({ units: 3 }));
net.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
net.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
const bx = tf.randomUniform([16, 5], 0, 30, 'int32');
const by = tf.randomUniform([16, 1]).round();
await net.fit(bx, by, { epochs: 1, batchSize: 8 });
net.predict(bx).shape`;
    const counts = [];
    for (let i = 0; i < 4; i++) counts.push(await count(cell, 'train'));
    expect(counts[1]).toBe(counts[2]);
    expect(counts[2]).toBe(counts[3]);
    const stock = 'const small = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] })] });\nsmall';
    const stockCounts = [];
    for (let i = 0; i < 3; i++) stockCounts.push(await count(stock, 'stock'));
    expect(new Set(stockCounts).size).toBe(1);
  });

  it('does not grow when a cell trains throwaway models inside a function', async () => {
    const cell = `async function trial(units) {
  const m = tf.sequential();
  m.add(rnn.embedding({ inputDim: 20, outputDim: 3, inputLength: 4 }));
  m.add(rnn.lstm({ units }));
  m.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const h = await m.fit(tf.randomUniform([8, 4], 0, 20, 'int32'), tf.ones([8, 1]), { epochs: 1 });
  return h.history.loss[0] > 0;
}
[await trial(2), await trial(3)]`;
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(await count(cell, 'trials'));
    expect(new Set(counts).size).toBe(1);
  });

  it('keeps weights a cell holds, even when their model is only reachable through them', async () => {
    await count('const holder = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });\nconst [kernelW] = holder.layers[0].getWeights();', 'holder');
    await count('const kernelW2 = kernelW;', 'other');
    await count('const holder = 1;\nconst kernelW = 2;', 'holder');
    const out = await h.exec('kernelW2.dataSync().length');
    expect(out.result?.bundle).toEqual({ kind: 'text', text: '6' });
  });

  it('keeps a model that is still referenced elsewhere', async () => {
    await count('const keepMe = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });\nconst alias = keepMe;', 'alias');
    await count('const keepMe = 5;', 'alias');
    const out = await h.exec('alias.predict(tf.ones([1, 1])).shape');
    expect(out.result?.bundle).toEqual({ kind: 'text', text: '[1, 1]' });
  });
});
