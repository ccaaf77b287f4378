import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NumpyRandomState } from '../../src/rnn/data/numpy-random';

const golden = JSON.parse(readFileSync(new URL('../fixtures/data/golden.json', import.meta.url), 'utf8')).permutation;

describe('NumpyRandomState (NumPy legacy RandomState)', () => {
  it('permutation(10) with seed 0 matches NumPy', () => {
    expect(Array.from(new NumpyRandomState(0).permutation(10))).toEqual(golden.seed0_n10);
  });

  it('permutation(1000) with seed 42 matches NumPy', () => {
    expect(Array.from(new NumpyRandomState(42).permutation(1000))).toEqual(golden.seed42_n1000);
  });

  it('reproduces the IMDB shuffles of Keras (seed 113: train then test, 25000 each)', () => {
    const rng = new NumpyRandomState(113);
    const train = rng.permutation(25000);
    const test = rng.permutation(25000);
    expect(Array.from(train.slice(0, 50))).toEqual(golden.seed113_n25000_train_head);
    expect(Array.from(train.slice(-50))).toEqual(golden.seed113_n25000_train_tail);
    expect(Array.from(test.slice(0, 50))).toEqual(golden.seed113_n25000_test_head);
    let sum = 0n;
    train.forEach((p, i) => (sum += BigInt(i) * BigInt(p)));
    expect(Number(sum % 1000000007n)).toBe(golden.seed113_n25000_train_weighted_sum);
  });

  it('handles the largest seed and random_sample', () => {
    expect(Array.from(new NumpyRandomState(4294967295).permutation(7))).toEqual(golden.seed4294967295_n7);
    expect(new NumpyRandomState(0).randomSample()).toBe(golden.seed0_random_sample);
  });

  it('rejects seeds NumPy rejects', () => {
    expect(() => new NumpyRandomState(-1)).toThrow(/Seed must be/);
    expect(() => new NumpyRandomState(2 ** 32)).toThrow(/Seed must be/);
    expect(() => new NumpyRandomState(1.5)).toThrow(/Seed must be/);
  });
});
