/**
 * The differentiable whole-sequence operation behind every recurrent layer.
 *
 * `fusedSequence` is a single tfjs tape node (`tf.customGrad`): forward runs the fused
 * kernel over the whole batch of sequences, backward runs fused BPTT and returns the
 * gradients of the input, kernel, recurrent kernel and bias in one go.
 *
 * `referenceSequence` computes the same packed output with ordinary per-timestep tfjs ops
 * (differentiated by tfjs autodiff). It is slow and kept for tests and debugging.
 */
import * as tf from '@tensorflow/tfjs';
import { ACT_LINEAR, ACT_RELU, ACT_SIGMOID, ACT_TANH } from '../kernels/activations';
import { getKernels } from '../kernels/index';
import { gatesOf, outputSteps, type SequenceSpec } from '../kernels/types';

function asFloat32(data: tf.TypedArray | Float32Array): Float32Array {
  return data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
}

/**
 * What the fused op returns: 'last' = h_T [B, u]; 'sequence' = h_1..h_T [B, T, u];
 * 'packed' = the kernel's full output (LSTM: [B, T + 1, u] with c_T as the last row).
 * Returning only what the layer needs keeps slices (and their pad gradients) off the tape.
 */
export type FusedOutput = 'last' | 'sequence' | 'packed';

/** Fused forward + BPTT as one tape node. */
export function fusedSequence(
  spec: SequenceSpec,
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  mode: FusedOutput = 'packed',
): tf.Tensor {
  const { batch: B, steps: T, units: u } = spec;
  const OT = outputSteps(spec);
  const op = tf.customGrad((...args: unknown[]) => {
    const [xi, ki, ri, bi] = args as tf.Tensor[];
    const impl = getKernels();
    const res = impl.forward(
      spec,
      asFloat32(xi.dataSync()),
      asFloat32(ki.dataSync()),
      asFloat32(ri.dataSync()),
      asFloat32(bi.dataSync()),
    );
    let value: tf.Tensor;
    if (mode === 'packed' || (mode === 'sequence' && OT === T)) {
      value = tf.tensor3d(res.output, [B, OT, u]);
    } else if (mode === 'sequence') {
      const seq = new Float32Array(B * T * u);
      for (let b = 0; b < B; b++) seq.set(res.output.subarray(b * OT * u, (b * OT + T) * u), b * T * u);
      value = tf.tensor3d(seq, [B, T, u]);
    } else {
      const last = new Float32Array(B * u);
      for (let b = 0; b < B; b++) last.set(res.output.subarray((b * OT + T - 1) * u, (b * OT + T) * u), b * u);
      value = tf.tensor2d(last, [B, u]);
    }
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const d = asFloat32(dy.dataSync());
      let dOut = d;
      if (!(mode === 'packed' || (mode === 'sequence' && OT === T))) {
        dOut = new Float32Array(B * OT * u);
        for (let b = 0; b < B; b++) {
          if (mode === 'sequence') dOut.set(d.subarray(b * T * u, (b + 1) * T * u), b * OT * u);
          else dOut.set(d.subarray(b * u, (b + 1) * u), (b * OT + T - 1) * u);
        }
      }
      const g = impl.backward(spec, res.tape, dOut);
      return [
        tf.tensor(g.dx, xi.shape),
        tf.tensor(g.dKernel, ki.shape),
        tf.tensor(g.dRecurrent, ri.shape),
        tf.tensor(g.dBias, bi.shape),
      ];
    };
    return { value, gradFunc };
  });
  return op(x, kernel, recurrentKernel, bias);
}

function actOp(code: number, x: tf.Tensor): tf.Tensor {
  switch (code) {
    case ACT_TANH:
      return tf.tanh(x);
    case ACT_SIGMOID:
      return tf.sigmoid(x);
    case ACT_RELU:
      return tf.relu(x);
    case ACT_LINEAR:
    default:
      return x;
  }
}

/** Unfused reference: the same equations with per-timestep tfjs ops. */
export function referenceSequence(
  spec: SequenceSpec,
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
): tf.Tensor3D {
  const { batch: B, steps: T, inputDim: D, units: u, act, ract, cell } = spec;
  const G = gatesOf(cell) * u;
  const b2 = bias.reshape([-1]);
  const bIn = b2.slice([0], [G]);
  const P = tf.add(tf.matMul(x.reshape([B * T, D]), kernel as tf.Tensor2D), bIn).reshape([B, T, G]);
  const U = recurrentKernel as tf.Tensor2D;
  const cols = (m: tf.Tensor, from: number, n: number) => m.slice([0, from], [-1, n]);
  let h: tf.Tensor = tf.zeros([B, u]);
  let c: tf.Tensor = tf.zeros([B, u]);
  const hs: tf.Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const p = P.slice([0, t, 0], [B, 1, G]).reshape([B, G]);
    if (cell === 'lstm') {
      const z = tf.add(p, tf.matMul(h as tf.Tensor2D, U));
      const i = actOp(ract, cols(z, 0, u));
      const f = actOp(ract, cols(z, u, u));
      const g = actOp(act, cols(z, 2 * u, u));
      const o = actOp(ract, cols(z, 3 * u, u));
      c = tf.add(tf.mul(f, c), tf.mul(i, g));
      h = tf.mul(o, actOp(act, c));
    } else if (cell === 'gru') {
      let rec: tf.Tensor;
      let zg: tf.Tensor;
      let rg: tf.Tensor;
      let hh: tf.Tensor;
      if (spec.resetAfter) {
        rec = tf.add(tf.matMul(h as tf.Tensor2D, U), b2.slice([G], [G]));
        zg = actOp(ract, tf.add(cols(p, 0, u), cols(rec, 0, u)));
        rg = actOp(ract, tf.add(cols(p, u, u), cols(rec, u, u)));
        hh = actOp(act, tf.add(cols(p, 2 * u, u), tf.mul(rg, cols(rec, 2 * u, u))));
      } else {
        rec = tf.matMul(h as tf.Tensor2D, cols(U, 0, 2 * u) as tf.Tensor2D);
        zg = actOp(ract, tf.add(cols(p, 0, u), cols(rec, 0, u)));
        rg = actOp(ract, tf.add(cols(p, u, u), cols(rec, u, u)));
        hh = actOp(act, tf.add(cols(p, 2 * u, u), tf.matMul(tf.mul(rg, h) as tf.Tensor2D, cols(U, 2 * u, u) as tf.Tensor2D)));
      }
      h = tf.add(tf.mul(zg, h), tf.mul(tf.sub(1, zg), hh));
    } else {
      h = actOp(act, tf.add(p, tf.matMul(h as tf.Tensor2D, U)));
    }
    hs.push(h);
  }
  if (cell === 'lstm') hs.push(c);
  return tf.stack(hs, 1) as tf.Tensor3D;
}
