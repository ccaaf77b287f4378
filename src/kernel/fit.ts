/**
 * `model.fit` instrumentation, installed once on `tf.LayersModel.prototype` inside the worker
 * (Sequential's fit delegates to it). A callback appended after the reader's own callbacks:
 *
 * - shows one live ProgressBundle per epoch (displayId `fit-<run>-<n>-epoch-<e>`), updated
 *   at most every `progressIntervalMs` and at the end of the epoch, with Keras metric names
 *   and Keras-style running means during the epoch;
 * - then a HistoryBundle (displayId `fit-<run>-<n>-history`) with every completed epoch,
 *   posted at most every `progressIntervalMs` and once more when fit ends: the bundle holds
 *   the whole history and the page redraws its chart on each, so a tiny model that runs
 *   hundreds of epochs a second would otherwise flood the page (quadratic in the epochs);
 * - yields a macrotask every `yieldIntervalMs` of wall time so `interrupt` messages get in;
 * - on interrupt sets `stopTraining`, so tfjs stops after the current batch; the partial
 *   epoch's progress line is marked `stopped`, the history (and the History that fit
 *   returns) keeps only completed epochs, and fit then throws KeyboardInterrupt.
 *
 * tfjs gets `verbose: 0` and, unless the reader chose otherwise, `yieldEvery: 'never'`.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { kerasLogs } from './display';
import { KeyboardInterrupt } from './interrupt';
import type { DisplayBundle, ProgressBundle } from '../contract/protocol';

type Tf = typeof tfTypes;

/**
 * What the fit instrumentation needs from the kernel: the running run, a way to show displays,
 * interrupt state, fit tracking, a macrotask yield, a clock and the two intervals (ms).
 */
export interface FitHost {
  /** The current run id, or undefined when no run is active. */
  runId(): number | undefined;
  display(bundle: DisplayBundle, displayId: string): void;
  /** True once the current run was asked to stop. */
  interrupted(): boolean;
  /** Registers a fit in progress until `done` settles; `stop` is called on interrupt. */
  track(done: Promise<unknown>, stop: () => void): void;
  macrotask(): Promise<void>;
  now(): number;
  yieldIntervalMs: number;
  progressIntervalMs: number;
}

const INSTALLED = Symbol.for('rnn-notebook.fit-instrumented');

interface CallbackLike {
  setParams(params: unknown): void;
  onBatchEnd(batch: number, logs?: unknown): Promise<void>;
}

function isCallbackInstance(c: unknown): c is CallbackLike {
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof (c as CallbackLike).setParams === 'function' &&
    typeof (c as CallbackLike).onBatchEnd === 'function'
  );
}

/**
 * Wraps `tf.LayersModel.prototype.fit` with the progress, history and interrupt behaviour
 * described above; calling it again does nothing.
 */
export function instrumentFit(tf: Tf, host: FitHost): void {
  const proto = tf.LayersModel.prototype as unknown as Record<PropertyKey, unknown>;
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const original = tf.LayersModel.prototype.fit;
  let fitCount = 0;

  async function fitImpl(
    this: tfTypes.LayersModel,
    x: unknown,
    y: unknown,
    args: tfTypes.ModelFitArgs = {},
  ): Promise<tfTypes.History> {
    const runId = host.runId();
    if (runId === undefined) return original.call(this, x as never, y as never, args);
    const model = this;
    const fitId = `fit-${runId}-${++fitCount}`;
    let stoppedByReader = false;
    let steps = 0;
    let epochs = args.epochs ?? 1;
    let epoch = 0;
    let step = 0;
    let epochStart = 0;
    let lastPost = -Infinity;
    let lastYield = host.now();
    let sums: Record<string, number> = {};
    let seen = 0;
    let lastEpochComplete = true;
    let lastHistoryPost = -Infinity;
    let historyPending = false;
    const history: { epochs: number[]; metrics: Record<string, number[]> } = { epochs: [], metrics: {} };

    const stop = () => {
      stoppedByReader = true;
      model.stopTraining = true;
    };
    const progress = (done: boolean, logs: Record<string, number>, stopped: boolean, now = host.now()) => {
      const bundle: ProgressBundle = {
        kind: 'progress',
        epoch,
        epochs,
        step,
        steps,
        elapsedMs: Math.round(now - epochStart),
        logs,
        done,
      };
      if (stopped) bundle.stopped = true;
      host.display(bundle, `${fitId}-epoch-${epoch}`);
      lastPost = now;
    };
    const postHistory = (now = host.now()) => {
      host.display({ kind: 'history', epochs: [...history.epochs], metrics: cloneMetrics(history.metrics) }, `${fitId}-history`);
      lastHistoryPost = now;
      historyPending = false;
    };
    /** The running means with Keras's names and order (sums are kept under tfjs's names). */
    const means = () => {
      const out: Record<string, number> = {};
      for (const k in sums) out[k] = seen > 0 ? sums[k] / seen : Number.NaN;
      return kerasLogs(out);
    };
    const maybeYield = async (force: boolean, now = host.now()) => {
      if (force || now - lastYield >= host.yieldIntervalMs) {
        await host.macrotask();
        lastYield = host.now();
      }
      if (host.interrupted() && !stoppedByReader) stop();
    };

    const ours = new tf.CustomCallback(
      {
        onTrainBegin: async () => {
          const params = (ours as unknown as { params: Record<string, number> }).params ?? {};
          const batchSize = params.batchSize || args.batchSize || 32;
          steps = params.samples != null ? Math.ceil(params.samples / batchSize) : 0;
          epochs = params.epochs ?? epochs;
        },
        onEpochBegin: async (e: number) => {
          epoch = e + 1;
          step = 0;
          sums = {};
          seen = 0;
          epochStart = host.now();
          // The empty line of a new epoch only when a line is due (the first epoch always):
          // epochs shorter than the interval show their final line only.
          if (e === 0 || epochStart - lastPost >= host.progressIntervalMs) progress(false, {}, false, epochStart);
        },
        onBatchEnd: async (batch: number, logs?: tfTypes.Logs) => {
          // Runs after every batch (782 times an epoch): one clock read, no allocation
          // unless a progress line is due.
          step = batch + 1;
          const size = typeof logs?.size === 'number' ? logs.size : 1;
          seen += size;
          for (const k in logs) {
            const v = logs[k];
            if (k !== 'batch' && k !== 'size' && typeof v === 'number') sums[k] = (sums[k] ?? 0) + v * size;
          }
          const now = host.now();
          if (now - lastPost >= host.progressIntervalMs) progress(false, means(), false, now);
          await maybeYield(false, now);
        },
        onEpochEnd: async (_e: number, logs?: tfTypes.Logs) => {
          lastEpochComplete = steps === 0 || step >= steps;
          if (lastEpochComplete) {
            const epochLogs = kerasLogs(logs);
            progress(true, epochLogs, stoppedByReader);
            history.epochs.push(epoch);
            for (const [k, v] of Object.entries(epochLogs)) (history.metrics[k] ??= []).push(v);
            historyPending = true;
            const now = host.now();
            if (now - lastHistoryPost >= host.progressIntervalMs) postHistory(now);
          } else {
            progress(false, means(), true);
          }
          await maybeYield(true);
        },
      },
      'never',
    );

    const user = args.callbacks == null ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks];
    const callbacks = user.map((c) =>
      isCallbackInstance(c) ? c : new tf.CustomCallback(c as tfTypes.CustomCallbackArgs, args.yieldEvery),
    );
    const fitArgs: tfTypes.ModelFitArgs = {
      ...args,
      verbose: 0,
      yieldEvery: args.yieldEvery ?? 'never',
      callbacks: [...(callbacks as tfTypes.CustomCallback[]), ours],
    };
    if (host.interrupted()) throw new KeyboardInterrupt();
    const running = original.call(this, x as never, y as never, fitArgs);
    host.track(running, stop);
    let result: tfTypes.History;
    try {
      result = await running;
    } finally {
      if (historyPending) postHistory();
    }
    if (stoppedByReader) {
      if (!lastEpochComplete) dropLastEpoch(result);
      throw new KeyboardInterrupt();
    }
    return result;
  }

  /** The promise is marked handled: a fit that is not awaited must not fail the page. */
  function fit(this: tfTypes.LayersModel, x: unknown, y: unknown, args?: tfTypes.ModelFitArgs) {
    const p = fitImpl.call(this, x, y, args);
    p.catch(() => {});
    return p;
  }

  tf.LayersModel.prototype.fit = fit as typeof original;
}

function cloneMetrics(m: Record<string, number[]>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(m)) out[k] = [...v];
  return out;
}

/** Removes a partial (interrupted) epoch from a tfjs History. */
function dropLastEpoch(h: tfTypes.History): void {
  if (!h || !Array.isArray(h.epoch) || h.epoch.length === 0) return;
  h.epoch.pop();
  for (const values of Object.values(h.history)) values.pop();
}
