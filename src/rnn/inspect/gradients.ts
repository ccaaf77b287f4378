/**
 * The vanishing-gradient measurement (`rnn.inspect.inputGradientNorms`): how strongly the
 * last state h_T of a recurrent layer depends on each earlier input x_t.
 *
 * For one sequence x_1..x_T the Jacobian J_t = ∂h_T/∂x_t is a [units, features] matrix; the
 * function returns its Frobenius norm ||J_t|| for every t. All `units` rows come from one
 * backward pass of the layer's fused BPTT (the same code that trains it): the sequence is
 * repeated `units` times as a batch and copy j back-propagates the unit vector e_j from h_T,
 * so copy j's input gradient is row j of every J_t.
 */
import * as tf from '@tensorflow/tfjs';
import { FusedRecurrent } from '../layers/recurrent';
import { ValueError } from '../errors';

/**
 * ||∂h_T/∂x_t|| for t = 0..T-1 (input positions), for one sequence `x` of shape
 * [steps, features] or [1, steps, features], through `layer`'s fused kernels.
 * `layer` must be built (part of a model, or called once).
 */
export function inputGradientNorms(layer: FusedRecurrent, x: tf.Tensor | number[][] | number[][][]): number[] {
  if (!(layer instanceof FusedRecurrent)) {
    throw new ValueError(`rnn.inspect.inputGradientNorms: 'layer' must be made by rnn.lstm, rnn.gru or rnn.simpleRNN.`);
  }
  if (!layer.built) throw new ValueError(`rnn.inspect.inputGradientNorms: layer '${layer.name}' is not built yet (add it to a model first).`);
  return tf.tidy(() => {
    let xt = (x instanceof tf.Tensor ? x : tf.tensor(x as number[][])).toFloat();
    if (xt.rank === 2) xt = xt.expandDims(0);
    if (xt.rank !== 3 || xt.shape[0] !== 1) {
      throw new ValueError(`rnn.inspect.inputGradientNorms: x must be one sequence [steps, features] or [1, steps, features], got [${xt.shape.join(', ')}].`);
    }
    const u = layer.units;
    const [, T, D] = xt.shape;
    const xRep = tf.tile(xt, [u, 1, 1]);
    const pick = tf.eye(u);
    const lastState = (xr: tf.Tensor): tf.Tensor => {
      const y = layer.call(xr, {});
      const out = (Array.isArray(y) ? y[0] : y) as tf.Tensor;
      return out.rank === 3 ? out.slice([0, out.shape[1]! - 1, 0], [-1, 1, -1]).reshape([u, u]) : out;
    };
    const dx = tf.grad((xr: tf.Tensor) => tf.sum(tf.mul(lastState(xr), pick)))(xRep); // [u, T, D]
    // The norm is summed in float64 in JS: squaring in float32 (tf.square) flushes every
    // entry below ~1e-23 to zero, so a gradient that has vanished to 1e-25 (still a float32
    // number) would read as exactly 0 and drop off the log-scale plot.
    const g = dx.dataSync();
    if (dx.shape[1] !== T || dx.shape[2] !== D) throw new Error('rnn.inspect.inputGradientNorms: internal shape error.');
    const out = new Array<number>(T).fill(0);
    for (let j = 0; j < u; j++) {
      for (let t = 0; t < T; t++) {
        for (let d = 0, o = (j * T + t) * D; d < D; d++) out[t] += g[o + d] * g[o + d];
      }
    }
    return out.map(Math.sqrt);
  });
}
