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
 */
import { CellSyntaxError, cellSourceURL, compileCell } from '../cells/index';
import { ConsoleCapture, streamName, type Level } from './console-capture';
import { formatLogArgs, toBundle } from './display';
import { cellRuntime, kernelBuiltins } from './cell-runtime';
import { mapRuntimeError, type MappedError, type ScriptInfo } from './errors';
import { FileRequests } from './files';
import { instrumentFit, type FitHost } from './fit';
import { TensorHygiene } from './hygiene';
import { InterruptSignal, KeyboardInterrupt, isKeyboardInterrupt, isThenable } from './interrupt';
import { NotebookScope } from './notebook-scope';
import { isToKernel, type DisplayBundle, type ExecuteRequest, type FromKernel, type ToKernel } from './protocol';
import { chooseBackend, configureData, moduleBuiltins, patchSummary, type LoadedModules } from './runtime';
import { patchModelSave } from './model-io';
import { macrotask } from './yield';

export interface KernelOptions {
  post(msg: FromKernel): void;
  /** Loads tfjs and src/rnn (dynamic `import()` in the worker). Called on the first execute. */
  load(): Promise<LoadedModules>;
  /** The console to capture (default: the global one). */
  console?: Console;
  /** Wall time between macrotask yields during fit (default 40 ms). */
  yieldIntervalMs?: number;
  /** Minimum time between two progress updates of an epoch (default 100 ms). */
  progressIntervalMs?: number;
}

interface Run {
  runId: number;
  signal: InterruptSignal;
  fits: Set<Promise<unknown>>;
  stops: Set<() => void>;
}

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
  private requestedBackend: string | undefined;
  private mods: LoadedModules | undefined;
  private backend: string | undefined;
  private hygiene: TensorHygiene | undefined;
  private run: Run | undefined;
  private lastRunId: number | undefined;

  constructor(private readonly options: KernelOptions) {
    this.files = new FileRequests((m) => this.post(m));
    this.capture = new ConsoleCapture(options.console ?? console, (level, args) => this.stream(level, args));
    this.capture.install();
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
        this.requestedBackend = m.backend;
        this.post({ type: 'status', state: 'idle', backend: this.backend, numTensors: this.numTensors() });
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
    return this.run?.runId ?? this.lastRunId;
  }

  private stream(level: Level, args: unknown[]): boolean {
    const runId = this.currentRunId();
    if (runId === undefined) return false;
    const text = `${formatLogArgs(args, this.mods?.tf)}\n`;
    this.post({ type: 'stream', runId, name: streamName(level), level, text });
    return true;
  }

  private show(bundle: DisplayBundle, displayId?: string): boolean {
    const runId = this.currentRunId();
    if (runId === undefined) return false;
    this.post(displayId === undefined ? { type: 'display', runId, bundle } : { type: 'display', runId, displayId, bundle });
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
          await this.execute(req);
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
    this.backend = await chooseBackend(mods, this.requestedBackend, warn);
    configureData(mods, this.base, (label, loaded, total, done) => this.loadProgress(label, loaded, total, done), warn);
    patchSummary(mods.tf, (b) => this.show(b), (fn) => this.capture.isConsoleMethod(fn));
    patchModelSave(mods.tf, (b) => this.show(b));
    instrumentFit(mods.tf, this.fitHost());
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
      now: () => performance.now(),
      yieldIntervalMs: this.options.yieldIntervalMs ?? 40,
      progressIntervalMs: this.options.progressIntervalMs ?? 100,
    };
  }

  private async execute(req: ExecuteRequest): Promise<void> {
    const executionCount = ++this.executionCount;
    const { runId } = req;
    const run: Run = { runId, signal: new InterruptSignal(), fits: new Set(), stops: new Set() };
    this.run = run;
    this.lastRunId = runId;
    run.signal.onInterrupt(() => {
      for (const stop of run.stops) stop();
      this.files.cancelAll(new KeyboardInterrupt());
    });
    const fail = (e: MappedError) =>
      this.post({ type: 'error', runId, executionCount, ...e, numTensors: this.numTensors() });
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
      await this.runCell(req, run, executionCount, mods, fail);
    } finally {
      this.run = undefined;
      this.post({ type: 'status', state: 'idle', backend: this.backend, numTensors: this.numTensors() });
    }
  }

  private async runCell(
    req: ExecuteRequest,
    run: Run,
    executionCount: number,
    mods: LoadedModules,
    fail: (e: MappedError) => void,
  ): Promise<void> {
    const sourceURL = cellSourceURL(req.cellId, executionCount);
    let compiled;
    try {
      compiled = compileCell(req.code, {
        sourceURL,
        known: (name) => this.scope.has(name),
        isGlobal: (name) => name in globalThis,
      });
    } catch (e) {
      if (!(e instanceof CellSyntaxError)) throw e;
      fail({ ename: 'SyntaxError', evalue: e.message, line: e.line, column: e.column, traceback: [] });
      return;
    }
    this.scripts.set(sourceURL, { cellId: req.cellId, toCell: compiled.toCell });
    let fn: (nb: unknown, rt: unknown) => Promise<unknown>;
    try {
      fn = (0, eval)(compiled.code);
    } catch (e) {
      fail({ ename: 'SyntaxError', evalue: String((e as Error)?.message ?? e), traceback: [] });
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
      value = await fn(this.scope.values, rt);
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
      } catch (e) {
        failed = true;
        error = e;
      }
    }
    hygiene.end(this.scope.ownValues());
    const numTensors = this.numTensors();
    if (failed && isKeyboardInterrupt(error)) {
      this.post({ type: 'result', runId: req.runId, executionCount, numTensors, interrupted: true });
    } else if (failed) {
      fail(mapRuntimeError(error, this.scripts, sourceURL, (name) => this.scope.isLocked(name)));
    } else {
      this.post({ type: 'result', runId: req.runId, executionCount, numTensors, ...(bundle ? { bundle } : {}) });
    }
  }
}
