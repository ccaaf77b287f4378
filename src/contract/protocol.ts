/**
 * The message protocol between a lesson page (main thread) and its kernel (a Web Worker).
 *
 * Modelled on Jupyter's messaging: the page sends `execute`, `interrupt` and `input_reply`;
 * the kernel answers with `status`, `stream`, `display`, `result`, `error`,
 * `input_request` and `busy`. `restart` is done by the page itself (it terminates the worker and starts
 * a new one), so it is not a message. Every message is plain structured-clone data.
 *
 * It lives in `src/contract/` with the other things both sides share (keras-format.ts): that
 * folder imports nothing, no DOM and no tfjs (tests/unit/architecture.test.ts).
 */

/**
 * The version of this protocol. The page sends it in `init` and the kernel answers with its
 * own in the first `status`: they differ only when the page and the worker script come from
 * different builds of the site (an old copy in a cache), and the page then says so.
 */
export const PROTOCOL_VERSION = 3;

/* ------------------------------------------------------------------ page -> kernel */

/** Sent once, before the first execute: where the site lives and which protocol the page speaks. */
export interface InitRequest {
  type: 'init';
  /** Site base URL ending in '/', e.g. '/rnn-notebook/'. Data files live under `${base}data/`. */
  base: string;
  /** The page's PROTOCOL_VERSION. */
  version: number;
}

/** Run one cell's code; the kernel answers with the run's messages, ending in one `result` or `error`. */
export interface ExecuteRequest {
  type: 'execute';
  /** Unique per execution request; every reply about this run carries it. */
  runId: number;
  /** Stable id of the cell in its page (`data-cell-id`). */
  cellId: string;
  /** The cell's source as the reader sees it (JavaScript, optionally with TS annotations). */
  code: string;
}

/** Ask the running cell to stop at its next yield point (e.g. after the current batch). */
export interface InterruptRequest {
  type: 'interrupt';
}

/**
 * A file the reader picked or dropped on the page for a cell's `files.pick()`: the one type both
 * sides use. The page reads it (ui/output/file-request.ts) and sends it in an `input_reply`
 * (the bytes are transferred, not copied); the kernel hands it to the cell with a `text()`
 * decoder added (kernel/files.ts), since a function cannot cross to the worker.
 */
export interface PickedFile {
  /** The file's name as the reader's system gave it, e.g. 'reviews.csv' (no path). */
  name: string;
  /** Its MIME type as the browser guessed it; '' when unknown. */
  type: string;
  /** The file's contents. */
  bytes: ArrayBuffer;
}

/** The reader's answer to an `input_request` (a file picked or dropped on the page). */
export interface InputReply {
  type: 'input_reply';
  requestId: number;
  /** Undefined when the reader cancelled. */
  file?: PickedFile;
}

/** Every message the page sends to the kernel. */
export type ToKernel = InitRequest | ExecuteRequest | InterruptRequest | InputReply;

/* ------------------------------------------------------------------ kernel -> page */

/** The kernel's state: 'starting' while tfjs loads, 'busy' while a cell runs, 'idle' otherwise. */
export type KernelState = 'starting' | 'idle' | 'busy';

/**
 * The kernel's state changed (busy before each run, idle after it), with its backend and tensor
 * count when known.
 */
export interface StatusMessage {
  type: 'status';
  state: KernelState;
  /** tfjs backend in use once tfjs has loaded (e.g. 'cpu', 'wasm', 'webgl'). */
  backend?: string;
  /** `tf.memory().numTensors` when known. */
  numTensors?: number;
  /** The kernel's PROTOCOL_VERSION, in the status that answers `init`. */
  protocolVersion?: number;
}

/** One console call of the run, as text ending in a newline. */
export interface StreamMessage {
  type: 'stream';
  runId: number;
  /** console.log/info/debug -> stdout; console.warn/error -> stderr. */
  name: 'stdout' | 'stderr';
  level: 'log' | 'info' | 'debug' | 'warn' | 'error';
  text: string;
}

/**
 * A rich output shown during the run (`display(x)`, fit progress, history), new or replacing the
 * one with the same displayId.
 */
export interface DisplayMessage {
  type: 'display';
  runId: number;
  /** Outputs with the same displayId replace each other in place (live progress, charts). */
  displayId?: string;
  bundle: DisplayBundle;
}

/** The run ended normally (or was interrupted): its execution count, final value and tensor count. */
export interface ResultMessage {
  type: 'result';
  runId: number;
  /** The `In [n]` counter of this run. */
  executionCount: number;
  /** The value of the cell's final expression, when there is one and it is not undefined. */
  bundle?: DisplayBundle;
  /** `tf.memory().numTensors` after the run (0 when tfjs was never loaded). */
  numTensors: number;
  /** True when the run ended early because of an interrupt. */
  interrupted?: boolean;
}

/** The run ended with an error, mapped back to the cell's own source. */
export interface ErrorMessage {
  type: 'error';
  runId: number;
  executionCount: number;
  /** Error class name, e.g. 'SyntaxError', 'TypeError', 'KeyboardInterrupt'. */
  ename: string;
  evalue: string;
  /** 1-based line and column in the cell's own source, when known. */
  line?: number;
  column?: number;
  /** Frames that point into the cell, already mapped: "at <cell>:3:7". No worker frames. */
  traceback: string[];
  numTensors: number;
}

/**
 * Ask the page for a file (`files.pick()`); the page answers with an `input_reply` carrying the
 * same requestId.
 */
export interface InputRequest {
  type: 'input_request';
  runId: number;
  requestId: number;
  prompt: string;
  /** `accept` attribute for the file input, e.g. '.csv,.txt,text/csv,text/plain'. */
  accept: string;
}

/**
 * The run entered (`what` set) or left (`what` null) a call the kernel cannot stop midway:
 * `model.evaluate` or `model.predict` on many samples, which tfjs runs as one synchronous task
 * (about 1 s on 25,000 reviews here, several on a slow phone). An `interrupt` waits in the
 * worker's queue meanwhile; the page lets a Stop wait for the call instead of terminating the
 * kernel after its usual grace period, and says what it waits for.
 */
export interface BusyMessage {
  type: 'busy';
  runId: number;
  /** What the kernel is in, e.g. 'model.evaluate on 25,000 samples'; null once it returned. */
  what: string | null;
}

/** Every message the kernel sends to the page. */
export type FromKernel =
  | StatusMessage
  | StreamMessage
  | DisplayMessage
  | ResultMessage
  | ErrorMessage
  | InputRequest
  | BusyMessage;

/* ------------------------------------------------------------------ display bundles */

/** Plain text, shown preformatted (repr of values, `tensor.print()` output). */
export interface TextBundle {
  kind: 'text';
  text: string;
  /** Characters the kernel did not send because the text was over its size limit. */
  omittedChars?: number;
}

/** One row of a Keras-style summary. */
export interface SummaryRow {
  /** e.g. 'embedding (Embedding)' — name and class like Keras prints them. */
  layer: string;
  /** e.g. '(None, 100, 32)'. */
  outputShape: string;
  params: number;
  /** Functional models only. */
  connectedTo?: string;
}

/** `model.summary()`: Keras 3 layout. */
export interface SummaryBundle {
  kind: 'summary';
  /** e.g. 'sequential'. */
  modelName: string;
  rows: SummaryRow[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Bytes of all weights (float32: 4 per param), for "(1.22 MB)". */
  totalBytes: number;
  trainableBytes: number;
  nonTrainableBytes: number;
}

/** A live `fit` progress line, replaced in place (same displayId) as batches finish. */
export interface ProgressBundle {
  kind: 'progress';
  epoch: number; // 1-based
  epochs: number;
  step: number; // batches done in this epoch
  steps: number; // batches per epoch
  elapsedMs: number;
  /** Metrics so far, Keras names: loss, accuracy, val_loss, val_accuracy... */
  logs: Record<string, number>;
  /** True once the epoch (including validation) is complete. */
  done: boolean;
  /** Set when training was stopped by the reader during this epoch. */
  stopped?: boolean;
}

/** Training history, one row per epoch; rendered as a table and a chart. */
export interface HistoryBundle {
  kind: 'history';
  epochs: number[]; // 1-based epoch numbers
  /** metric name -> one value per epoch. */
  metrics: Record<string, number[]>;
}

/** A generic table (e.g. a confusion matrix, a comparison). */
export interface TableBundle {
  kind: 'table';
  caption?: string;
  columns: string[];
  rows: (string | number)[][];
  /** Rows the kernel did not send because the table was over its size limit. */
  omittedRows?: number;
}

/** A download or data-loading progress bar. */
export interface LoadBundle {
  kind: 'load';
  label: string;
  loaded: number;
  /** Undefined when the total is unknown. */
  total?: number;
  done: boolean;
}

/**
 * Files a cell hands to the reader to save (`model.save('downloads://name')`, see
 * kernel/model-io.ts): the page shows one "Save" link per file. A worker cannot start a download
 * itself (no `document`), so the bytes travel to the page.
 */
export interface DownloadBundle {
  kind: 'download';
  files: { name: string; type: string; bytes: ArrayBuffer }[];
}

/** Every kind of output the page can render, discriminated by `kind`. */
export type DisplayBundle =
  | TextBundle
  | SummaryBundle
  | ProgressBundle
  | HistoryBundle
  | TableBundle
  | LoadBundle
  | GatesBundle
  | PlotBundle
  | DownloadBundle;

/** One heatmap of a `GatesBundle`: one value (a gate, a state) for every shown step and unit. */
export interface GatesRow {
  /** Short name, e.g. 'f' (see rnn.inspect.gates). */
  name: string;
  /** e.g. 'forget gate f'. */
  label: string;
  /** The colour scale: [0, 1] for sigmoid gates, symmetric [-m, m] for signed values. */
  range: [number, number];
  /** [shown step][unit]. */
  values: number[][];
}

/** A recurrent layer's gates read word by word (`display.gates(trace, ...)`), as heatmaps. */
export interface GatesBundle {
  kind: 'gates';
  /** e.g. 'lstm (LSTM), 5 units, wasm-simd kernels'. */
  title: string;
  /** The token read at each shown step (same length as every row's values). */
  tokens: string[];
  units: number;
  rows: GatesRow[];
  /** The model's output after each shown step (first output unit), when known. */
  prediction?: number[];
  /** What the prediction is, e.g. 'P(positive)'. */
  predictionLabel?: string;
  /** Said under the heatmaps when steps or units were left out (padding, size limits). */
  note?: string;
}

/** A line plot (`display.plot({...})`), optionally with a logarithmic y axis. */
export interface PlotBundle {
  kind: 'plot';
  title: string;
  xLabel: string;
  yLabel: string;
  /** The x value of every point, shared by all series; empty when each series has its own `x`. */
  x: number[];
  /**
   * One line per series; `values` has the length of `x` (null = no point), or of the series'
   * own `x` (an xy path, e.g. a trajectory; its last point is drawn larger). Series with the
   * same `group` share a colour (e.g. one cell before and after training, the latter dashed).
   */
  series: { name: string; values: (number | null)[]; x?: (number | null)[]; dashed?: boolean; group?: string }[];
  /** Logarithmic y axis (non-positive values are left out of the line). */
  logY?: boolean;
}

/* ------------------------------------------------------------------ helpers */

const TO_KERNEL = new Set(['init', 'execute', 'interrupt', 'input_reply']);
const FROM_KERNEL = new Set(['status', 'stream', 'display', 'result', 'error', 'input_request', 'busy']);

/**
 * True for an object whose `type` is one of the page -> kernel message types (the payload is not
 * checked).
 */
export function isToKernel(m: unknown): m is ToKernel {
  return typeof m === 'object' && m !== null && TO_KERNEL.has((m as { type?: string }).type ?? '');
}

/**
 * True for an object whose `type` is one of the kernel -> page message types (the payload is not
 * checked).
 */
export function isFromKernel(m: unknown): m is FromKernel {
  return typeof m === 'object' && m !== null && FROM_KERNEL.has((m as { type?: string }).type ?? '');
}
