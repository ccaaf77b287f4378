/**
 * The kernel: everything the worker does, as a class that runs in Node too. It takes a
 * `post` function (the worker's `postMessage`) and a module loader (dynamic imports of tfjs
 * and `src/rnn`), and handles the protocol's messages (protocol.ts):
 *
 * - executes run one at a time, in arrival order; each answers, in order, `status` busy,
 *   its streams and displays, exactly one `result` or `error`, then `status` idle
 *   (`starting` comes first, once, while tfjs loads);
 * - `interrupt` stops the running cell at its next yield point (after the current batch
 *   of fit, or at an `await`): it answers `result` with `interrupted: true`. Queued
 *   executes that never started are answered the same way with `executionCount: 0`.
 *   An `interrupt` while idle does nothing;
 * - `input_reply` answers a `files.pick()`.
 *
 * Invariants of the run loop (`pump` -> `execute` -> `runCell`), which is why no cell can be
 * left "running" without a reply while the worker lives:
 * - `execute` never throws and always posts exactly one `result` or `error` for its run: the
 *   reply goes through `reply()`, which remembers that it was sent, and `execute`'s `finally`
 *   sends a last-resort `error` (ename 'KernelError') when nothing was sent — whatever threw on
 *   the way (an error whose getters throw, a final value whose inspection throws, a tensor
 *   clean-up that trips on a Proxy, a reply that cannot be cloned);
 * - every step after the cell's code (waiting for fits, the display bundle, mapping the error,
 *   tensor hygiene) is guarded on its own, so one failing step loses only its own part;
 * - the cell's promise is raced against the run's interrupt signal, so Stop ends a run that
 *   waits on a promise it never awaited (`new Promise(r => setTimeout(r, 60000))` as the last
 *   line); `__rt.wait` yields a macrotask now and then (cell-runtime.ts), so a loop of
 *   `await`s on settled values still lets the `interrupt` message in;
 * - a callback a cell left behind (timer, microtask, handler) cannot kill the worker: its
 *   errors are reported as stderr output of the cell that scheduled it (callbacks.ts);
 * - the worker listens with `addEventListener`, so `self.onmessage = null` in a cell does not
 *   deafen it, and `self.close()` is refused. A worker that stops answering anyway is
 *   detected by the page (kernel-session.ts: no reply to an execute within a deadline).
 * - output is bounded per run (stream messages and characters, text and table sizes), so a
 *   runaway cell cannot flood the page; what was dropped is counted and said.
 */
import { CellSyntaxError, cellSourceURL, compileCell, withTypeScript } from '../cells/index';
import { ConsoleCapture, streamName, type Level } from './console-capture';
import { boundBundle, formatLogArgs, toBundle } from './display';
import type { CallbackHost } from './callbacks';
import { cellRuntime, kernelBuiltins } from './cell-runtime';
import { mapRuntimeError, type MappedError, type ScriptInfo } from './errors';
import { FileRequests } from './files';
import { instrumentFit, type FitHost } from './fit';
import { instrumentKerasArgs } from './keras-args';
import { instrumentUninterruptible } from './uninterruptible';
import { TensorHygiene } from './hygiene';
import { InterruptSignal, KeyboardInterrupt, isKeyboardInterrupt, isThenable } from './interrupt';
import { NotebookScope } from './notebook-scope';
import { PROTOCOL_VERSION, isToKernel, type DisplayBundle, type ExecuteRequest, type FromKernel, type ToKernel } from '../contract/protocol';
import { chooseBackend, configureData, moduleBuiltins, patchSummary, type LoadedModules } from './runtime';
import { patchModelSave } from './model-io';
import { macrotask } from './yield';

/**
 * How a Kernel is wired: where its messages go, how it loads tfjs and src/rnn, which console it
 * captures and its fit timing.
 */
export interface KernelOptions {
  post(msg: FromKernel): void;
  /** Loads tfjs and src/rnn (dynamic `import()` in the worker). Called on the first execute. */
  load(): Promise<LoadedModules>;
  /** The console to capture (default: the global one). */
  console?: Console;
  /** Wall time between macrotask yields during fit (default 40 ms). */
  yieldIntervalMs?: number;
  /** Minimum time between two progress updates of an epoch (default 200 ms) or of a download (default 100 ms). */
  progressIntervalMs?: number;
}

/** Most stream messages one run may send; later console output is counted, not sent. */
export const MAX_STREAM_MESSAGES = 5_000;
/** Unhandled-rejection warnings shown per run; later ones are summed up in one line. */
const MAX_REJECTION_WARNINGS = 5;
/** Most stream characters one run may send. */
export const MAX_STREAM_CHARS = 1_000_000;
/**
 * Earlier runs whose compiled cells are remembered for mapping stack frames, besides the
 * latest run of every cell (a re-run cell redefines its functions).
 */
const RECENT_SCRIPTS = 32;

interface OutputBudget {
  messages: number;
  chars: number;
  dropped: number;
}

interface Run {
  runId: number;
  signal: InterruptSignal;
  fits: Set<Promise<unknown>>;
  stops: Set<() => void>;
}

/** The kernel described above: `handle(msg)` takes every message from the page; one instance per worker. */
export class Kernel {
  readonly scope = new NotebookScope();
  private readonly scripts = new Map<string, ScriptInfo>();
  private readonly queue: ExecuteRequest[] = [];
  private readonly files: FileRequests;
  private readonly capture: ConsoleCapture;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly loadPosted = new Map<string, number>();
  private readonly cancelled = new Set<ExecuteRequest>();
  private pumping = false;
  private executionCount = 0;
  private base = '/';
  private mods: LoadedModules | undefined;
  private backend: string | undefined;
  private hygiene: TensorHygiene | undefined;
  private run: Run | undefined;
  private lastRunId: number | undefined;
  /** The run a callback belongs to while it runs (callbacks.ts). */
  private context: number | undefined;
  private readonly budgets = new Map<number, OutputBudget>();
  private readonly runScripts = new Map<number, string>();
  private readonly rejections = new Map<number | undefined, number>();

  constructor(private readonly options: KernelOptions) {
    this.files = new FileRequests((m) => this.post(m));
    this.capture = new ConsoleCapture(options.console ?? console, (level, args) => this.stream(level, args));
    this.capture.install();
    // tfjs calls nest deep; with V8's default of 10 frames a cell's own frame is often cut off.
    const E = Error as { stackTraceLimit?: number };
    if (typeof E.stackTraceLimit === 'number' && E.stackTraceLimit < 100) E.stackTraceLimit = 100;
    Object.assign(
      this.scope.builtins,
      kernelBuiltins({
        show: (b, id) => this.show(b, id),
        tf: () => this.mods?.tf,
        run: () => this.run,
        files: this.files,
      }),
    );
  }

  /** Handles one message from the page. Unknown messages are ignored. */
  handle(msg: unknown): void {
    if (!isToKernel(msg)) return;
    const m = msg as ToKernel;
    switch (m.type) {
      case 'init':
        this.base = m.base.endsWith('/') ? m.base : `${m.base}/`;
        this.post({ type: 'status', state: 'idle', backend: this.backend, numTensors: this.numTensors(), protocolVersion: PROTOCOL_VERSION });
        break;
      case 'execute':
        this.queue.push(m);
        void this.pump();
        break;
      case 'interrupt':
        this.interrupt();
        break;
      case 'input_reply':
        this.files.reply(m);
        break;
    }
  }

  /** Resolves once no run is active or queued (for tests and tools). */
  whenIdle(): Promise<void> {
    if (!this.pumping && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** What callbacks.ts needs to attribute callbacks (and their errors) to runs. */
  callbackHost(): CallbackHost {
    return {
      runId: () => this.currentRunId(),
      within: (runId, fn) => {
        const saved = this.context;
        this.context = runId;
        try {
          return fn();
        } finally {
          this.context = saved;
        }
      },
      error: (error, runId, where) => this.reportLate(error, runId, `Uncaught error in ${where}`),
      rejection: (reason, runId) => {
        // A runaway promise chain can reject thousands of times: a few warnings say enough.
        const id = runId ?? this.currentRunId();
        const n = (this.rejections.get(id) ?? 0) + 1;
        this.rejections.set(id, n);
        if (this.rejections.size > 32) this.rejections.delete(this.rejections.keys().next().value);
        if (n <= MAX_REJECTION_WARNINGS) this.reportLate(reason, runId, 'Warning: unhandled promise rejection');
        else if (n === MAX_REJECTION_WARNINGS + 1 && id !== undefined) {
          this.within(id, () => this.stream('warn', ['(further unhandled promise rejections of this run are not shown)']));
        }
      },
    };
  }

  /** Shows an error raised outside the run's own code on stderr of the run it belongs to. */
  private reportLate(error: unknown, runId: number | undefined, heading: string): void {
    try {
      const id = runId ?? this.currentRunId();
      const url = id !== undefined ? this.runScripts.get(id) : undefined;
      const m = mapRuntimeError(error, this.scripts, url ?? '', (name) => this.scope.isLocked(name));
      const at = m.line !== undefined ? ` (line ${m.line})` : '';
      const lines = [`${heading}${at}: ${m.ename}: ${m.evalue}`, ...m.traceback.map((t) => `    ${t}`)];
      if (id === undefined) {
        this.options.console?.error?.(lines.join('\n'));
        return;
      }
      this.within(id, () => this.stream('error', [lines.join('\n')]));
    } catch {
      // reporting must never throw out of an error handler
    }
  }

  private within(runId: number, fn: () => void): void {
    const saved = this.context;
    this.context = runId;
    try {
      fn();
    } finally {
      this.context = saved;
    }
  }

  /** Restores the console. The page restarts a kernel by terminating its worker instead. */
  dispose(): void {
    this.capture.uninstall();
  }

  private post(msg: FromKernel): void {
    this.options.post(msg);
  }

  private numTensors(): number {
    return this.mods ? this.mods.tf.memory().numTensors : 0;
  }

  private currentRunId(): number | undefined {
    return this.context ?? this.run?.runId ?? this.lastRunId;
  }

  private budget(runId: number): OutputBudget {
    let b = this.budgets.get(runId);
    if (!b) {
      b = { messages: 0, chars: 0, dropped: 0 };
      this.budgets.set(runId, b);
      // Old runs' budgets go (their late output then starts a fresh, equally bounded one).
      if (this.budgets.size > 32) this.budgets.delete(this.budgets.keys().next().value!);
    }
    return b;
  }

  private stream(level: Level, args: unknown[]): boolean {
    const runId = this.currentRunId();
    if (runId === undefined) return false;
    const b = this.budget(runId);
    if (b.messages >= MAX_STREAM_MESSAGES || b.chars >= MAX_STREAM_CHARS) {
      b.dropped++;
      return true;
    }
    let text: string;
    try {
      text = `${formatLogArgs(args, this.mods?.tf)}\n`;
    } catch (e) {
      text = `(console output could not be formatted: ${String((e as Error)?.message ?? e)})\n`;
    }
    if (b.chars + text.length > MAX_STREAM_CHARS) text = `${text.slice(0, Math.max(0, MAX_STREAM_CHARS - b.chars))}…\n`;
    b.messages++;
    b.chars += text.length;
    this.post({ type: 'stream', runId, name: streamName(level), level, text });
    return true;
  }

  /** Says how much console output of `runId` was not sent (once per run, at its end). */
  private flushDropped(runId: number): void {
    const b = this.budgets.get(runId);
    if (!b || b.dropped === 0) return;
    const n = b.dropped;
    b.dropped = 0;
    const text = `… ${n.toLocaleString('en-US')} more console output${n === 1 ? '' : 's'} not shown (limit: ${MAX_STREAM_MESSAGES.toLocaleString('en-US')} outputs or ${MAX_STREAM_CHARS.toLocaleString('en-US')} characters per run)\n`;
    this.post({ type: 'stream', runId, name: 'stderr', level: 'warn', text });
  }

  private show(bundle: DisplayBundle, displayId?: string): boolean {
    const runId = this.currentRunId();
    if (runId === undefined) return false;
    const b = boundBundle(bundle);
    this.post(displayId === undefined ? { type: 'display', runId, bundle: b } : { type: 'display', runId, displayId, bundle: b });
    return true;
  }

  private interrupt(): void {
    if (!this.run) return;
    this.run.signal.interrupt();
    // Answered in order, after the interrupted run's own reply.
    for (const req of this.queue) this.cancelled.add(req);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length) {
        const req = this.queue.shift()!;
        if (this.cancelled.delete(req)) {
          this.post({ type: 'result', runId: req.runId, executionCount: 0, numTensors: this.numTensors(), interrupted: true });
        } else {
          try {
            await this.execute(req);
          } catch {
            // execute never throws (see its finally); this only keeps the loop alive.
          }
        }
      }
    } finally {
      this.pumping = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async ensureLoaded(): Promise<LoadedModules> {
    if (this.mods) return this.mods;
    this.post({ type: 'status', state: 'starting' });
    const mods = await this.options.load();
    const warn = (message: string) => this.stream('warn', [message]);
    this.backend = await chooseBackend(mods);
    configureData(mods, this.base, (label, loaded, total, done) => this.loadProgress(label, loaded, total, done), warn);
    patchSummary(mods.tf, (b) => this.show(b), (fn) => this.capture.isConsoleMethod(fn));
    patchModelSave(mods.tf, (b) => this.show(b));
    instrumentFit(mods.tf, this.fitHost());
    instrumentKerasArgs(mods.tf);
    instrumentUninterruptible(mods.tf, () => this.run?.runId, (msg) => this.post(msg));
    Object.assign(this.scope.builtins, moduleBuiltins(mods));
    this.hygiene = new TensorHygiene(mods.tf);
    this.mods = mods;
    return mods;
  }

  private loadProgress(label: string, loaded: number, total: number, done: boolean): void {
    const runId = this.currentRunId();
    const now = performance.now();
    const key = `${runId}:${label}`;
    if (!done && now - (this.loadPosted.get(key) ?? -Infinity) < (this.options.progressIntervalMs ?? 100)) return;
    this.loadPosted.set(key, now);
    this.show({ kind: 'load', label, loaded, total: total > 0 ? total : undefined, done }, `load-${runId}-${label}`);
  }

  private fitHost(): FitHost {
    return {
      runId: () => this.run?.runId,
      display: (bundle, id) => this.show(bundle, id),
      interrupted: () => this.run?.signal.interrupted ?? false,
      track: (done, stop) => {
        const run = this.run;
        if (!run) return;
        run.fits.add(done);
        run.stops.add(stop);
        const cleanup = () => {
          run.fits.delete(done);
          run.stops.delete(stop);
        };
        done.then(cleanup, cleanup);
      },
      macrotask,
      print: (text) => {
        this.stream('log', [text]);
      },
      now: () => performance.now(),
      yieldIntervalMs: this.options.yieldIntervalMs ?? 40,
      // 5 lines a second: each one costs the page a style, layout and paint of the lesson
      // (10-14 ms of main-thread time each under load in the page bench's trace), time a
      // 2-core laptop takes from training.
      progressIntervalMs: this.options.progressIntervalMs ?? 200,
    };
  }

  private async execute(req: ExecuteRequest): Promise<void> {
    const executionCount = ++this.executionCount;
    const { runId } = req;
    const run: Run = { runId, signal: new InterruptSignal(), fits: new Set(), stops: new Set() };
    this.run = run;
    this.lastRunId = runId;
    run.signal.onInterrupt(() => {
      for (const stop of run.stops) {
        try {
          stop();
        } catch {
          // a fit that cannot be stopped ends on its own
        }
      }
      this.files.cancelAll(new KeyboardInterrupt());
      // A stalled download must not keep the next run waiting on the same dead request.
      try {
        (this.mods?.rnn as { abortDownloads?: (reason?: string) => void } | undefined)?.abortDownloads?.('stopped by the reader');
      } catch {
        // best effort
      }
    });
    let replied = false;
    /** Posts the run's one reply; a reply that cannot be posted (not cloneable) becomes an error. */
    const reply = (msg: FromKernel & { type: 'result' | 'error' }) => {
      if (replied) return;
      this.flushDropped(runId);
      try {
        this.post(msg);
        replied = true;
      } catch (e) {
        this.post({
          type: 'error',
          runId,
          executionCount,
          ename: 'KernelError',
          evalue: `The cell's outcome could not be sent to the page: ${safeMessage(e)}`,
          traceback: [],
          numTensors: this.numTensors(),
        });
        replied = true;
      }
    };
    const fail = (e: MappedError) => reply({ type: 'error', runId, executionCount, ...e, numTensors: this.numTensors() });
    try {
      let mods: LoadedModules;
      try {
        mods = await this.ensureLoaded();
      } catch (e) {
        const err = e as Error;
        fail({ ename: err?.name ?? 'Error', evalue: `Could not start TensorFlow.js: ${err?.message ?? e}`, traceback: [] });
        return;
      }
      this.post({ type: 'status', state: 'busy', backend: this.backend, numTensors: this.numTensors() });
      await this.runCell(req, run, executionCount, mods, fail, reply);
    } catch (e) {
      fail({ ename: 'KernelError', evalue: `The kernel failed while running this cell: ${safeMessage(e)}`, traceback: [] });
    } finally {
      if (!replied) {
        fail({ ename: 'KernelError', evalue: 'The kernel could not finish this run; its definitions are kept.', traceback: [] });
      }
      this.run = undefined;
      this.post({ type: 'status', state: 'idle', backend: this.backend, numTensors: this.numTensors() });
    }
  }

  /**
   * Drops the position maps of old runs so a long session's heap stays flat: kept are the
   * latest run of every cell and the RECENT_SCRIPTS most recent runs. Errors in functions
   * defined by a forgotten run still show, only without their line.
   */
  private pruneScripts(): void {
    const latest = new Map<string, string>();
    for (const [url, info] of this.scripts) latest.set(info.cellId, url);
    const keep = new Set(latest.values());
    const urls = [...this.scripts.keys()];
    for (const url of urls.slice(0, Math.max(0, urls.length - RECENT_SCRIPTS))) {
      if (!keep.has(url)) this.scripts.delete(url);
    }
    while (this.runScripts.size > RECENT_SCRIPTS * 2) this.runScripts.delete(oldest(this.runScripts)!);
    for (const key of this.loadPosted.keys()) {
      if (!key.startsWith(`${this.lastRunId}:`)) this.loadPosted.delete(key);
    }
  }

  /** How many compiled cells the kernel remembers (for tests: it must stay bounded). */
  get rememberedScripts(): number {
    return this.scripts.size;
  }

  private async runCell(
    req: ExecuteRequest,
    run: Run,
    executionCount: number,
    mods: LoadedModules,
    fail: (e: MappedError) => void,
    reply: (msg: FromKernel & { type: 'result' | 'error' }) => void,
  ): Promise<void> {
    const sourceURL = cellSourceURL(req.cellId, executionCount);
    let compiled;
    try {
      // A cell that is not plain JavaScript loads sucrase only now (src/cells/parse.ts).
      compiled = await withTypeScript(() =>
        compileCell(req.code, {
          sourceURL,
          known: (name) => this.scope.has(name),
          isGlobal: (name) => name in globalThis,
        }),
      );
    } catch (e) {
      if (!(e instanceof CellSyntaxError)) throw e;
      fail({ ename: 'SyntaxError', evalue: e.message, line: e.line, column: e.column, traceback: [] });
      return;
    }
    this.scripts.set(sourceURL, { cellId: req.cellId, toCell: compiled.toCell });
    this.runScripts.set(req.runId, sourceURL);
    this.pruneScripts();
    let fn: (nb: unknown, rt: unknown) => Promise<unknown>;
    try {
      fn = (0, eval)(compiled.code);
    } catch (e) {
      fail({ ename: 'SyntaxError', evalue: safeMessage(e), traceback: [] });
      return;
    }
    this.scope.unlock(compiled.declarations);
    const rt = cellRuntime(this.scope, () => this.run?.signal);
    const hygiene = this.hygiene!;
    hygiene.begin();
    let value: unknown;
    let error: unknown;
    let failed = false;
    try {
      // Raced, so that Stop ends a run whose last line is a promise it never awaited.
      value = await run.signal.race(fn(this.scope.values, rt));
      if (isThenable(value)) value = await run.signal.race(value);
    } catch (e) {
      failed = true;
      error = e;
    }
    while (run.fits.size) await Promise.allSettled([...run.fits]);
    let bundle: DisplayBundle | undefined;
    if (!failed) {
      try {
        bundle = toBundle(value, mods.tf);
        if (bundle) bundle = boundBundle(bundle);
      } catch (e) {
        failed = true;
        error = e;
      }
    }
    try {
      hygiene.end(this.scope.ownValues());
    } catch (e) {
      this.stream('warn', [`Tensor clean-up after this run was skipped: ${safeMessage(e)}`]);
    }
    const numTensors = this.numTensors();
    if (failed && isKeyboardInterrupt(error)) {
      reply({ type: 'result', runId: req.runId, executionCount, numTensors, interrupted: true });
    } else if (failed) {
      fail(mapRuntimeError(error, this.scripts, sourceURL, (name) => this.scope.isLocked(name)));
    } else {
      reply({ type: 'result', runId: req.runId, executionCount, numTensors, ...(bundle ? { bundle } : {}) });
    }
  }
}

/** Keys of `map` in insertion order, oldest first. */
function oldest<K, V>(map: Map<K, V>): K | undefined {
  return map.keys().next().value;
}

/** A message for any thrown value, without ever throwing itself. */
function safeMessage(e: unknown): string {
  try {
    const m = (e as { message?: unknown } | null)?.message;
    return typeof m === 'string' ? m : String(e);
  } catch {
    return '(unprintable error)';
  }
}
