/**
 * Pure text formatting that makes outputs read like Keras 3: parameter counts with thousands
 * separators, weight sizes in binary units, metric values with four decimals, and the
 * `fit` progress line (`782/782 ━━━━━━━━━━━━━━━━━━━━ 27s 34ms/step - loss: 0.4638`).
 *
 * Nothing here touches the DOM, so the rules are unit-tested in Node.
 */

// The Keras number formats shared with the kernel (its plain-text summary, `verbose: 2` lines).
import { formatBytes, formatCount, formatExponent, formatMetric, formatStepTime, orderMetricNames, toFixedPy } from '../../contract/keras-format';
export { formatBytes, formatCount, formatExponent, formatMetric, formatStepTime, orderMetricNames, toFixedPy };

/** Remaining time as Keras prints it: `"7s"`, `"1:05"`, `"1:02:03"`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, seconds);
  const two = (n: number) => String(Math.floor(n)).padStart(2, '0');
  if (s > 3600) return `${Math.floor(s / 3600)}:${two((s % 3600) / 60)}:${two(s % 60)}`;
  if (s > 60) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${Math.floor(s)}s`;
}

/** The parts of one progress line, so a renderer can colour the bar. */
export interface ProgressLine {
  /** `" 12/782"`: the step counter, padded like Keras to the width of the total. */
  counter: string;
  /** Number of filled bar cells out of `width`. */
  filled: number;
  width: number;
  /** `"27s 34ms/step"` when done, `"22s 34ms/step"` (ETA first) while running. */
  timing: string;
  /** `" - accuracy: 0.7818 - loss: 0.4638"` (starts with " - " when not empty). */
  metrics: string;
}

/** Characters in a Keras progress bar. */
export const BAR_WIDTH = 20;
/** The character a Keras progress bar is drawn with. */
export const BAR_CHAR = '━';

/**
 * The parts of a ProgressBundle a progress line is made from: batch counter, elapsed time (ms),
 * running metrics and whether the epoch is done.
 */
export interface ProgressInput {
  step: number;
  steps: number;
  elapsedMs: number;
  logs: Record<string, number>;
  done: boolean;
}

/** Splits a progress bundle into the pieces of a Keras 3 progress line. */
export function progressLine(p: ProgressInput, width = BAR_WIDTH): ProgressLine {
  const steps = Math.max(0, p.steps);
  const step = Math.min(Math.max(0, p.step), steps || p.step);
  const digits = String(Math.max(1, steps)).length;
  const counter = `${String(step).padStart(digits, ' ')}/${steps}`;
  const filled = steps > 0 ? Math.floor((width * step) / steps) : 0;
  const elapsed = Math.max(0, p.elapsedMs) / 1000;
  const perStep = step > 0 ? elapsed / step : 0;
  const finished = p.done || (steps > 0 && step >= steps);
  const lead = finished ? `${Math.round(elapsed)}s` : formatEta(perStep * (steps - step));
  const timing = `${lead} ${formatStepTime(perStep)}`;
  const metrics = orderMetricNames(Object.keys(p.logs), false)
    .map((k) => ` - ${k}: ${formatMetric(p.logs[k]!)}`)
    .join('');
  return { counter, filled, width, timing, metrics };
}

/** The whole line as plain text, exactly as Keras would print it (without colours). */
export function progressText(p: ProgressInput, width = BAR_WIDTH): string {
  const l = progressLine(p, width);
  return `${l.counter} ${BAR_CHAR.repeat(l.width)} ${l.timing}${l.metrics}`;
}

/** Cell values in generic tables: integers as they are, other numbers with 4 decimals. */
export function formatTableValue(v: string | number): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return String(v);
  return formatMetric(v);
}
