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
 * What the fused op returns: 'last' = the last output [B, u]; 'sequence' = every output
 * [B, T, u]; 'packed' = the kernel's full output [B, T + S, u] (the outputs, then the final
 * h and, for LSTM, c; see kernels/types.ts). Returning only what the layer needs keeps
 * slices (and their pad gradients) off the tape.
 */
export type FusedOutput = 'last' | 'sequence' | 'packed';

/** Per-call inputs of the fused op beyond the weights. */
export interface FusedOptions {
  /** [B, T] 1 = process, 0 = skip (processing order). No gradient. */
  mask?: Uint8Array | null;
  /** Initial states [B, u] (differentiable). */
  h0?: tf.Tensor | null;
  c0?: tf.Tensor | null;
  /** Scaled recurrent dropout masks [B, R, u] (see kernels/types.ts). No gradient. */
  recurrentMask?: Float32Array | null;
  /** Scaled input dropout masks [B, I, D], I = 1 or gates (see kernels/types.ts). No gradient. */
  inputMask?: Float32Array | null;
}

/** Fused forward + BPTT as one tape node. */
export function fusedSequence(
  spec: SequenceSpec,
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  mode: FusedOutput = 'packed',
  opts: FusedOptions = {},
): tf.Tensor {
  const { batch: B, steps: T, units: u } = spec;
  const OT = outputSteps(spec);
  const hasH0 = opts.h0 != null;
  const hasC0 = opts.c0 != null;
  const op = tf.customGrad((...args: unknown[]) => {
    const [xi, ki, ri, bi, ...rest] = args as tf.Tensor[];
    const h0i = hasH0 ? rest[0] : null;
    const c0i = hasC0 ? rest[hasH0 ? 1 : 0] : null;
    const impl = getKernels();
    const res = impl.forward(
      spec,
      asFloat32(xi.dataSync()),
      asFloat32(ki.dataSync()),
      asFloat32(ri.dataSync()),
      asFloat32(bi.dataSync()),
      {
        mask: opts.mask ?? null,
        h0: h0i ? asFloat32(h0i.dataSync()) : null,
        c0: c0i ? asFloat32(c0i.dataSync()) : null,
        recurrentMask: opts.recurrentMask ?? null,
        inputMask: opts.inputMask ?? null,
      },
    );
    let value: tf.Tensor;
    if (mode === 'packed') {
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
      if (mode !== 'packed') {
        dOut = new Float32Array(B * OT * u);
        for (let b = 0; b < B; b++) {
          if (mode === 'sequence') dOut.set(d.subarray(b * T * u, (b + 1) * T * u), b * OT * u);
          else dOut.set(d.subarray(b * u, (b + 1) * u), (b * OT + T - 1) * u);
        }
      }
      const g = impl.backward(spec, res.tape, dOut);
      const grads = [
        tf.tensor(g.dx, xi.shape),
        tf.tensor(g.dKernel, ki.shape),
        tf.tensor(g.dRecurrent, ri.shape),
        tf.tensor(g.dBias, bi.shape),
      ];
      if (h0i) grads.push(tf.tensor(g.dh0 ?? new Float32Array(B * u), h0i.shape));
      if (c0i) grads.push(tf.tensor(g.dc0 ?? new Float32Array(B * u), c0i.shape));
      return grads;
    };
    return { value, gradFunc };
  });
  const inputs: tf.Tensor[] = [x, kernel, recurrentKernel, bias];
  if (opts.h0) inputs.push(opts.h0);
  if (opts.c0) inputs.push(opts.c0);
  return op(...inputs);
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

/**
 * Unfused reference: the same equations with per-timestep tfjs ops, returning the packed
 * output (outputs, final h, LSTM final c). Supports the same options as the fused op.
 */
export function referenceSequence(
  spec: SequenceSpec,
  x: tf.Tensor3D,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  opts: FusedOptions = {},
): tf.Tensor3D {
  const { batch: B, steps: T, inputDim: D, units: u, act, ract, cell } = spec;
  const G = gatesOf(cell) * u;
  const R = gatesOf(cell);
  const b2 = bias.reshape([-1]);
  const bIn = b2.slice([0], [G]);
  const cols = (m: tf.Tensor, from: number, n: number) => m.slice([0, from], [-1, n]);
  let P: tf.Tensor;
  if (opts.inputMask) {
    // Input dropout: (x ⊙ m_g) · W[:, block g] per gate block (or one mask for all).
    const I = opts.inputMask.length / (B * D);
    const im = tf.tensor3d(opts.inputMask, [B, I, D]);
    const parts: tf.Tensor[] = [];
    for (let g = 0; g < R; g++) {
      const m = im.slice([0, I === 1 ? 0 : g, 0], [B, 1, D]);
      const xg = tf.mul(x, m).reshape([B * T, D]);
      parts.push(tf.matMul(xg as tf.Tensor2D, cols(kernel, g * u, u) as tf.Tensor2D));
    }
    P = tf.add(parts.length === 1 ? parts[0] : tf.concat(parts, 1), bIn).reshape([B, T, G]);
  } else {
    P = tf.add(tf.matMul(x.reshape([B * T, D]), kernel as tf.Tensor2D), bIn).reshape([B, T, G]);
  }
  const U = recurrentKernel as tf.Tensor2D;
  const rm = opts.recurrentMask ? tf.tensor3d(opts.recurrentMask, [B, R, u]) : null;
  const maskT = opts.mask ? tf.tensor2d(Float32Array.from(opts.mask), [B, T]) : null;
  /** (h ⊙ m_k) · U[:, block k], blocks k0..k0+n-1 concatenated. */
  const recProd = (hv: tf.Tensor, k0: number, n: number): tf.Tensor => {
    if (!rm) return tf.matMul(hv as tf.Tensor2D, cols(U, k0 * u, n * u) as tf.Tensor2D);
    const parts: tf.Tensor[] = [];
    for (let k = k0; k < k0 + n; k++) {
      const m = rm.slice([0, k, 0], [B, 1, u]).reshape([B, u]);
      parts.push(tf.matMul(tf.mul(hv, m) as tf.Tensor2D, cols(U, k * u, u) as tf.Tensor2D));
    }
    return parts.length === 1 ? parts[0] : tf.concat(parts, 1);
  };
  let h: tf.Tensor = opts.h0 ?? tf.zeros([B, u]);
  let c: tf.Tensor = opts.c0 ?? tf.zeros([B, u]);
  let prevOut: tf.Tensor = tf.zeros([B, u]);
  const hs: tf.Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const p = P.slice([0, t, 0], [B, 1, G]).reshape([B, G]);
    let hNew: tf.Tensor;
    let cNew: tf.Tensor = c;
    if (cell === 'lstm') {
      const z = tf.add(p, recProd(h, 0, 4));
      const i = actOp(ract, cols(z, 0, u));
      const f = actOp(ract, cols(z, u, u));
      const g = actOp(act, cols(z, 2 * u, u));
      const o = actOp(ract, cols(z, 3 * u, u));
      cNew = tf.add(tf.mul(f, c), tf.mul(i, g));
      hNew = tf.mul(o, actOp(act, cNew));
    } else if (cell === 'gru') {
      let rec: tf.Tensor;
      let zg: tf.Tensor;
      let rg: tf.Tensor;
      let hh: tf.Tensor;
      if (spec.resetAfter) {
        rec = tf.add(recProd(h, 0, 3), b2.slice([G], [G]));
        zg = actOp(ract, tf.add(cols(p, 0, u), cols(rec, 0, u)));
        rg = actOp(ract, tf.add(cols(p, u, u), cols(rec, u, u)));
        hh = actOp(act, tf.add(cols(p, 2 * u, u), tf.mul(rg, cols(rec, 2 * u, u))));
      } else {
        rec = recProd(h, 0, 2);
        zg = actOp(ract, tf.add(cols(p, 0, u), cols(rec, 0, u)));
        rg = actOp(ract, tf.add(cols(p, u, u), cols(rec, u, u)));
        hh = actOp(act, tf.add(cols(p, 2 * u, u), recProd(tf.mul(rg, h), 2, 1)));
      }
      hNew = tf.add(tf.mul(zg, h), tf.mul(tf.sub(1, zg), hh));
    } else {
      hNew = actOp(act, tf.add(p, recProd(h, 0, 1)));
    }
    if (maskT) {
      const m = maskT.slice([0, t], [B, 1]);
      const keep = (a: tf.Tensor, b: tf.Tensor) => tf.where(tf.cast(tf.tile(m, [1, u]), 'bool'), a, b);
      const out = keep(hNew, spec.zeroOutputForMask ? tf.zerosLike(hNew) : prevOut);
      h = keep(hNew, h);
      c = keep(cNew, c);
      prevOut = out;
      hs.push(out);
    } else {
      h = hNew;
      c = cNew;
      hs.push(h);
    }
  }
  hs.push(h);
  if (cell === 'lstm') hs.push(c);
  return tf.stack(hs, 1) as tf.Tensor3D;
}
