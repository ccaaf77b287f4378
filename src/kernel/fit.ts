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
 *   returns) keeps only completed epochs, and fit then throws KeyboardInterrupt;
 * - runs the validation at the end of each epoch batch by batch with the same yields
 *   (`validationData` or `validationSplit`). tfjs's own `testLoop` is one synchronous call: at
 *   the course size it held the worker for 1-1.5 s (traced), longer on a slow phone, and a
 *   Stop the worker cannot answer within 2 s makes the page terminate the kernel, losing every
 *   definition. The numbers are tfjs's: the same test function on the same batches, summed
 *   as `testLoop` sums them (see `validateInSteps`). A Stop during validation ends fit as one
 *   during training does; that epoch is then incomplete (Keras too records no epoch whose
 *   validation was interrupted).
 *
 * The arguments are checked first (keras-args.ts: unknown or snake_case keys and positional
 * numbers are refused by name). `verbose` is Keras's:
 * - 1 or 'auto' (the default): the live progress lines and the history table and chart;
 * - 2: one plain line per epoch, as Keras prints it (`Epoch 1/3` then
 *   `5/5 - 1s - 120ms/step - accuracy: 0.5000 - loss: 0.6931`), no bar; the history table and
 *   chart still show (they are the page's, not Keras's, and cost nothing per batch);
 * - 0: silent, as Keras is: no progress and no history display (the returned History still
 *   shows when it is the cell's value or passed to `display`). Stop works the same.
 * The History that fit returns and the logs the reader's callbacks get carry Keras's metric
 * names too (`accuracy`, `val_accuracy` beside tfjs's `acc`, `val_acc`), as non-enumerable
 * aliases, so iterating them lists each metric once.
 *
 * The history display is first posted once the second epoch's line is on the page (or when fit
 * ends): output printed during epoch 1 (the stock-layer notice, the reader's logs) closes the
 * page's box of progress lines, and a history posted at the end of epoch 1 would then sit
 * between the lines of epochs 1 and 2.
 *
 * tfjs gets `verbose: 0` and, unless the reader chose otherwise, `yieldEvery: 'never'`.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { kerasLogs, kerasMetricName } from './display';
import { checkArgs } from './keras-args';
import { formatMetric, formatStepTime, orderMetricNames } from '../contract/keras-format';
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
  /** Prints a line of text (stdout) in the running cell (`verbose: 2`); without it nothing is printed. */
  print?(text: string): void;
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

  /**
   * Models whose `fit` is running under the instrumentation, with what replaces tfjs's
   * end-of-epoch validation for them (`fitLoop` is a method of the trained LayersModel, the
   * same object `fit` runs on: a Sequential trains through its inner model).
   */
  const stepwise = new WeakMap<object, (valF: TestFunction, valIns: ValIns, batchSize: number, outLabels: string[]) => tfTypes.CustomCallback>();
  const originalFitLoop = proto.fitLoop as FitLoop;
  proto.fitLoop = function (this: tfTypes.LayersModel, ...a: Parameters<FitLoop>) {
    const make = stepwise.get(this);
    const [f, ins, outLabels, batchSize, epochs, verbose, callbacks, valF, valIns, shuffle, metrics, initialEpoch, stepsPerEpoch, validationSteps] = a;
    if (!make || valF == null || valIns == null || stepsPerEpoch != null || validationSteps != null) {
      return originalFitLoop.apply(this, a);
    }
    // tfjs then skips its own validation; ours runs first in onEpochEnd, so the reader's
    // callbacks, the progress line and History all see the val_ logs as before.
    const validator = make(valF, valIns, batchSize ?? 32, outLabels);
    return originalFitLoop.call(this, f, ins, outLabels, batchSize, epochs, verbose, [validator, ...(callbacks ?? [])], null, null, shuffle, metrics, initialEpoch, stepsPerEpoch, validationSteps);
  };

  async function fitImpl(
    this: tfTypes.LayersModel,
    x: unknown,
    y: unknown,
    args: tfTypes.ModelFitArgs = {},
    extra: unknown[] = [],
  ): Promise<tfTypes.History> {
    checkArgs('fit', args, extra);
    args ??= {};
    const runId = host.runId();
    if (runId === undefined) return original.call(this, x as never, y as never, args);
    const v = (args as { verbose?: unknown }).verbose;
    const verbose = v === 0 ? 0 : v === 2 ? 2 : 1;
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
    /** The current epoch's validation was abandoned on Stop (the epoch is then incomplete). */
    let validationAbandoned = false;
    let lastHistoryPost = -Infinity;
    let historyPending = false;
    /** The history display is on the page (its first post waits for epoch 2's line, see above). */
    let historyShown = false;
    const history: { epochs: number[]; metrics: Record<string, number[]> } = { epochs: [], metrics: {} };

    const stop = () => {
      stoppedByReader = true;
      model.stopTraining = true;
    };
    const progress = (done: boolean, logs: Record<string, number>, stopped: boolean, now = host.now()) => {
      lastPost = now;
      if (verbose === 2 && done && !stopped) host.print?.(epochLine(step, steps, now - epochStart, logs));
      if (verbose !== 1) return;
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
      if (epoch >= 2 && !historyShown && historyPending) postHistory(now);
    };
    const postHistory = (now = host.now()) => {
      historyPending = false;
      if (verbose === 0) return;
      historyShown = true;
      host.display({ kind: 'history', epochs: [...history.epochs], metrics: cloneMetrics(history.metrics) }, `${fitId}-history`);
      lastHistoryPost = now;
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
          validationAbandoned = false;
          step = 0;
          sums = {};
          seen = 0;
          epochStart = host.now();
          if (verbose === 2) host.print?.(`Epoch ${epoch}/${epochs}`);
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
          lastEpochComplete = (steps === 0 || step >= steps) && !validationAbandoned;
          if (lastEpochComplete) {
            const epochLogs = kerasLogs(logs);
            progress(true, epochLogs, stoppedByReader);
            history.epochs.push(epoch);
            for (const [k, v] of Object.entries(epochLogs)) (history.metrics[k] ??= []).push(v);
            historyPending = true;
            const now = host.now();
            if (historyShown && now - lastHistoryPost >= host.progressIntervalMs) postHistory(now);
          } else {
            progress(false, means(), true);
          }
          await maybeYield(true);
        },
      },
      'never',
    );

    const user = args.callbacks == null ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks];
    // The reader's own callbacks see Keras's metric names in their logs. Only theirs: a callback
    // of our own with onBatchEnd would make tfjs read the loss back after every batch (about
    // 0.7 s of the course's LSTM epoch in the page), which the progress lines avoid.
    const withAliases = <F extends ((i: number, logs?: tfTypes.Logs) => unknown) | undefined>(fn: F): F =>
      (fn && ((i: number, logs?: tfTypes.Logs) => (aliasKerasNames(logs), fn(i, logs)))) as F;
    const callbacks = user.map((c) => {
      if (isCallbackInstance(c)) return c;
      const a = c as tfTypes.CustomCallbackArgs;
      return new tf.CustomCallback({ ...a, onBatchEnd: withAliases(a.onBatchEnd), onEpochEnd: withAliases(a.onEpochEnd) }, args.yieldEvery);
    });
    const fitArgs: tfTypes.ModelFitArgs = {
      ...args,
      verbose: 0,
      yieldEvery: args.yieldEvery ?? 'never',
      callbacks: [...(callbacks as tfTypes.CustomCallback[]), ours],
    };
    if (host.interrupted()) throw new KeyboardInterrupt();
    stepwise.set(model, (valF, valIns, batchSize, outLabels) => {
      const validator = new tf.CustomCallback(
        {
          onEpochEnd: async (_e: number, logs?: tfTypes.Logs) => {
            if (!logs) return;
            // Stopped during the epoch: tfjs validates only once the last batch ran, and a Stop
            // in that batch's callbacks would leave this epoch without its val_ logs, so it
            // counts as incomplete (dropped, as Keras drops an interrupted epoch).
            if (stoppedByReader) {
              validationAbandoned = true;
              return;
            }
            const values = await validateInSteps(tf, valF, valIns, batchSize, () => maybeYield(false), () => stoppedByReader);
            if (values === null) {
              validationAbandoned = true;
              return;
            }
            outLabels.forEach((label, i) => (logs[`val_${label}`] = values[i]));
          },
        },
        'never',
      );
      // The callbacks' shared params say what tfjs would have said with its own validation.
      const setParams = validator.setParams.bind(validator);
      validator.setParams = (p) => {
        (p as unknown as Record<string, unknown>).doValidation = true;
        setParams(p);
      };
      return validator;
    });
    const running = original.call(this, x as never, y as never, fitArgs);
    host.track(running, stop);
    let result: tfTypes.History;
    try {
      result = await running;
    } finally {
      stepwise.delete(model);
      if (historyPending) postHistory();
    }
    if (stoppedByReader) {
      if (!lastEpochComplete) dropLastEpoch(result);
      throw new KeyboardInterrupt();
    }
    if (result?.history) aliasKerasNames(result.history);
    return result;
  }

  /** The promise is marked handled: a fit that is not awaited must not fail the page. */
  function fit(this: tfTypes.LayersModel, x: unknown, y: unknown, args?: tfTypes.ModelFitArgs, ...extra: unknown[]) {
    const p = fitImpl.call(this, x, y, args, extra);
    p.catch(() => {});
    return p;
  }

  tf.LayersModel.prototype.fit = fit as typeof original;
}

/** tfjs's test function: one batch `[...inputs, ...targets, ...sample weights]` to `[loss, ...metrics]`. */
type TestFunction = (batch: tfTypes.Tensor[]) => tfTypes.Scalar[];
/** The validation arrays tfjs hands its fit loop (null entries for absent sample weights). */
type ValIns = (tfTypes.Tensor | null)[];
/** `LayersModel.fitLoop` (tfjs-layers engine/training.ts): the arguments as tfjs passes them. */
type FitLoop = (
  f: unknown,
  ins: unknown,
  outLabels: string[],
  batchSize: number | undefined,
  epochs: number | undefined,
  verbose: number | undefined,
  callbacks: unknown[] | undefined,
  valF: TestFunction | null | undefined,
  valIns: ValIns | null | undefined,
  shuffle: unknown,
  callbackMetrics: unknown,
  initialEpoch: number | undefined,
  stepsPerEpoch: number | null | undefined,
  validationSteps: number | null | undefined,
) => Promise<tfTypes.History>;

/**
 * tfjs's `testLoop`, batch by batch, awaiting `pause()` after each batch: the batches of
 * `batchSize` in order, each batch's outputs weighted by its size and summed with tfjs ops in
 * the same order, divided by the sample count at the end, so the values equal tfjs's to the
 * last bit. Returns null (and keeps nothing) when `abandoned()` turns true.
 */
export async function validateInSteps(
  tf: Tf,
  valF: TestFunction,
  valIns: ValIns,
  batchSize: number,
  pause: () => Promise<void>,
  abandoned: () => boolean,
): Promise<number[] | null> {
  const first = valIns.find((t): t is tfTypes.Tensor => t != null);
  const n = first?.shape[0] ?? 0;
  let sums: tfTypes.Scalar[] | null = null;
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const prev: tfTypes.Scalar[] | null = sums;
      sums = tf.tidy(() => {
        const outs = valF(valIns.map((t) => (t == null ? (null as unknown as tfTypes.Tensor) : tf.slice(t, start, size))));
        return outs.map((o, i) => tf.add(prev ? prev[i] : tf.scalar(0), tf.mul(size, o)) as tfTypes.Scalar);
      });
      if (prev) tf.dispose(prev);
      await pause();
      if (abandoned()) return null;
    }
    if (!sums) return [];
    const totals: tfTypes.Scalar[] = sums;
    return tf.tidy(() => totals.map((s) => tf.div(s, n).dataSync()[0]));
  } finally {
    if (sums) tf.dispose(sums);
  }
}

/**
 * Adds Keras's name of each tfjs metric key (`acc` -> `accuracy`, `val_acc` -> `val_accuracy`)
 * as a non-enumerable alias of the same value: `logs.accuracy`, `history.history.accuracy`
 * work as in Keras while `Object.keys`, `for…in` and JSON list each metric once.
 */
export function aliasKerasNames(obj: Record<string, unknown> | undefined): void {
  if (!obj) return;
  for (const k of Object.keys(obj)) {
    const alias = kerasMetricName(k);
    if (alias === k || Object.prototype.hasOwnProperty.call(obj, alias)) continue;
    Object.defineProperty(obj, alias, {
      get: () => obj[k],
      set: (value: unknown) => {
        obj[k] = value;
      },
      enumerable: false,
      configurable: true,
    });
  }
}

/**
 * The line Keras 3 prints at the end of an epoch with `verbose=2`:
 * `782/782 - 27s - 34ms/step - accuracy: 0.7818 - loss: 0.4638 - val_accuracy: … - val_loss: …`
 * (training metrics in name order, then the validation ones).
 */
export function epochLine(step: number, steps: number, elapsedMs: number, logs: Record<string, number>): string {
  const total = steps || step;
  const count = `${String(step).padStart(String(Math.max(1, total)).length, ' ')}/${total}`;
  const seconds = Math.max(0, elapsedMs) / 1000;
  const metrics = orderMetricNames(Object.keys(logs), false).map((k) => ` - ${k}: ${formatMetric(logs[k]!)}`).join('');
  return `${count} - ${Math.round(seconds)}s - ${formatStepTime(step > 0 ? seconds / step : 0)}${metrics}`;
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
