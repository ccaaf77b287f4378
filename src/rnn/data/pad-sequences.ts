/**
 * `padSequences`: Keras's `keras.utils.pad_sequences` (keras/src/utils/sequence_utils.py),
 * returning a `tf.Tensor2D`.
 *
 * Keras behaviour reproduced exactly:
 * - `maxlen` defaults to the longest sequence (an error for an empty list, as NumPy's `max`);
 * - `truncating: 'pre'` keeps the last `maxlen` items, `'post'` the first `maxlen`;
 * - `padding: 'pre'` right-aligns a sequence in its row, `'post'` left-aligns it;
 * - every other cell holds `value`, so an empty sequence becomes a row of `value`;
 * - values are cast to `dtype` (int32 truncates toward zero, like `np.asarray(..., 'int32')`);
 * - `maxlen: 0` with a non-empty sequence and `truncating: 'pre'` fails, because Python's
 *   `s[-0:]` is the whole sequence and cannot fit a zero-width row.
 */
import * as tf from '@tensorflow/tfjs';

export type PadMode = 'pre' | 'post';

export interface PadSequencesOptions {
  /** Row length; defaults to the longest sequence. */
  maxlen?: number | null;
  /** Where padding goes: before ('pre', the Keras default) or after ('post'). */
  padding?: PadMode;
  /** Which end of a too-long sequence is cut: 'pre' (the default) drops the start. */
  truncating?: PadMode;
  /** The padding value (default 0). */
  value?: number;
  /** Tensor dtype: 'int32' (default) or 'float32'. */
  dtype?: 'int32' | 'float32';
}

/** The padded matrix as a flat typed array plus its shape, without creating a tensor. */
export interface PaddedArray {
  values: Int32Array | Float32Array;
  shape: [number, number];
}

type Sequence = ArrayLike<number>;

function checkMode(name: string, mode: unknown): PadMode {
  if (mode === 'pre' || mode === 'post') return mode;
  const kind = name === 'padding' ? 'Padding' : 'Truncating';
  throw new Error(`${kind} type "${String(mode)}" not understood (use 'pre' or 'post')`);
}

/** `padSequences` without tfjs: same rules, returns the flat values and the shape. */
export function padSequencesToArray(sequences: readonly Sequence[], options: PadSequencesOptions = {}): PaddedArray {
  if (!Array.isArray(sequences) && !(sequences && typeof (sequences as ArrayLike<unknown>).length === 'number')) {
    throw new TypeError('padSequences expects an array of sequences (arrays of numbers)');
  }
  const padding = checkMode('padding', options.padding ?? 'pre');
  const truncating = checkMode('truncating', options.truncating ?? 'pre');
  const value = options.value ?? 0;
  const dtype = options.dtype ?? 'int32';
  if (dtype !== 'int32' && dtype !== 'float32') {
    throw new Error(`padSequences supports dtype 'int32' or 'float32', got '${String(dtype)}'`);
  }
  const n = sequences.length;
  const lengths: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = sequences[i];
    if (s == null || typeof (s as ArrayLike<number>).length !== 'number' || typeof s === 'string') {
      throw new TypeError(
        `\`sequences\` must be a list of iterables. Found non-iterable at index ${i}: ${String(s)}`,
      );
    }
    if (s.length > 0 && typeof s[0] !== 'number') {
      throw new TypeError(
        `padSequences pads sequences of numbers; sequence ${i} holds ${typeof s[0]} items`,
      );
    }
    lengths.push(s.length);
  }
  let maxlen = options.maxlen ?? null;
  if (maxlen === null) {
    if (n === 0) throw new Error('padSequences: cannot infer maxlen from an empty list of sequences; pass maxlen');
    maxlen = Math.max(...lengths);
  }
  if (!Number.isInteger(maxlen) || maxlen < 0) {
    throw new Error(`padSequences: maxlen must be a non-negative integer, got ${maxlen}`);
  }
  const values = dtype === 'int32' ? new Int32Array(n * maxlen) : new Float32Array(n * maxlen);
  if (value !== 0) values.fill(value);
  for (let i = 0; i < n; i++) {
    const s = sequences[i];
    const len = s.length;
    if (len === 0) continue;
    // Python slices: s[-maxlen:] (maxlen 0 gives the whole list) or s[:maxlen].
    let from: number;
    let to: number;
    if (truncating === 'pre') {
      from = maxlen === 0 ? 0 : Math.max(0, len - maxlen);
      to = len;
    } else {
      from = 0;
      to = Math.min(len, maxlen);
    }
    const kept = to - from;
    if (kept > maxlen) {
      throw new Error(
        `padSequences: could not fit a sequence of length ${kept} into rows of length ${maxlen}`,
      );
    }
    const rowStart = i * maxlen + (padding === 'pre' ? maxlen - kept : 0);
    for (let k = 0; k < kept; k++) values[rowStart + k] = s[from + k];
  }
  return { values, shape: [n, maxlen] };
}

/**
 * Pads (or truncates) sequences of ids into one `[numSequences, maxlen]` tensor, exactly as
 * Keras's `pad_sequences`. Defaults: `padding: 'pre'`, `truncating: 'pre'`, `value: 0`,
 * `dtype: 'int32'`, `maxlen` = the longest sequence.
 */
export function padSequences(sequences: readonly Sequence[], options: PadSequencesOptions = {}): tf.Tensor2D {
  const { values, shape } = padSequencesToArray(sequences, options);
  return tf.tensor2d(values, shape, options.dtype ?? 'int32');
}
