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

/**
 * A layer's name as Keras (and the notebook's model summary) prints it: tfjs's automatic
 * `lstm_LSTM1` is `lstm`, `lstm_LSTM2` is `lstm_1`; other names are kept.
 */
export function kerasLayerName(layer: { name: string; getClassName(): string }): string {
  const cls = layer.getClassName();
  const m = new RegExp(`^(.*)_${cls.replace(/[^A-Za-z0-9]/g, '\\$&')}(\\d+)$`).exec(layer.name);
  if (!m) return layer.name;
  const n = Number(m[2]);
  return n <= 1 ? m[1]! : `${m[1]}_${n - 1}`;
}
