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
