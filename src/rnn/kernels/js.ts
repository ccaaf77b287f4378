/**
 * Fused recurrent kernels in plain JavaScript over Float32Arrays.
 *
 * These are the portable implementation (and the fallback when WebAssembly SIMD is not
 * available). One call runs a whole layer over a whole batch:
 *
 * 1. the input projection of every timestep at once, P = x·W + b, one [B·T, D]×[D, G] product;
 * 2. the sequential recurrence per sequence, keeping the activated gates for backward;
 * 3. backward walks time in reverse per sequence, producing dZ (the gradient of the gate
 *    pre-activations) for every step, then finishes with three products:
 *    dW = xᵀ·dZ, db = Σ dZ, dx = dZ·Wᵀ.
 *
 * Equations follow Keras (keras/src/layers/rnn/{simple_rnn,lstm,gru}.py); the gradients
 * are derived by hand and checked against a float64 reference with finite differences
 * (tests/golden/rnn).
 */
import { actGradFromOutput, applyAct } from './activations';
import {
  type AdamState,
  biasLength,
  gatesOf,
  outputSteps,
  type ForwardResult,
  type SequenceGrads,
  type SequenceExtras,
  type SequenceKernels,
  type SequenceSpec,
} from './types';

/** out[n, g] = Σ_k a[n, k]·w[k, g] + bias[g]  (a: [n, d], w: [d, g]). */
export function matmulBias(
  a: Float32Array,
  n: number,
  d: number,
  w: Float32Array,
  g: number,
  bias: Float32Array | null,
  out: Float32Array,
): void {
  const acc = new Float64Array(g);
  for (let r = 0; r < n; r++) {
    if (bias) for (let j = 0; j < g; j++) acc[j] = bias[j];
    else acc.fill(0);
    const ar = r * d;
    for (let k = 0; k < d; k++) {
      const av = a[ar + k];
      if (av === 0) continue;
      const wk = k * g;
      for (let j = 0; j < g; j++) acc[j] += av * w[wk + j];
    }
    const or = r * g;
    for (let j = 0; j < g; j++) out[or + j] = acc[j];
  }
}

/** dw[k, g] += Σ_n a[n, k]·dz[n, g]  (the weight gradient of a projection). */
export function matmulTransAAcc(
  a: Float32Array,
  n: number,
  d: number,
  dz: Float32Array,
  g: number,
  dw: Float32Array,
): void {
  for (let r = 0; r < n; r++) {
    const ar = r * d;
    const zr = r * g;
    for (let k = 0; k < d; k++) {
      const av = a[ar + k];
      if (av === 0) continue;
      const wk = k * g;
      for (let j = 0; j < g; j++) dw[wk + j] += av * dz[zr + j];
    }
  }
}

/** dx[n, k] = Σ_g dz[n, g]·w[k, g]  (the input gradient of a projection). */
export function matmulTransB(
  dz: Float32Array,
  n: number,
  g: number,
  w: Float32Array,
  d: number,
  dx: Float32Array,
): void {
  for (let r = 0; r < n; r++) {
    const zr = r * g;
    const xr = r * d;
    for (let k = 0; k < d; k++) {
      const wk = k * g;
      let s = 0;
      for (let j = 0; j < g; j++) s += dz[zr + j] * w[wk + j];
      dx[xr + k] = s;
    }
  }
}

/** db[g] += Σ_n dz[n, g]. */
export function columnSumAcc(dz: Float32Array, n: number, g: number, db: Float32Array, offset = 0): void {
  for (let r = 0; r < n; r++) {
    const zr = r * g;
    for (let j = 0; j < g; j++) db[offset + j] += dz[zr + j];
  }
}

interface JsTape {
  x: Float32Array;
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array;
  /** Hidden states [B, T, u] (at a masked step: the carried state). */
  h: Float32Array;
  /** Activated gates [B, T, G] (LSTM i,f,c,o; GRU z,r,hh; SimpleRNN unused). */
  gates: Float32Array;
  /** LSTM: cell states [B, T, u]; GRU resetAfter: recurrent part of the candidate [B, T, u]. */
  c: Float32Array;
  /** LSTM: act(c) [B, T, u]. */
  ac: Float32Array;
  extras: SequenceExtras;
}

/**
 * The recurrent kernel one sequence sees: U itself, or with recurrent dropout
 * U_eff[k, j] = U[k, j] · m[gate(j), k], so that h·U_eff = Σ_k (h_k · m_k) U[k, j] per gate
 * block (Keras multiplies h_{t-1} by the mask of each gate before its product).
 */
function effectiveRecurrent(U: Float32Array, rm: Float32Array | null | undefined, b: number, u: number, G: number, out: Float64Array): ArrayLike<number> {
  if (!rm) return U;
  const R = G / u === 1 ? 1 : G / u;
  for (let k = 0; k < u; k++) {
    for (let j = 0; j < G; j++) {
      const g = R === 1 ? 0 : Math.floor(j / u);
      out[k * G + j] = U[k * G + j] * rm[(b * R + g) * u + k];
    }
  }
  return out;
}

/**
 * W_b[d, j] = W[d, j] · m[b, gate(j), d]: the input kernel sequence b sees under input
 * dropout (I masks per sequence: 1, or one per gate block).
 */
function maskedKernel(W: Float32Array, im: Float32Array, I: number, b: number, D: number, u: number, G: number, out: Float32Array): void {
  for (let d = 0; d < D; d++) {
    for (let j = 0; j < G; j++) {
      const g = I === 1 ? 0 : Math.floor(j / u);
      out[d * G + j] = W[d * G + j] * im[(b * I + g) * D + d];
    }
  }
}

function forward(
  spec: SequenceSpec,
  x: Float32Array,
  kernel: Float32Array,
  recurrentKernel: Float32Array,
  bias: Float32Array,
  extras: SequenceExtras = {},
): ForwardResult {
  const { batch: B, steps: T, inputDim: D, units: u, act, ract, cell } = spec;
  const G = gatesOf(cell) * u;
  const N = B * T;
  const P = new Float32Array(N * G);
  const { mask, h0, c0, recurrentMask, inputMask } = extras;
  if (inputMask) {
    // Input dropout: each sequence's rows through its own masked kernel.
    const Wb = new Float32Array(D * G);
    for (let b = 0; b < B; b++) {
      maskedKernel(kernel, inputMask, inputMask.length / (B * D), b, D, u, G, Wb);
      matmulBias(x.subarray(b * T * D, (b + 1) * T * D), T, D, Wb, G, bias.subarray(0, G), P.subarray(b * T * G, (b + 1) * T * G));
    }
  } else {
    matmulBias(x, N, D, kernel, G, bias.subarray(0, G), P);
  }
  const zeroOut = spec.zeroOutputForMask === true;
  const Ubuf = recurrentMask ? new Float64Array(u * G) : new Float64Array(0);
  const h = new Float32Array(N * u);
  const gates = cell === 'simple' ? new Float32Array(0) : new Float32Array(N * G);
  const c = cell === 'lstm' || (cell === 'gru' && spec.resetAfter) ? new Float32Array(N * u) : new Float32Array(0);
  const ac = cell === 'lstm' ? new Float32Array(N * u) : new Float32Array(0);
  const OT = outputSteps(spec);
  const output = new Float32Array(B * OT * u);
  const hp = new Float64Array(u);
  const cp = new Float64Array(u);
  const prevOut = new Float64Array(u);
  const z = new Float64Array(G);
  const rhp = new Float64Array(u);
  const brec = cell === 'gru' && spec.resetAfter ? bias.subarray(G, 2 * G) : null;

  for (let b = 0; b < B; b++) {
    for (let j = 0; j < u; j++) {
      hp[j] = h0 ? h0[b * u + j] : 0;
      cp[j] = c0 ? c0[b * u + j] : 0;
      prevOut[j] = 0;
    }
    const U = effectiveRecurrent(recurrentKernel, recurrentMask, b, u, G, Ubuf);
    for (let t = 0; t < T; t++) {
      const row = b * T + t;
      const pr = row * G;
      const hr = row * u;
      const or = (b * OT + t) * u;
      if (mask && !mask[row]) {
        // Keras: a masked step carries the states; its output is the previous output (or 0).
        for (let j = 0; j < u; j++) {
          h[hr + j] = hp[j];
          if (cell === 'lstm') c[hr + j] = cp[j];
          output[or + j] = zeroOut ? 0 : prevOut[j];
        }
        continue;
      }
      if (cell === 'lstm') {
        for (let j = 0; j < G; j++) z[j] = P[pr + j];
        for (let k = 0; k < u; k++) {
          const hk = hp[k];
          if (hk === 0) continue;
          const uk = k * G;
          for (let j = 0; j < G; j++) z[j] += hk * U[uk + j];
        }
        for (let j = 0; j < u; j++) {
          const ig = applyAct(ract, z[j]);
          const fg = applyAct(ract, z[u + j]);
          const gg = applyAct(act, z[2 * u + j]);
          const og = applyAct(ract, z[3 * u + j]);
          const cn = Math.fround(fg * cp[j] + ig * gg);
          const a = Math.fround(applyAct(act, cn));
          const hn = Math.fround(og * a);
          gates[pr + j] = ig;
          gates[pr + u + j] = fg;
          gates[pr + 2 * u + j] = gg;
          gates[pr + 3 * u + j] = og;
          c[hr + j] = cn;
          ac[hr + j] = a;
          h[hr + j] = hn;
          cp[j] = cn;
        }
      } else if (cell === 'gru' && brec) {
        for (let j = 0; j < G; j++) z[j] = brec[j];
        for (let k = 0; k < u; k++) {
          const hk = hp[k];
          if (hk === 0) continue;
          const uk = k * G;
          for (let j = 0; j < G; j++) z[j] += hk * U[uk + j];
        }
        for (let j = 0; j < u; j++) {
          const zg = applyAct(ract, P[pr + j] + z[j]);
          const rg = applyAct(ract, P[pr + u + j] + z[u + j]);
          const hh = Math.fround(applyAct(act, P[pr + 2 * u + j] + rg * z[2 * u + j]));
          gates[pr + j] = zg;
          gates[pr + u + j] = rg;
          gates[pr + 2 * u + j] = hh;
          c[hr + j] = z[2 * u + j];
          h[hr + j] = zg * hp[j] + (1 - zg) * hh;
        }
      } else if (cell === 'gru') {
        for (let j = 0; j < 2 * u; j++) z[j] = P[pr + j];
        for (let k = 0; k < u; k++) {
          const hk = hp[k];
          if (hk === 0) continue;
          const uk = k * G;
          for (let j = 0; j < 2 * u; j++) z[j] += hk * U[uk + j];
        }
        for (let j = 0; j < u; j++) {
          const rg = Math.fround(applyAct(ract, z[u + j]));
          gates[pr + u + j] = rg;
          rhp[j] = rg * hp[j];
        }
        for (let j = 0; j < u; j++) z[2 * u + j] = P[pr + 2 * u + j];
        for (let k = 0; k < u; k++) {
          const rk = rhp[k];
          if (rk === 0) continue;
          const uk = k * G + 2 * u;
          for (let j = 0; j < u; j++) z[2 * u + j] += rk * U[uk + j];
        }
        for (let j = 0; j < u; j++) {
          const zg = applyAct(ract, z[j]);
          const hh = Math.fround(applyAct(act, z[2 * u + j]));
          gates[pr + j] = zg;
          gates[pr + 2 * u + j] = hh;
          h[hr + j] = zg * hp[j] + (1 - zg) * hh;
        }
      } else {
        for (let j = 0; j < u; j++) z[j] = P[pr + j];
        for (let k = 0; k < u; k++) {
          const hk = hp[k];
          if (hk === 0) continue;
          const uk = k * G;
          for (let j = 0; j < u; j++) z[j] += hk * U[uk + j];
        }
        for (let j = 0; j < u; j++) h[hr + j] = applyAct(act, z[j]);
      }
      for (let j = 0; j < u; j++) {
        hp[j] = h[hr + j];
        prevOut[j] = h[hr + j];
        output[or + j] = h[hr + j];
      }
    }
    const hrow = (b * OT + T) * u;
    for (let j = 0; j < u; j++) output[hrow + j] = hp[j];
    if (cell === 'lstm') for (let j = 0; j < u; j++) output[hrow + u + j] = cp[j];
  }
  const tape: JsTape = { x, kernel, recurrentKernel, bias, h, gates, c, ac, extras };
  return { output, tape };
}

function backward(spec: SequenceSpec, tapeIn: unknown, dOut: Float32Array): SequenceGrads {
  const tape = tapeIn as JsTape;
  const { batch: B, steps: T, inputDim: D, units: u, act, ract, cell } = spec;
  const { x, kernel, recurrentKernel, h, gates, c, ac } = tape;
  const { mask, h0, c0, recurrentMask: rm, inputMask: im } = tape.extras;
  const zeroOut = spec.zeroOutputForMask === true;
  const G = gatesOf(cell) * u;
  const N = B * T;
  const OT = outputSteps(spec);
  const dZ = new Float32Array(N * G);
  const dU = new Float32Array(u * G);
  const Ubuf = rm ? new Float64Array(u * G) : new Float64Array(0);
  const dUe: Float32Array | Float64Array = rm ? new Float64Array(u * G) : dU;
  const dBias = new Float32Array(biasLength(spec));
  const dh0 = new Float32Array(B * u);
  const dc0 = new Float32Array(cell === 'lstm' ? B * u : 0);
  const dhn = new Float64Array(u);
  const dcn = new Float64Array(u);
  const dcarry = new Float64Array(u);
  const dz = new Float64Array(G);
  const drec = new Float64Array(G);
  const dhd = new Float64Array(u);
  const hpz = new Float64Array(u);
  const resetAfter = cell === 'gru' && spec.resetAfter;

  for (let b = 0; b < B; b++) {
    const U = effectiveRecurrent(recurrentKernel, rm, b, u, G, Ubuf);
    if (rm) dUe.fill(0);
    const hrow = (b * OT + T) * u;
    for (let j = 0; j < u; j++) {
      dhn[j] = dOut[hrow + j];
      dcn[j] = cell === 'lstm' ? dOut[hrow + u + j] : 0;
      dcarry[j] = 0;
    }
    for (let t = T - 1; t >= 0; t--) {
      const row = b * T + t;
      const pr = row * G;
      const hr = row * u;
      const or = (b * OT + t) * u;
      if (mask && !mask[row]) {
        // The states pass through unchanged; the output was the previous output.
        if (!zeroOut) for (let j = 0; j < u; j++) dcarry[j] += dOut[or + j];
        continue;
      }
      const prevRow = t > 0 ? hr - u : -1;
      for (let k = 0; k < u; k++) hpz[k] = prevRow >= 0 ? h[prevRow + k] : h0 ? h0[b * u + k] : 0;
      if (cell === 'lstm') {
        for (let j = 0; j < u; j++) {
          const dh = dOut[or + j] + dcarry[j] + dhn[j];
          const ig = gates[pr + j];
          const fg = gates[pr + u + j];
          const gg = gates[pr + 2 * u + j];
          const og = gates[pr + 3 * u + j];
          const a = ac[hr + j];
          const cprev = prevRow >= 0 ? c[prevRow + j] : c0 ? c0[b * u + j] : 0;
          const dc = dcn[j] + dh * og * actGradFromOutput(act, a);
          dcn[j] = dc * fg;
          dz[j] = dc * gg * actGradFromOutput(ract, ig);
          dz[u + j] = dc * cprev * actGradFromOutput(ract, fg);
          dz[2 * u + j] = dc * ig * actGradFromOutput(act, gg);
          dz[3 * u + j] = dh * a * actGradFromOutput(ract, og);
        }
        for (let j = 0; j < G; j++) {
          dZ[pr + j] = dz[j];
          drec[j] = dz[j];
        }
        for (let k = 0; k < u; k++) dhd[k] = 0;
      } else if (resetAfter) {
        for (let j = 0; j < u; j++) {
          const dh = dOut[or + j] + dcarry[j] + dhn[j];
          const zg = gates[pr + j];
          const rg = gates[pr + u + j];
          const hh = gates[pr + 2 * u + j];
          const dzz = dh * (hpz[j] - hh) * actGradFromOutput(ract, zg);
          const dah = dh * (1 - zg) * actGradFromOutput(act, hh);
          const dr = dah * c[hr + j] * actGradFromOutput(ract, rg);
          dZ[pr + j] = dzz;
          dZ[pr + u + j] = dr;
          dZ[pr + 2 * u + j] = dah;
          drec[j] = dzz;
          drec[u + j] = dr;
          drec[2 * u + j] = dah * rg;
          dhd[j] = dh * zg;
        }
        for (let j = 0; j < G; j++) dBias[G + j] += drec[j];
      } else if (cell === 'gru') {
        for (let j = 0; j < u; j++) {
          const dh = dOut[or + j] + dcarry[j] + dhn[j];
          const zg = gates[pr + j];
          const hh = gates[pr + 2 * u + j];
          dz[j] = dh * (hpz[j] - hh) * actGradFromOutput(ract, zg);
          dz[2 * u + j] = dh * (1 - zg) * actGradFromOutput(act, hh);
          dhd[j] = dh * zg;
        }
        for (let k = 0; k < u; k++) {
          const uk = k * G + 2 * u;
          let drhp = 0;
          for (let j = 0; j < u; j++) drhp += dz[2 * u + j] * U[uk + j];
          const rk = gates[pr + u + k];
          const rh = rk * hpz[k];
          if (rh !== 0) for (let j = 0; j < u; j++) dUe[uk + j] += rh * dz[2 * u + j];
          dz[u + k] = drhp * hpz[k] * actGradFromOutput(ract, rk);
          dhd[k] += drhp * rk;
        }
        for (let j = 0; j < G; j++) dZ[pr + j] = dz[j];
        for (let j = 0; j < 2 * u; j++) drec[j] = dz[j];
        for (let j = 2 * u; j < G; j++) drec[j] = 0;
      } else {
        for (let j = 0; j < u; j++) {
          const dh = dOut[or + j] + dcarry[j] + dhn[j];
          const d = dh * actGradFromOutput(act, h[hr + j]);
          dZ[pr + j] = d;
          drec[j] = d;
          dhd[j] = 0;
        }
      }
      dcarry.fill(0);
      // Flush gradients that vanished below float32's normal range: subnormal floats are
      // ~100x slower on x86, and TensorFlow's CPU kernels flush them to zero as well.
      for (let j = 0; j < G; j++) {
        const v = dZ[pr + j];
        if (v !== 0 && v < 1.2e-38 && v > -1.2e-38) dZ[pr + j] = 0;
        const r = drec[j];
        if (r < 1.2e-38 && r > -1.2e-38) drec[j] = 0;
      }
      // Recurrent kernel gradient and the gradient flowing to h_{t-1}.
      const gRec = cell === 'gru' && !resetAfter ? 2 * u : G;
      for (let k = 0; k < u; k++) {
        const hk = hpz[k];
        const uk = k * G;
        let s = dhd[k];
        for (let j = 0; j < gRec; j++) {
          s += drec[j] * U[uk + j];
          if (hk !== 0) dUe[uk + j] += hk * drec[j];
        }
        dhn[k] = s;
      }
    }
    for (let j = 0; j < u; j++) {
      dh0[b * u + j] = dhn[j];
      if (cell === 'lstm') dc0[b * u + j] = dcn[j];
    }
    if (rm) {
      // dU[k, j] = Σ_t h_k m_gate(j),k drec_j: fold the sequence's mask into its gradient.
      const R = G / u;
      for (let k = 0; k < u; k++) {
        for (let j = 0; j < G; j++) dU[k * G + j] += dUe[k * G + j] * rm[(b * R + Math.floor(j / u)) * u + k];
      }
    }
  }
  const dKernel = new Float32Array(D * G);
  const dx = new Float32Array(N * D);
  columnSumAcc(dZ, N, G, dBias, 0);
  if (im) {
    // Per sequence: dW_b = x_bᵀ·dZ_b folded back through the mask; dx_b = dZ_b·W_bᵀ.
    const I = im.length / (B * D);
    const Wb = new Float32Array(D * G);
    const dWb = new Float32Array(D * G);
    for (let b = 0; b < B; b++) {
      const rows = [b * T, (b + 1) * T];
      maskedKernel(kernel, im, I, b, D, u, G, Wb);
      dWb.fill(0);
      matmulTransAAcc(x.subarray(rows[0] * D, rows[1] * D), T, D, dZ.subarray(rows[0] * G, rows[1] * G), G, dWb);
      for (let d = 0; d < D; d++) {
        for (let j = 0; j < G; j++) dKernel[d * G + j] += dWb[d * G + j] * im[(b * I + (I === 1 ? 0 : Math.floor(j / u))) * D + d];
      }
      matmulTransB(dZ.subarray(rows[0] * G, rows[1] * G), T, G, Wb, D, dx.subarray(rows[0] * D, rows[1] * D));
    }
  } else {
    matmulTransAAcc(x, N, D, dZ, G, dKernel);
    matmulTransB(dZ, N, G, kernel, D, dx);
  }
  return { dx, dKernel, dRecurrent: dU, dBias, dh0, dc0 };
}

/** Dense Keras Adam step (see optimizers/adam.ts for the formula). */
export function adamJs(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  alpha: number,
  beta1: number,
  beta2: number,
  epsilon: number,
): void {
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = m[i] + (gi - m[i]) * a1;
    const vi = v[i] + (gi * gi - v[i]) * a2;
    m[i] = mi;
    v[i] = vi;
    w[i] -= (alpha * mi) / (Math.sqrt(vi) + epsilon);
  }
}

/** Adam moments in Float32Arrays, updated by `adamJs`. */
export function createJsAdamState(size: number): AdamState {
  let m = new Float32Array(size);
  let v = new Float32Array(size);
  return {
    size,
    step: (w, g, alpha, beta1, beta2, epsilon) => adamJs(w, g, m, v, alpha, beta1, beta2, epsilon),
    read: () => ({ m: m.slice(), v: v.slice() }),
    write: (m2, v2) => {
      m = Float32Array.from(m2);
      v = Float32Array.from(v2);
    },
    dispose: () => {
      m = new Float32Array(0);
      v = new Float32Array(0);
    },
  };
}

/** The typed-array JavaScript implementation of `SequenceKernels` (named 'js'). */
export const jsKernels: SequenceKernels = { name: 'js', forward, backward, createAdamState: createJsAdamState };

/**
 * What a JS forward pass kept on its tape, for inspection (`src/rnn/inspect`): the hidden
 * states, the activated gates and (LSTM) the cell states, exactly as training computed them.
 * Read-only views of the tape (not copies); see `TapeReadout` in ./readout.ts for shapes.
 */
export function readJsTape(spec: SequenceSpec, tapeIn: unknown): { h: Float32Array; gates: Float32Array; c: Float32Array | null } {
  const tape = tapeIn as JsTape;
  const N = spec.batch * spec.steps;
  const G = gatesOf(spec.cell) * spec.units;
  return {
    h: tape.h.subarray(0, N * spec.units),
    gates: spec.cell === 'simple' ? new Float32Array(0) : tape.gates.subarray(0, N * G),
    c: spec.cell === 'lstm' ? tape.c.subarray(0, N * spec.units) : null,
  };
}
