/**
 * Numbers as Keras 3 prints them, shared by the kernel (its plain-text summary, the `verbose: 2`
 * lines of fit) and the page's output renderers (src/ui/output). Pure functions: no DOM, no tfjs.
 */

/**
 * Fixed-point text like Python's `f"{x:.{d}f}"`: exact ties round to even (`10.125` ->
 * `"10.12"`), where JavaScript's `toFixed` rounds them up.
 */
export function toFixedPy(x: number, d: number): string {
  // An exact decimal tie at d places is a multiple of 2^-(d+1); scaling by powers of two is exact.
  if (Number.isFinite(x) && Number.isInteger(x * 2 ** (d + 1))) {
    const scaled = x * 10 ** d;
    const floor = Math.floor(scaled);
    if (Math.abs(scaled) < 2 ** 52 && scaled - floor === 0.5) {
      const even = floor % 2 === 0 ? floor : floor + 1;
      return (even / 10 ** d).toFixed(d);
    }
  }
  return x.toFixed(d);
}

/** `320766` -> `"320,766"` (Python's `f"{n:,}"`). */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.trunc(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Bytes as Keras's `readable_memory_size` prints them: divide by 1024 while the value is at
 * least 1024, two decimals, units B, KB, MB, GB, TB, PB. `1283064` -> `"1.22 MB"`.
 */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  for (const unit of units) {
    if (value / 1024 < 1) return `${toFixedPy(value, 2)} ${unit}`;
    value /= 1024;
  }
  return `${toFixedPy(value, 2)} PB`;
}

/** A number in Python's `{:.4e}` form: `0.000123` -> `"1.2300e-04"`. */
export function formatExponent(x: number, digits = 4): string {
  const [mantissa, exp] = x.toExponential(digits).split('e');
  const e = Number(exp);
  const sign = e < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** A metric value as Keras's progress bar prints it: 4 decimals, or scientific when tiny. */
export function formatMetric(x: number): string {
  if (!Number.isFinite(x)) return String(x).toLowerCase() === 'nan' ? 'nan' : x > 0 ? 'inf' : '-inf';
  return Math.abs(x) > 1e-3 ? toFixedPy(x, 4) : formatExponent(x);
}

/**
 * Metric names in display order: training metrics with `loss` first, then the rest
 * alphabetically; validation metrics after them in the same order. (Keras 3 prints
 * `accuracy - loss - val_accuracy - val_loss` in the progress line; tables start with loss.)
 */
export function orderMetricNames(names: string[], lossFirst: boolean): string[] {
  const rank = (n: string) => (lossFirst && (n === 'loss' || n === 'val_loss') ? 0 : 1);
  const byName = (a: string, b: string) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
  const train = names.filter((n) => !n.startsWith('val_')).sort(byName);
  const val = names.filter((n) => n.startsWith('val_')).sort(byName);
  return [...train, ...val];
}

/** Time per step as Keras's `_format_time`: `" 34ms/step"`, `" 2s/step"`, `" 850us/step"`. */
export function formatStepTime(secondsPerStep: number, unit = 'step'): string {
  if (secondsPerStep >= 1 || secondsPerStep === 0) return `${Math.round(secondsPerStep)}s/${unit}`;
  if (secondsPerStep >= 1e-3) return `${Math.round(secondsPerStep * 1000)}ms/${unit}`;
  return `${Math.round(secondsPerStep * 1e6)}us/${unit}`;
}
