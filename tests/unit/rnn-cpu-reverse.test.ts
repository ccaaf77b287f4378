/**
 * The fast cpu `Reverse` kernel (src/rnn/kernels/cpu-kernels.ts) must give exactly what
 * reversing the nested arrays by hand gives, for any set of axes and dtype.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '../../src/rnn/index';

type Nested = number | Nested[];

function reverseByHand(a: Nested, axes: number[], depth = 0): Nested {
  if (!Array.isArray(a)) return a;
  const inner = a.map((v) => reverseByHand(v, axes, depth + 1));
  return axes.includes(depth) ? inner.reverse() : inner;
}

describe('fast cpu Reverse kernel', () => {
  it('is the registered cpu kernel', async () => {
    await tf.setBackend('cpu');
    expect(tf.getKernel('Reverse', 'cpu')?.kernelFunc.toString()).toContain('outer');
  });

  const shape = [3, 4, 5, 2];
  for (const dims of [[0], [1], [3], [-1], [0, 2], [1, 2, 3], [0, 1, 2, 3]]) {
    it(`matches a hand reversal on axes ${JSON.stringify(dims)}`, async () => {
      await tf.setBackend('cpu');
      const x = tf.tensor(Array.from({ length: 120 }, (_, i) => i), shape);
      const axes = dims.map((d) => (d < 0 ? d + shape.length : d));
      expect(tf.reverse(x, dims).arraySync()).toEqual(reverseByHand(x.arraySync() as Nested, axes));
    });
  }

  it('keeps int32 dtype and its gradient is a reversal too', async () => {
    await tf.setBackend('cpu');
    const ids = tf.tensor2d([[1, 2, 3], [4, 5, 6]], undefined, 'int32');
    const r = tf.reverse(ids, 1);
    expect(r.dtype).toBe('int32');
    expect(r.arraySync()).toEqual([[3, 2, 1], [6, 5, 4]]);
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const w = tf.tensor2d([[1, 10, 100], [1000, 10000, 100000]]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.reverse(v, 1), w)))(x);
    expect(g.arraySync()).toEqual([[100, 10, 1], [100000, 10000, 1000]]);
  });
});
