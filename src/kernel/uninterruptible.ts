/**
 * Calls the kernel cannot stop midway. tfjs runs `model.evaluate` and `model.predict` as one
 * synchronous task: on the course's 25,000 test reviews that is about 1 s here (1.5 s for the
 * Bidirectional lesson's model), several seconds on a slow phone. An `interrupt` posted
 * meanwhile waits in the worker's queue, and the page, hearing nothing within its grace
 * period, would terminate the kernel and lose every definition. So around such a call on many
 * samples the kernel posts `busy` with what it is in, and `busy` with `what: null` once the
 * call returned; the page then lets a Stop wait for it (src/ui/kernel-session.ts).
 *
 * (`fit`'s validation is not such a call: src/kernel/fit.ts runs it batch by batch.)
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type { BusyMessage } from '../contract/protocol';

/** Calls on fewer samples than this take well under the grace period: no message for them. */
export const BUSY_MIN_SAMPLES = 512;

const INSTALLED = Symbol.for('rnn-notebook.uninterruptible-instrumented');

/** The number of samples in `x` (a tensor, or an array of them for a multi-input model). */
function samplesOf(x: unknown): number {
  const first = Array.isArray(x) ? x[0] : x;
  const shape = (first as { shape?: unknown } | null)?.shape;
  return Array.isArray(shape) && typeof shape[0] === 'number' ? shape[0] : 0;
}

/**
 * Wraps `tf.LayersModel.prototype.evaluate` and `predict` (a Sequential delegates to its inner
 * LayersModel) so that a call during a run on at least BUSY_MIN_SAMPLES samples is announced
 * with `post`; calling it again does nothing.
 */
export function instrumentUninterruptible(tf: typeof tfTypes, runId: () => number | undefined, post: (msg: BusyMessage) => void): void {
  const proto = tf.LayersModel.prototype as unknown as Record<PropertyKey, unknown>;
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  for (const name of ['evaluate', 'predict'] as const) {
    const original = proto[name] as (this: unknown, x: unknown, ...rest: unknown[]) => unknown;
    proto[name] = function (this: unknown, x: unknown, ...rest: unknown[]) {
      const id = runId();
      const n = samplesOf(x);
      if (id === undefined || n < BUSY_MIN_SAMPLES) return original.call(this, x, ...rest);
      post({ type: 'busy', runId: id, what: `model.${name} on ${n.toLocaleString('en-US')} samples` });
      try {
        return original.call(this, x, ...rest);
      } finally {
        post({ type: 'busy', runId: id, what: null });
      }
    };
  }
}
