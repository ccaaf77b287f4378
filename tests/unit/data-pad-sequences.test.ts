import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { padSequences, padSequencesToArray, type PadSequencesOptions } from '../../src/rnn/data/pad-sequences';

interface Case {
  sequences: number[][];
  options: { maxlen?: number; padding?: 'pre' | 'post'; truncating?: 'pre' | 'post'; value?: number; dtype?: 'int32' | 'float32' };
  shape: [number, number];
  values: number[];
}
const cases: Case[] = JSON.parse(readFileSync(new URL('../fixtures/data/golden.json', import.meta.url), 'utf8')).pad_sequences;

describe('padSequences (golden against Keras pad_sequences)', () => {
  it.each(cases.map((c) => [JSON.stringify(c.options) + ' on ' + JSON.stringify(c.sequences), c] as const))('%s', (_, c) => {
    const out = padSequencesToArray(c.sequences, c.options as PadSequencesOptions);
    expect(out.shape).toEqual(c.shape);
    expect(Array.from(out.values)).toEqual(c.values);
  });

  it('covers the course settings explicitly (pre/pre default, post/post)', () => {
    const seqs = [[1, 2, 3, 4, 5], [6, 7], []];
    expect(Array.from(padSequencesToArray(seqs, { maxlen: 3 }).values)).toEqual([3, 4, 5, 0, 6, 7, 0, 0, 0]);
    expect(Array.from(padSequencesToArray(seqs, { maxlen: 3, padding: 'post', truncating: 'post' }).values)).toEqual([
      1, 2, 3, 6, 7, 0, 0, 0, 0,
    ]);
  });

  it('returns an int32 tf.Tensor2D by default, float32 on request', () => {
    const t = padSequences([[1, 2], [3]]);
    expect(t.dtype).toBe('int32');
    expect(t.shape).toEqual([2, 2]);
    expect(t.arraySync()).toEqual([[1, 2], [0, 3]]);
    const f = padSequences([[1.5], [2, 3]], { dtype: 'float32', padding: 'post' });
    expect(f.dtype).toBe('float32');
    expect(f.arraySync()).toEqual([[1.5, 0], [2, 3]]);
    tf.dispose([t, f]);
  });

  it('accepts typed arrays as sequences', () => {
    expect(Array.from(padSequencesToArray([Int32Array.from([4, 5, 6])], { maxlen: 2 }).values)).toEqual([5, 6]);
  });

  it('fails like Keras where Keras fails', () => {
    expect(() => padSequencesToArray([])).toThrow(/maxlen/); // np.max of no lengths
    expect(() => padSequencesToArray([[1, 2]], { maxlen: 0 })).toThrow(/could not fit/); // s[-0:] is all of s
    expect(() => padSequencesToArray([[1]], { padding: 'middle' as 'pre' })).toThrow(/Padding type "middle" not understood/);
    expect(() => padSequencesToArray([[1]], { truncating: 'x' as 'pre' })).toThrow(/Truncating type "x" not understood/);
    expect(() => padSequencesToArray([1 as unknown as number[]])).toThrow(/list of iterables/);
  });
});

describe('padSequences: sequences of vectors (Keras: result shape (n, maxlen) + step shape)', () => {
  it('pads with rows of `value` and keeps vectors whole', () => {
    const seqs = [[[1, 2], [3, 4]], [[5, 6]]];
    const out = padSequencesToArray(seqs);
    expect(out.shape).toEqual([2, 2, 2]);
    expect(Array.from(out.values)).toEqual([1, 2, 3, 4, 0, 0, 5, 6]);
    const post = padSequencesToArray(seqs, { maxlen: 1, padding: 'post', truncating: 'post', value: -1 });
    expect(Array.from(post.values)).toEqual([1, 2, 5, 6]);
    const longer = padSequencesToArray(seqs, { maxlen: 3, padding: 'post', value: -1, dtype: 'float32' });
    expect(Array.from(longer.values)).toEqual([1, 2, 3, 4, -1, -1, 5, 6, -1, -1, -1, -1]);
  });

  it('takes the step shape from the first non-empty sequence; empty sequences become padding', () => {
    const out = padSequencesToArray([[], [[1, 2, 3]]]);
    expect(out.shape).toEqual([2, 1, 3]);
    expect(Array.from(out.values)).toEqual([0, 0, 0, 1, 2, 3]);
  });

  it('steps may be matrices (any rank), as with np.asarray', () => {
    const out = padSequencesToArray([[[[1, 2], [3, 4]]], []], { maxlen: 2 });
    expect(out.shape).toEqual([2, 2, 2, 2]);
    expect(Array.from(out.values)).toEqual([0, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("fails with Keras's message when a kept step has another shape, and only then", () => {
    expect(() => padSequencesToArray([[[1, 2]], [[1, 2, 3]]])).toThrow(
      /shape of sample \(3,\) of sequence at position 1 is different from expected shape \(2,\)/,
    );
    expect(() => padSequencesToArray([[1, 2], [[3, 4]]])).toThrow(/shape of sample \(2,\) of sequence at position 1 is different from expected shape \(\)/);
    // Keras checks the truncated part only: the odd step is cut away here.
    expect(Array.from(padSequencesToArray([[[1, 2]], [[1, 2, 3], [4, 5]]], { maxlen: 1 }).values)).toEqual([1, 2, 4, 5]);
  });

  it('padSequences returns a rank-3 tensor', () => {
    const t = padSequences([[[0.5, 1]], [[2, 3], [4, 5]]], { dtype: 'float32' });
    expect(t.shape).toEqual([2, 2, 2]);
    expect(t.dtype).toBe('float32');
    expect(t.arraySync()).toEqual([[[0, 0], [0.5, 1]], [[2, 3], [4, 5]]]);
    t.dispose();
  });
});

describe('padSequences: sequences of strings', () => {
  const words = [['the', 'cat', 'sat'], ['hi']];

  it("dtype 'object' is Keras's dtype=object: tokens, and the number `value` as padding", () => {
    expect(padSequences(words, { dtype: 'object' })).toEqual([['the', 'cat', 'sat'], [0, 0, 'hi']]);
    expect(padSequences(words, { dtype: 'object', maxlen: 2, padding: 'post', truncating: 'post', value: '<pad>' })).toEqual([
      ['the', 'cat'],
      ['hi', '<pad>'],
    ]);
  });

  it("dtype 'string' returns a tfjs string tensor padded with a string value", () => {
    const t = padSequences(words, { dtype: 'string', value: '' });
    expect(t.dtype).toBe('string');
    expect(t.shape).toEqual([2, 3]);
    expect(t.arraySync()).toEqual([['the', 'cat', 'sat'], ['', '', 'hi']]);
    t.dispose();
  });

  it('refuses what Keras refuses, and what would give wrong numbers', () => {
    // Keras: "`dtype` int32 is not compatible with `value`'s type: <class 'str'>".
    expect(() => padSequencesToArray([[1]], { value: 'x' })).toThrow(/`dtype` int32 is not compatible with `value`'s type: string/);
    // Keras/NumPy: np.asarray(['the'], dtype='int32') fails.
    expect(() => padSequencesToArray(words)).toThrow(/holds string items; dtype 'int32' needs numbers/);
    // Keras's dtype=str pads with '0' and cuts tokens to one letter: refused, with the alternative.
    expect(() => padSequencesToArray(words, { dtype: 'string' })).toThrow(/dtype 'string' needs a string `value`/);
    expect(() => padSequencesToArray(['the cat' as unknown as string[]], { dtype: 'object' })).toThrow(/split it into tokens/);
    expect(() => padSequencesToArray([[1]], { dtype: 'bool' as 'int32' })).toThrow(/dtype/);
  });

  it('all-empty input gives a zero-width result, as np.max([0, 0]) = 0 does', () => {
    expect(padSequencesToArray([[], []]).shape).toEqual([2, 0]);
  });
});
