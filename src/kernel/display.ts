/**
 * Value -> DisplayBundle: what the page shows for a cell's final expression or `display(x)`.
 *
 * - a tfjs LayersModel -> its Keras-style summary (summary.ts);
 * - a tensor -> exactly what `tensor.print()` prints (`tensor.toString()`);
 * - a tfjs History (what `fit` returns) -> a HistoryBundle with Keras metric names;
 * - a string -> itself; anything else -> readable text (inspect.ts), long arrays truncated.
 *
 * tfjs is never imported here: the kernel passes the loaded module in when it has one.
 */
import type { DisplayBundle, HistoryBundle, TableBundle } from '../contract/protocol';
import { inspect } from './inspect';
import { isModelLike, kerasModelName, summarize } from './summary';

/** The parts of the tfjs module display needs. */
export interface TfForDisplay {
  Tensor: abstract new (...args: never[]) => object;
}

interface TensorLike {
  shape: number[];
  dtype: string;
  size: number;
  isDisposed: boolean;
  toString(verbose?: boolean): string;
  dataSync(): ArrayLike<number | string>;
}

/** True when `value` is a tfjs Tensor of the loaded module (always false before tfjs has loaded). */
export function isTensor(value: unknown, tf: TfForDisplay | undefined): value is TensorLike {
  return !!tf && value instanceof tf.Tensor;
}

/** tfjs metric keys whose Keras name differs (compile accepts the Keras names, keras-args.ts). */
const KERAS_METRIC_NAMES: Record<string, string> = {
  acc: 'accuracy',
  binaryAccuracy: 'binary_accuracy',
  categoricalAccuracy: 'categorical_accuracy',
  categoricalCrossentropy: 'categorical_crossentropy',
  sparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
};

/**
 * Keras's metric names for tfjs's: `acc` -> `accuracy`, `val_acc` -> `val_accuracy`, and the
 * camelCase metric names tfjs logs (`binaryAccuracy` -> `binary_accuracy`).
 */
export function kerasMetricName(name: string): string {
  const val = name.startsWith('val_');
  const base = val ? name.slice(4) : name;
  const keras = Object.prototype.hasOwnProperty.call(KERAS_METRIC_NAMES, base) ? KERAS_METRIC_NAMES[base] : undefined;
  return keras === undefined ? name : val ? `val_${keras}` : keras;
}

/** Renames tfjs log keys to Keras names and keeps only numbers. */
export function kerasLogs(logs: Record<string, unknown> | undefined): Record<string, number> {
  // Keras order: training metrics first, then their `val_` counterparts.
  const entries = Object.entries(logs ?? {}).filter(([k, v]) => k !== 'batch' && k !== 'size' && typeof v === 'number');
  entries.sort(([a], [b]) => Number(a.startsWith('val_')) - Number(b.startsWith('val_')));
  const out: Record<string, number> = {};
  for (const [k, v] of entries) out[kerasMetricName(k)] = v as number;
  return out;
}

interface HistoryLike {
  epoch: number[];
  history: Record<string, unknown[]>;
}

function isHistory(value: unknown): value is HistoryLike {
  const v = value as Partial<HistoryLike> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(v.epoch) &&
    typeof v.history === 'object' &&
    v.history !== null &&
    typeof (v as { onEpochEnd?: unknown }).onEpochEnd === 'function'
  );
}

/**
 * A tfjs History as a HistoryBundle: 1-based epochs, Keras metric names, `val_` metrics after the
 * others, non-numbers as NaN.
 */
export function historyBundle(h: HistoryLike): HistoryBundle {
  const metrics: Record<string, number[]> = {};
  const keys = Object.keys(h.history).sort((a, b) => Number(a.startsWith('val_')) - Number(b.startsWith('val_')));
  for (const [k, values] of keys.map((key) => [key, h.history[key]] as const)) {
    metrics[kerasMetricName(k)] = values.map((v) => (typeof v === 'number' ? v : Number.NaN));
  }
  return { kind: 'history', epochs: h.epoch.map((e) => e + 1), metrics };
}

/** Exactly what `tensor.print()` would print. */
export function tensorText(t: TensorLike): string {
  if (t.isDisposed) return `Tensor (disposed) shape=[${t.shape.join(',')}] dtype=${t.dtype}`;
  return t.toString();
}

/** A one-line description of tensors and models inside a structure. */
function describer(tf: TfForDisplay | undefined) {
  return (value: object): string | undefined => {
    if (isTensor(value, tf)) {
      const head = `Tensor(shape=[${value.shape.join(',')}], dtype=${value.dtype})`;
      if (value.isDisposed) return `${head} (disposed)`;
      if (value.size <= 10) {
        const data = Array.from(value.dataSync(), (x) => (typeof x === 'string' ? `'${x}'` : String(x)));
        return `${head} [${data.join(', ')}]`;
      }
      return head;
    }
    if (isModelLike(value)) return `${value.getClassName()} "${kerasModelName(value)}"`;
    return undefined;
  };
}

/** The bundle for a value, or undefined when nothing should be shown (undefined). */
export function toBundle(value: unknown, tf?: TfForDisplay): DisplayBundle | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { kind: 'text', text: value };
  if (isTensor(value, tf)) return { kind: 'text', text: tensorText(value) };
  if (isModelLike(value)) return summarize(value);
  if (isHistory(value)) return historyBundle(value);
  if (Array.isArray(value) && value.length > 0 && value.length <= 10 && value.every((v) => isTensor(v, tf))) {
    return { kind: 'text', text: value.map((t) => tensorText(t as TensorLike)).join('\n') };
  }
  return { kind: 'text', text: inspect(value, { describe: describer(tf) }) };
}

/** Text for console.log arguments: strings raw, the rest inspected; `%s %d %i %f %o %O %c` honoured. */
export function formatLogArgs(args: unknown[], tf?: TfForDisplay): string {
  const show = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (isTensor(v, tf)) return tensorText(v);
    return inspect(v, { describe: describer(tf) });
  };
  if (typeof args[0] === 'string' && /%[sdifoOc%]/.test(args[0])) {
    let i = 1;
    const head = args[0].replace(/%([sdifoOc%])/g, (m, k: string) => {
      if (k === '%') return '%';
      if (i >= args.length) return m;
      const v = args[i++];
      switch (k) {
        case 's':
          return typeof v === 'string' ? v : show(v);
        case 'd':
        case 'i':
          return String(k === 'i' ? Math.trunc(Number(v)) : Number(v));
        case 'f':
          return String(Number(v));
        case 'c':
          return '';
        default:
          return show(v);
      }
    });
    return [head, ...args.slice(i).map(show)].join(' ');
  }
  return args.map(show).join(' ');
}

/** Longest text the kernel sends in one bundle (the page shows it in pages, "Show more"). */
export const MAX_TEXT_CHARS = 1_000_000;
/** Most table rows the kernel sends in one bundle. */
export const MAX_TABLE_ROWS = 5_000;
/** Longest table cell text sent. */
const MAX_CELL_CHARS = 1_000;

/**
 * Bounds a bundle's size before it is posted: text over MAX_TEXT_CHARS and tables over
 * MAX_TABLE_ROWS are cut, and the bundle says how much was left out, so a cell that returns
 * `"x".repeat(5e7)` cannot freeze the page. Other kinds are small by construction.
 */
export function boundBundle(b: DisplayBundle): DisplayBundle {
  if (b.kind === 'text' && b.text.length > MAX_TEXT_CHARS) {
    return { kind: 'text', text: b.text.slice(0, MAX_TEXT_CHARS), omittedChars: b.text.length - MAX_TEXT_CHARS + (b.omittedChars ?? 0) };
  }
  if (b.kind === 'table' && b.rows.length > MAX_TABLE_ROWS) {
    return { ...b, rows: b.rows.slice(0, MAX_TABLE_ROWS), omittedRows: b.rows.length - MAX_TABLE_ROWS + (b.omittedRows ?? 0) };
  }
  return b;
}

function tableCell(v: unknown): string | number {
  if (typeof v === 'number') return v;
  const s = typeof v === 'string' ? v : inspect(v, { depth: 1, maxItems: 10 });
  return s.length > MAX_CELL_CHARS ? `${s.slice(0, MAX_CELL_CHARS)}…` : s;
}

/**
 * Checks `display.table(...)`'s argument and makes it a TableBundle: `columns` an array of
 * names, `rows` an array of arrays (numbers stay numbers, anything else becomes text),
 * `caption` a string. Bad input throws a TypeError naming the argument, in the cell.
 */
export function tableBundle(t: unknown): TableBundle {
  if (typeof t !== 'object' || t === null) throw new TypeError('display.table() needs an object: { columns: string[], rows: any[][], caption? }');
  const { columns, rows, caption } = t as { columns?: unknown; rows?: unknown; caption?: unknown };
  if (!Array.isArray(columns)) throw new TypeError(`display.table(): columns must be an array of column names, got ${inspect(columns, { maxString: 40 })}`);
  if (!Array.isArray(rows)) throw new TypeError(`display.table(): rows must be an array of rows (arrays), got ${inspect(rows, { maxString: 40 })}`);
  if (caption !== undefined && typeof caption !== 'string') throw new TypeError('display.table(): caption must be a string');
  const n = Math.min(rows.length, MAX_TABLE_ROWS);
  const out: (string | number)[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (!Array.isArray(r)) throw new TypeError(`display.table(): rows[${i}] must be an array, got ${inspect(r, { maxString: 40 })}`);
    out[i] = r.map(tableCell);
  }
  const bundle: TableBundle = { kind: 'table', columns: columns.map((c) => String(c)), rows: out };
  if (caption !== undefined) bundle.caption = caption;
  if (rows.length > n) bundle.omittedRows = rows.length - n;
  return bundle;
}
