/**
 * `rnn.warmUp()` (src/rnn/kernels/warm-up.ts): it runs the WebAssembly kernels and leaves
 * nothing behind: no heap block, no tfjs tensor, no layer name, no change to what a model then
 * computes. With the JavaScript kernels it does nothing. (What it is for, moving V8's optimizing
 * compile out of the first epoch, is measured by the page bench: BENCHMARKS.md.)
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';
import { getWasmKernels } from '../../src/rnn/kernels/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  rnn.setKernelImplementation('auto');
});

/** A small fused model with fixed weights, and its prediction for fixed ids. */
function predictOnce(): Float32Array {
  rnn.resetLayerNames();
  const model = tf.sequential({
    layers: [
      rnn.embedding({ inputDim: 20, outputDim: 4, inputLength: 6, embeddingsInitializer: 'ones' }),
      rnn.lstm({ units: 3, kernelInitializer: 'ones', recurrentInitializer: 'ones' }),
      rnn.dense({ units: 1, activation: 'sigmoid', kernelInitializer: 'ones' }),
    ],
  });
  const x = tf.tensor2d([[1, 2, 3, 4, 5, 6], [0, 0, 7, 8, 9, 19]]);
  const y = model.predict(x) as tf.Tensor;
  const out = y.dataSync() as Float32Array;
  tf.dispose([x, y]);
  model.dispose();
  return out;
}

describe('rnn.warmUp', () => {
  it('runs the WebAssembly kernels and leaves no heap block, tensor or layer name behind', () => {
    rnn.setKernelImplementation('wasm');
    const heap = getWasmKernels()!.heap;
    const blocks = heap.stats().liveBlocks;
    const tensors = tf.memory().numTensors;
    rnn.resetLayerNames();
    const ms = rnn.warmUp();
    expect(ms).toBeGreaterThan(0);
    expect(heap.stats().liveBlocks).toBe(blocks);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(rnn.lstm({ units: 2 }).name).toBe('lstm');
  });

  it('does not change what a model computes', () => {
    rnn.setKernelImplementation('wasm');
    const before = predictOnce();
    rnn.warmUp();
    expect(Array.from(predictOnce())).toEqual(Array.from(before));
  });

  it('does nothing with the JavaScript kernels', () => {
    rnn.setKernelImplementation('js');
    expect(rnn.warmUp()).toBe(0);
  });
});
