/**
 * Numbers as Keras 3 prints them, shared by the kernel's plain-text summary and the page's
 * output renderers (src/ui/output). Pure functions: no DOM, no tfjs.
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
