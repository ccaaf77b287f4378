/**
 * `padSequences`: Keras's `keras.utils.pad_sequences` (keras/src/utils/sequence_utils.py),
 * returning a tfjs tensor.
 *
 * Keras behaviour reproduced exactly:
 * - `maxlen` defaults to the longest sequence (an error for an empty list, as NumPy's `max`);
 * - `truncating: 'pre'` keeps the last `maxlen` items, `'post'` the first `maxlen`;
 * - `padding: 'pre'` right-aligns a sequence in its row, `'post'` left-aligns it;
 * - every other cell holds `value`, so an empty sequence becomes a row of `value`;
 * - values are cast to `dtype` (int32 truncates toward zero, like `np.asarray(..., 'int32')`);
 * - `maxlen: 0` with a non-empty sequence and `truncating: 'pre'` fails, because Python's
 *   `s[-0:]` is the whole sequence and cannot fit a zero-width row;
 * - **sequences of vectors** (or of any equal-shaped arrays): the shape of one step is taken
 *   from the first non-empty sequence, every kept step must have it (Keras's "Shape of
 *   sample ... is different from expected shape" error), and the result has shape
 *   `[numSequences, maxlen, ...stepShape]`, padding steps filled with `value`;
 * - **sequences of strings**: `dtype: 'object'` is Keras's documented way (`dtype=object`):
 *   the result holds the tokens and `value` as given (default 0, a number, as in Keras), so it
 *   is returned as nested arrays, not a tensor. `dtype: 'string'` returns a tfjs string tensor
 *   and needs a string `value` (Keras's `dtype=str` pads with '0' in a one-character array
 *   that cuts every token to its first letter; we refuse instead of copying that). A string
 *   `value` with a numeric dtype fails as in Keras.
 * - every option is checked (validate.ts): an unknown key (`maxLen`, `max_len`) is a TypeError
 *   naming the known ones, a bad value a ValueError, and `padSequences(seqs, 100)` (Python's
 *   positional maxlen) a TypeError showing `{ maxlen: 100 }`.
 */
import * as tf from '@tensorflow/tfjs';
import { ValueError } from '../errors';
import { checkArgCount, checkOptions, rule, showValue, type OptionRules } from './validate';

/** Which end of a sequence padding or truncation applies to: 'pre' (the start) or 'post' (the end). */
export type PadMode = 'pre' | 'post';

/** Result types: numeric tensors, a tfjs string tensor, or nested arrays ('object', Keras dtype=object). */
export type PadDType = 'int32' | 'float32' | 'string' | 'object';

/** Options of `padSequences`, Keras's `pad_sequences` arguments in camelCase. */
export interface PadSequencesOptions {
  /** Row length; defaults to the longest sequence. */
  maxlen?: number | null;
  /** Where padding goes: before ('pre', the Keras default) or after ('post'). */
  padding?: PadMode;
  /** Which end of a too-long sequence is cut: 'pre' (the default) drops the start. */
  truncating?: PadMode;
  /** The padding value (default 0); a string for string sequences. */
  value?: number | string;
  /** 'int32' (default), 'float32', 'string' (tfjs string tensor) or 'object' (nested arrays, Keras dtype=object). */
  dtype?: PadDType;
}

/** The padded array as flat values plus its shape, without creating a tensor. */
export interface PaddedArray {
  /** Row-major values: typed for int32/float32, a plain array for 'string' and 'object'. */
  values: Int32Array | Float32Array | (number | string)[];
  /** `[numSequences, maxlen, ...stepShape]`. */
  shape: number[];
}

type Sequence = ArrayLike<unknown>;

const DTYPES: readonly PadDType[] = ['int32', 'float32', 'string', 'object'];

/** Keras's `pad_sequences` arguments after `sequences`; maxlen, padding, truncating and dtype are checked below with Keras's messages. */
const PAD_OPTIONS: OptionRules = {
  maxlen: null,
  padding: null,
  truncating: null,
  value: rule.either(rule.number(), rule.string()),
  dtype: null,
};

function checkMode(name: string, mode: unknown): PadMode {
  if (mode === 'pre' || mode === 'post') return mode;
  const kind = name === 'padding' ? 'Padding' : 'Truncating';
  throw new ValueError(`${kind} type "${String(mode)}" not understood (use 'pre' or 'post')`);
}

const isArrayLike = (v: unknown): v is ArrayLike<unknown> =>
  v != null && typeof v !== 'string' && typeof (v as ArrayLike<unknown>).length === 'number';

/** Shape of one step (NumPy `np.asarray(step).shape`), assuming rectangular nesting. */
function shapeOf(step: unknown): number[] {
  const shape: number[] = [];
  let cur = step;
  while (isArrayLike(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return shape;
}

/** Appends the leaves of `step` to `out`, checking that it has `shape`; false on a mismatch. */
function flattenStep(step: unknown, shape: number[], depth: number, out: unknown[]): boolean {
  if (depth === shape.length) {
    if (isArrayLike(step)) return false;
    out.push(step);
    return true;
  }
  if (!isArrayLike(step) || step.length !== shape[depth]) return false;
  for (let i = 0; i < step.length; i++) if (!flattenStep(step[i], shape, depth + 1, out)) return false;
  return true;
}

const pyShape = (s: number[]) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

/** `padSequences` without creating a tensor: same rules, returns the flat values and the shape. */
export function padSequencesToArray(sequences: readonly Sequence[], options: PadSequencesOptions = {}): PaddedArray {
  if (!isArrayLike(sequences)) {
    throw new ValueError('padSequences expects an array of sequences (arrays of numbers, of vectors, or of strings)');
  }
  checkOptions('padSequences', options, PAD_OPTIONS, { positional: 'maxlen' });
  const padding = checkMode('padding', options.padding ?? 'pre');
  const truncating = checkMode('truncating', options.truncating ?? 'pre');
  const dtype = options.dtype ?? 'int32';
  if (!DTYPES.includes(dtype)) {
    throw new ValueError(`padSequences supports dtype 'int32', 'float32', 'string' or 'object', got '${String(dtype)}'`);
  }
  const numeric = dtype === 'int32' || dtype === 'float32';
  const value = options.value ?? 0;
  if (typeof value === 'string' && numeric) {
    throw new ValueError(
      `padSequences: \`dtype\` ${dtype} is not compatible with \`value\`'s type: string. ` +
        `Set dtype: 'object' (Keras dtype=object) or 'string' for sequences of strings.`,
    );
  }
  if (dtype === 'string' && typeof value !== 'string') {
    throw new ValueError(
      `padSequences: dtype 'string' needs a string \`value\` (the padding token, e.g. '' or '<pad>'), got ${String(value)}. ` +
        `Use dtype: 'object' for Keras's dtype=object result, whose padding is the number ${String(value)}.`,
    );
  }
  const n = sequences.length;
  const lengths: number[] = [];
  let stepShape: number[] | null = null;
  for (let i = 0; i < n; i++) {
    const s = sequences[i];
    if (!isArrayLike(s)) {
      const hint = typeof s === 'string' ? ' (a string is not a sequence here: split it into tokens first)' : '';
      throw new ValueError(`\`sequences\` must be a list of iterables. Found non-iterable at index ${i}: ${String(s)}${hint}`);
    }
    lengths.push(s.length);
    if (stepShape === null && s.length > 0) stepShape = shapeOf(s[0]);
  }
  const sample = stepShape ?? [];
  const stepSize = sample.reduce((a, b) => a * b, 1);
  let maxlen = options.maxlen ?? null;
  if (maxlen === null) {
    if (n === 0) throw new ValueError('padSequences: cannot infer maxlen from an empty list of sequences; pass maxlen');
    maxlen = Math.max(...lengths);
  }
  if (!Number.isInteger(maxlen) || maxlen < 0) {
    throw new ValueError(`padSequences: maxlen must be a non-negative integer or null, got ${showValue(maxlen)}`);
  }
  const total = n * maxlen * stepSize;
  const values: Int32Array | Float32Array | (number | string)[] =
    dtype === 'int32' ? new Int32Array(total) : dtype === 'float32' ? new Float32Array(total) : new Array<number | string>(total).fill(value);
  if (numeric && value !== 0) (values as Int32Array | Float32Array).fill(value as number);
  const step: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const s = sequences[i];
    const len = s.length;
    if (len === 0) continue;
    // Python slices: s[-maxlen:] (maxlen 0 gives the whole list) or s[:maxlen].
    const from = truncating === 'pre' ? (maxlen === 0 ? 0 : Math.max(0, len - maxlen)) : 0;
    const to = truncating === 'pre' ? len : Math.min(len, maxlen);
    const kept = to - from;
    const rowStart = (i * maxlen + (padding === 'pre' ? maxlen - kept : 0)) * stepSize;
    for (let k = 0; k < kept; k++) {
      step.length = 0;
      if (!flattenStep(s[from + k], sample, 0, step)) {
        throw new ValueError(
          `padSequences: shape of sample ${pyShape(shapeOf(s[from + k]))} of sequence at position ${i} is different from expected shape ${pyShape(sample)}`,
        );
      }
      if (kept > maxlen) {
        throw new ValueError(`padSequences: could not fit a sequence of length ${kept} into rows of length ${maxlen}`);
      }
      for (let e = 0; e < stepSize; e++) {
        const item = step[e];
        const at = rowStart + k * stepSize + e;
        if (numeric) {
          if (typeof item !== 'number') {
            throw new TypeError(
              `padSequences: sequence ${i} holds ${typeof item} items; dtype '${dtype}' needs numbers (use dtype: 'object' or 'string' for tokens)`,
            );
          }
          (values as Int32Array | Float32Array)[at] = item;
        } else if (dtype === 'string') {
          (values as string[])[at] = typeof item === 'string' ? item : String(item);
        } else {
          (values as (number | string)[])[at] = item as number | string;
        }
      }
    }
  }
  return { values, shape: [n, maxlen, ...sample] };
}

/** Nested arrays of a flat row-major buffer (the 'object' result). */
function nest(values: ArrayLike<unknown>, shape: number[], offset = 0, depth = 0): unknown[] {
  const out: unknown[] = [];
  const stride = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
  for (let i = 0; i < shape[depth]; i++) {
    out.push(depth === shape.length - 1 ? values[offset + i] : nest(values, shape, offset + i * stride, depth + 1));
  }
  return out;
}

/**
 * Pads (or truncates) sequences into one tensor, exactly as Keras's `pad_sequences`:
 * `[numSequences, maxlen]` for sequences of ids, `[numSequences, maxlen, ...stepShape]` for
 * sequences of vectors, a string tensor with `dtype: 'string'`, and nested arrays with
 * `dtype: 'object'` (Keras dtype=object: tokens plus the number `value` as padding).
 * Defaults: `padding: 'pre'`, `truncating: 'pre'`, `value: 0`, `dtype: 'int32'`,
 * `maxlen` = the longest sequence.
 */
export function padSequences(sequences: readonly ArrayLike<number>[], options?: PadSequencesOptions & { dtype?: 'int32' | 'float32' }): tf.Tensor2D;
export function padSequences(sequences: readonly Sequence[], options: PadSequencesOptions & { dtype: 'object' }): unknown[][];
export function padSequences(sequences: readonly Sequence[], options?: PadSequencesOptions): tf.Tensor;
export function padSequences(sequences: readonly Sequence[], options: PadSequencesOptions = {}): tf.Tensor | unknown[][] {
  checkArgCount('padSequences', arguments.length, 'sequences, options');
  const { values, shape } = padSequencesToArray(sequences, options);
  const dtype = options.dtype ?? 'int32';
  if (dtype === 'object') return nest(values, shape) as unknown[][];
  if (dtype === 'string') return tf.tensor(values as string[], shape, 'string');
  return tf.tensor(values as Int32Array | Float32Array, shape, dtype);
}
