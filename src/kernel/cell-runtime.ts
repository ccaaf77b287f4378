/**
 * The helpers compiled cells call (`__rt` in generated code, see src/cells/transpile.ts) and
 * the builtins the kernel adds to every notebook (`display`, `files`).
 */
import { tableBundle, toBundle, type TfForDisplay } from './display';
import { AWAIT_SITE } from './errors';
import { gatesBundle, plotBundle, type GatesDisplayOptions, type PlotArgs } from './gates-display';
import type { FileRequests, PickOptions } from './files';
import { isThenable, type InterruptSignal } from './interrupt';
import { macrotask } from './yield';
import type { NotebookScope } from './notebook-scope';
import type { DisplayBundle } from '../contract/protocol';

/** The helpers compiled cell code calls through `__rt` (see src/cells/generated.ts). */
export interface CellRuntime {
  /** A free name, looked up when the code runs. */
  ref(name: string, forTypeof?: boolean): unknown;
  /** Every `await` in cell code. */
  wait(value: unknown): unknown;
  /** Makes top-level `const` names read-only. */
  lock(...names: string[]): void;
}

/**
 * The `__rt` object for one run: names resolve in the notebook scope, and every `await` races the
 * run's interrupt signal (yielding to the worker now and then).
 */
export function cellRuntime(scope: NotebookScope, signal: () => InterruptSignal | undefined): CellRuntime {
  return {
    ref: (name, forTypeof) => scope.ref(name, forTypeof),
    wait: (value) => awaitInRun(signal(), value),
    lock: (...names) => scope.lock(names),
  };
}

/** How long a cell may await without the worker handling messages (see awaitInRun). */
const YIELD_EVERY_MS = 50;
let lastYield = 0;

/**
 * Awaits `value` unless the run is stopped (then KeyboardInterrupt). When the awaited promise
 * rejects, the stack of the `await` is attached to the error (AWAIT_SITE), so errors born
 * outside the cell still point at the line that awaited them.
 */
export function awaitInRun(signal: InterruptSignal | undefined, value: unknown): unknown {
  if (!signal) return value;
  const site = isThenable(value) ? new Error('await') : undefined;
  const wait = (): unknown => {
    if (!site) return signal.race(value);
    return signal.race(value).catch((e: unknown) => {
      if (typeof e === 'object' && e !== null && !(AWAIT_SITE in e)) {
        try {
          (e as Record<symbol, unknown>)[AWAIT_SITE] = site.stack;
        } catch {
          // a frozen error keeps its own stack only
        }
      }
      throw e;
    });
  };
  // `for (;;) { await 0 }` only queues microtasks, which never let the worker's `interrupt`
  // message in; so after YIELD_EVERY_MS of awaiting, one await also waits for a macrotask.
  const now = performance.now();
  if (now - lastYield > YIELD_EVERY_MS) {
    lastYield = now;
    // The promise is awaited after the yield; until then, its rejection is not "unhandled".
    if (value instanceof Promise) value.catch(() => {});
    return macrotask().then(wait);
  }
  return wait();
}

/**
 * What `kernelBuiltins` needs from the kernel: a way to show a DisplayBundle, the loaded tfjs (if
 * any), the running cell and the file requests.
 */
export interface BuiltinHost {
  show(bundle: DisplayBundle, displayId?: string): void;
  tf(): TfForDisplay | undefined;
  /** The running cell's id and interrupt signal, if a cell is running. */
  run(): { runId: number; signal: InterruptSignal } | undefined;
  files: FileRequests;
}

/** `display(value, { id })`, `display.table({ columns, rows, caption })` and `files.pick()`. */
export function kernelBuiltins(host: BuiltinHost): Record<string, unknown> {
  const display = (value: unknown, opts: { id?: string } = {}) => {
    const bundle = toBundle(value, host.tf());
    if (bundle) host.show(bundle, opts.id);
  };
  // Returns undefined, so a cell ending in `display.table(...)` shows no `Out` value.
  display.table = (t: { columns: string[]; rows: (string | number)[][]; caption?: string }): void => {
    host.show(tableBundle(t));
  };
  /** Heatmaps of an `rnn.inspect.gates` trace, word by word (gates-display.ts). */
  display.gates = (trace: unknown, opts?: GatesDisplayOptions): void => {
    host.show(gatesBundle(trace, opts));
  };
  /** A line plot, optionally with a log y axis (gates-display.ts). */
  display.plot = (args: PlotArgs): void => {
    host.show(plotBundle(args));
  };
  const files = {
    pick: (opts?: PickOptions) => {
      const run = host.run();
      if (!run) return Promise.reject(new Error('files.pick() needs a running cell'));
      return run.signal.race(host.files.pick(run.runId, opts));
    },
  };
  return { display, files };
}
