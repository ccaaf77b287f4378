/**
 * Errors raised in callbacks a cell left behind (timers, microtasks, event handlers, promise
 * chains nobody awaits) must not kill the kernel. In a worker, an uncaught error in any task
 * becomes an `error` event that, unless cancelled, reaches the page's `Worker.onerror`; the
 * page would then restart the kernel and every definition would be lost. Jupyter instead
 * prints such an error in the output of the cell that scheduled the callback and goes on.
 *
 * So, in the worker:
 * - `setTimeout`, `setInterval`, `queueMicrotask` and `requestAnimationFrame` are wrapped: the
 *   callback remembers the run that scheduled it, its output (console, `display`) goes to that
 *   run's cell, and an error it throws is reported there (`report`), never rethrown;
 * - anything else uncaught (an `onmessage` handler the cell set on a MessageChannel, …) is
 *   caught by a global `error` listener that cancels the event and reports it to the run in
 *   progress (or the last one);
 * - an unhandled promise rejection is shown as a warning in the same place, as browsers show
 *   "Uncaught (in promise)" in their console.
 *
 * tfjs's own timers go through the same wrappers, which changes nothing for them but their
 * error handling. No DOM is used: this runs in the worker only.
 */

/** What the guards need from the kernel. */
export interface CallbackHost {
  /** The run a callback scheduled now belongs to (the running cell, or the one in context). */
  runId(): number | undefined;
  /** Runs `fn` with output attributed to `runId`. */
  within<T>(runId: number | undefined, fn: () => T): T;
  /** An error thrown by a callback of run `runId`. */
  error(error: unknown, runId: number | undefined, where: string): void;
  /** A promise rejected with `reason` and nobody handled it. */
  rejection(reason: unknown, runId: number | undefined): void;
}

/** The parts of the worker's global scope the guards patch. */
export interface GuardedGlobal {
  setTimeout: (handler: unknown, timeout?: number, ...args: unknown[]) => unknown;
  setInterval: (handler: unknown, timeout?: number, ...args: unknown[]) => unknown;
  queueMicrotask?: (fn: () => void) => void;
  requestAnimationFrame?: (fn: (t: number) => void) => number;
  addEventListener(type: string, fn: (e: Event) => void): void;
}

const GUARDED = Symbol.for('rnn-notebook.callbacks-guarded');

/** Wraps a callback so that it runs in its run's context and never throws out. */
function guard(host: CallbackHost, fn: unknown, where: string): unknown {
  if (typeof fn !== 'function') return fn; // setTimeout("code") strings are left to the platform
  const runId = host.runId();
  return function (this: unknown, ...args: unknown[]) {
    return host.within(runId, () => {
      try {
        return (fn as (...a: unknown[]) => unknown).apply(this, args);
      } catch (e) {
        host.error(e, runId, where);
        return undefined;
      }
    });
  };
}

/** Installs the guards on `g` (the worker's global scope). Idempotent. */
export function guardCallbacks(g: GuardedGlobal, host: CallbackHost): void {
  const flags = g as unknown as Record<symbol, boolean>;
  if (flags[GUARDED]) return;
  flags[GUARDED] = true;
  const setTimeout = g.setTimeout.bind(g);
  const setInterval = g.setInterval.bind(g);
  g.setTimeout = (handler, timeout, ...args) => setTimeout(guard(host, handler, 'a setTimeout callback'), timeout, ...args);
  g.setInterval = (handler, timeout, ...args) => setInterval(guard(host, handler, 'a setInterval callback'), timeout, ...args);
  if (typeof g.queueMicrotask === 'function') {
    const qm = g.queueMicrotask.bind(g);
    g.queueMicrotask = (fn) => qm(guard(host, fn, 'a queueMicrotask callback') as () => void);
  }
  if (typeof g.requestAnimationFrame === 'function') {
    const raf = g.requestAnimationFrame.bind(g);
    g.requestAnimationFrame = (fn) => raf(guard(host, fn, 'a requestAnimationFrame callback') as (t: number) => void);
  }
  g.addEventListener('error', (e) => {
    const ev = e as ErrorEvent;
    ev.preventDefault();
    host.error(ev.error ?? ev.message, host.runId(), 'a callback');
  });
  g.addEventListener('unhandledrejection', (e) => {
    const ev = e as PromiseRejectionEvent;
    ev.preventDefault();
    host.rejection(ev.reason, host.runId());
  });
}
