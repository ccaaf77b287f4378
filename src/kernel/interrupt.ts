/**
 * Interrupts. A Stop request sets a flag on the current run; the run ends at its next yield
 * point: after the current batch of `model.fit` (tfjs's `stopTraining`), or at any `await`
 * in cell code (the transpiler routes every `await` through `__rt.wait`, which rejects with
 * KeyboardInterrupt). The kernel answers such a run with `result` and `interrupted: true`,
 * never with an `error`: output printed so far stays, and so do completed epochs.
 */
export class KeyboardInterrupt extends Error {
  constructor(message = 'Interrupted by the reader') {
    super(message);
    this.name = 'KeyboardInterrupt';
  }
}

/**
 * True for a KeyboardInterrupt or any other error whose name is 'KeyboardInterrupt' (a getter that
 * throws counts as false).
 */
export function isKeyboardInterrupt(error: unknown): boolean {
  if (error instanceof KeyboardInterrupt) return true;
  try {
    return (error as { name?: string } | null)?.name === 'KeyboardInterrupt';
  } catch {
    return false; // a name getter that throws
  }
}

/** One run's interrupt state: a flag and a promise that rejects when the flag is set. */
export class InterruptSignal {
  interrupted = false;
  readonly promise: Promise<never>;
  private rejectFn!: (e: unknown) => void;
  private readonly listeners: Array<() => void> = [];

  constructor() {
    this.promise = new Promise<never>((_, reject) => {
      this.rejectFn = reject;
    });
    this.promise.catch(() => {}); // observed by races only
  }

  interrupt(): void {
    if (this.interrupted) return;
    this.interrupted = true;
    this.rejectFn(new KeyboardInterrupt());
    for (const fn of this.listeners.splice(0)) fn();
  }

  onInterrupt(fn: () => void): void {
    if (this.interrupted) fn();
    else this.listeners.push(fn);
  }

  /** Throws KeyboardInterrupt when the run was interrupted. */
  check(): void {
    if (this.interrupted) throw new KeyboardInterrupt();
  }

  /** Awaits `value`, but gives up with KeyboardInterrupt as soon as the run is interrupted. */
  async race<T>(value: T | PromiseLike<T>): Promise<T> {
    this.check();
    if (!isThenable(value)) return value;
    return Promise.race([value, this.promise]);
  }
}

/** True for any object or function with a `then` method (a promise or promise-like value). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
