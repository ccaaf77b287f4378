/**
 * A notice for stock `tf.layers.lstm / gru / simpleRNN` (also inside `tf.layers.bidirectional`):
 * tfjs runs them as about fifteen small ops per time step, each a tape node, which trains the
 * course model about 1000x slower than the fused `rnn.*` layers (BENCHMARKS.md: hours per IMDB
 * epoch instead of seconds). They are not served by the fused kernels because their defaults
 * and semantics differ from ours (hardSigmoid gates, no unit forget bias, GRU reset_after =
 * false), so instead the first training call of each such layer prints, on the cell's stderr
 * (console.warn), what is slow and the fused spelling with the same defaults. Nothing else
 * changes: the layer still runs tfjs's code.
 */
import * as tf from '@tensorflow/tfjs';
import { kerasLayerName } from '../names';

let installed = false;
const warned = new WeakSet<object>();

const FUSED: Record<string, string> = {
  LSTM: 'rnn.lstm({ units }) (Keras defaults: sigmoid gates, unit forget bias)',
  GRU: 'rnn.gru({ units }) (Keras defaults: sigmoid gates, resetAfter: true; resetAfter: false is the stock variant)',
  SimpleRNN: 'rnn.simpleRNN({ units })',
};

/** The message printed for a stock recurrent layer (exported for tests). */
export function stockRecurrentNotice(className: string, name: string): string {
  const fused = FUSED[className] ?? 'rnn.lstm / rnn.gru / rnn.simpleRNN';
  const factory = className === 'SimpleRNN' ? 'simpleRNN' : className.toLowerCase();
  return (
    `Slow layer: stock tf.layers.${factory} '${name}' runs about 15 tfjs ops per time step and trains about 1000x slower ` +
    `than the fused layers (the course's IMDB epoch: hours instead of seconds). Write ${fused}` +
    ` (inside a Bidirectional: rnn.bidirectional({ layer: ... })). Press Stop to interrupt this fit.`
  );
}

/** Makes stock recurrent layers print the notice on their first training call (idempotent). */
export function installStockRecurrentNotice(): void {
  if (installed) return;
  installed = true;
  const probe = tf.layers.simpleRNN({ units: 1, name: '__rnn_probe_stock_rnn' });
  const rnnProto = Object.getPrototypeOf(Object.getPrototypeOf(probe)) as { call(this: tf.layers.Layer, ...a: unknown[]): unknown };
  const stockCall = rnnProto.call;
  rnnProto.call = function (this: tf.layers.Layer, ...args: unknown[]) {
    const state = (tf.engine() as unknown as { state?: { gradientDepth?: number } }).state;
    if ((state?.gradientDepth ?? 0) > 0 && !warned.has(this)) {
      warned.add(this);
      console.warn(stockRecurrentNotice(this.getClassName(), kerasLayerName(this)));
    }
    return stockCall.apply(this, args);
  };
}
