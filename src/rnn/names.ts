/**
 * Keras-style automatic layer names: the first LSTM is `lstm`, the next `lstm_1`, and so
 * on, per prefix, for the life of the page (Keras resets them with `clear_session()`;
 * here `resetLayerNames()` does the same).
 */
const counters = new Map<string, number>();

/** Returns the next unused Keras-style name for a prefix such as `lstm` or `dense`. */
export function uniqueLayerName(prefix: string): string {
  const n = counters.get(prefix) ?? 0;
  counters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** Forgets every counter, like Keras's `clear_session()`. */
export function resetLayerNames(): void {
  counters.clear();
}
