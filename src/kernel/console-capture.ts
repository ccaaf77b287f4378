/**
 * Console capture: while the kernel lives, `console.log/info/debug` become `stdout` stream
 * messages and `console.warn/error` `stderr` ones, in call order, for the run in progress
 * (or the last run, for output from timers a cell left behind). Each message is one call's
 * text followed by a newline, as in Jupyter streams.
 */
import type { StreamMessage } from '../contract/protocol';

/** A captured console method: 'log', 'info', 'debug', 'warn' or 'error'. */
export type Level = StreamMessage['level'];
const LEVELS: Level[] = ['log', 'info', 'debug', 'warn', 'error'];

/**
 * Replaces the console's five output methods with ones that pass each call's arguments to `emit`,
 * falling back to the original method when `emit` returns false (no run to attach to); `uninstall`
 * restores them.
 */
export class ConsoleCapture {
  private readonly originals = new Map<Level, (...args: unknown[]) => void>();

  constructor(
    private readonly target: Console,
    private readonly emit: (level: Level, args: unknown[]) => boolean,
  ) {}

  install(): void {
    if (this.originals.size) return;
    for (const level of LEVELS) {
      const original = this.target[level].bind(this.target);
      this.originals.set(level, original);
      const emit = this.emit;
      this.target[level] = (...args: unknown[]) => {
        // Output with no run to attach to goes to the real console.
        if (!emit(level, args)) original(...args);
      };
    }
  }

  uninstall(): void {
    for (const [level, original] of this.originals) this.target[level] = original;
    this.originals.clear();
  }

  /** True for the console methods (captured or not), e.g. a printFn left at its default. */
  isConsoleMethod(fn: unknown): boolean {
    if (typeof fn !== 'function') return false;
    for (const level of LEVELS) if (this.target[level] === fn) return true;
    return [...this.originals.values()].includes(fn as never);
  }
}

/** The stream a console level writes to: 'stderr' for warn and error, 'stdout' otherwise. */
export function streamName(level: Level): StreamMessage['name'] {
  return level === 'warn' || level === 'error' ? 'stderr' : 'stdout';
}
