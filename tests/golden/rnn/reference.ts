/**
 * An independent float64 reference of Keras's recurrent layers, written straight from the
 * equations in keras/src/layers/rnn/{simple_rnn,lstm,gru,bidirectional}.py, with
 * backpropagation through time derived by hand. It uses nested number arrays and no tfjs
 * and no code from src/rnn. `generate.ts` checks every gradient it produces against
 * central finite differences before writing the fixtures.
 *
 * Model shape covered: a stack of recurrent layers (SimpleRNN, LSTM, GRU with
 * reset_after true/false, Bidirectional around any of them) followed by
 * Dense(1, sigmoid) and a mean binary cross-entropy loss.
 *
 * Also covered (keras/src/backend/tensorflow/rnn.py, the generic loop Keras runs on CPU):
 * a timestep mask (masked steps carry the states; their output is the previous output,
 * zeros before the first kept step, or zeros everywhere masked with zero_output_for_mask,
 * which Bidirectional forces with return_sequences; the mask propagates through layers
 * with return_sequences), initial states (and the loss gradient w.r.t. them), and dropout
 * with given masks (keras/src/layers/rnn/{lstm,gru,simple_rnn}.py: input masks multiply
 * x, recurrent masks multiply h_{t-1} where it enters each gate's product; one mask per
 * gate when recurrent dropout is on for LSTM/GRU, else one).
 */

export type Act = 'tanh' | 'sigmoid' | 'relu' | 'linear';

export interface RecurrentSpec {
  type: 'simple' | 'lstm' | 'gru';
  units: number;
  resetAfter?: boolean;
  returnSequences?: boolean;
  goBackwards?: boolean;
  activation?: Act;
  recurrentActivation?: Act;
  /** Give this layer initial states (drawn by the generator; their gradients are checked). */
  initialState?: boolean;
  /** Dropout rates in training (the fixture stores the scaled masks used). */
  dropout?: number;
  recurrentDropout?: number;
}

/** Per-call data of one recurrent layer (batch-major, input time order for `mask`). */
export interface RecurrentCall {
  mask?: number[][] | null;
  zeroOutputForMask?: boolean;
  h0?: number[][] | null;
  c0?: number[][] | null;
  /** [count][batch][inputDim], scaled (0 or 1 / (1 - rate)). */
  dropIn?: number[][][] | null;
  /** [count][batch][units], scaled. */
  dropRec?: number[][][] | null;
}

export interface BidirectionalSpec {
  type: 'bidirectional';
  mergeMode: 'concat' | 'sum' | 'mul' | 'ave';
  layer: RecurrentSpec;
}

export type LayerSpec = RecurrentSpec | BidirectionalSpec;

/** A weight as Keras `get_weights()` returns it: shape and row-major values. */
export interface Weight {
  shape: number[];
  values: number[];
}

type Seq = number[][][]; // [batch][time][features]

const f = (a: Act | undefined, x: number): number => {
  switch (a ?? 'tanh') {
    case 'tanh':
      return Math.tanh(x);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'relu':
      return Math.max(0, x);
    default:
      return x;
  }
};
/** Derivative at pre-activation x. */
const df = (a: Act | undefined, x: number): number => {
  switch (a ?? 'tanh') {
    case 'tanh': {
      const t = Math.tanh(x);
      return 1 - t * t;
    }
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-x));
      return s * (1 - s);
    }
    case 'relu':
      return x > 0 ? 1 : 0;
    default:
      return 1;
  }
};

const zeros = (n: number): number[] => new Array(n).fill(0);
/** Element (i, j) of a row-major [rows, cols] weight. */
const at = (w: Weight, i: number, j: number): number => w.values[i * w.shape[w.shape.length - 1] + j];

export function gatesOf(spec: RecurrentSpec): number {
  return spec.type === 'lstm' ? 4 : spec.type === 'gru' ? 3 : 1;
}

/** Keras weight shapes of a recurrent layer on `inputDim` features. */
export function recurrentWeightShapes(spec: RecurrentSpec, inputDim: number): number[][] {
  const g = gatesOf(spec) * spec.units;
  const bias = spec.type === 'gru' && (spec.resetAfter ?? true) ? [2, g] : [g];
  return [[inputDim, g], [spec.units, g], bias];
}

const reverseTime = (x: Seq): Seq => x.map((s) => [...s].reverse());

interface StepCache {
  masked?: boolean;
  hPrev: number[];
  cPrev: number[];
  pre: number[][]; // pre-activations per gate block
  rec: number[]; // GRU reset_after: recurrent part of the candidate (h·U_h + b_rec_h)
  rh: number[]; // GRU reset_after=false: r ⊙ h_prev
  c: number[];
  h: number[];
}

interface RecurrentCache {
  x: Seq; // the (possibly reversed) input actually processed
  steps: StepCache[][]; // [batch][time]
  call: RecurrentCall;
  mask: number[][] | null; // processed order
}

/** Forward pass of one recurrent layer; returns the full (processed-order) sequence and cache. */
function recurrentForward(
  spec: RecurrentSpec,
  w: Weight[],
  xIn: Seq,
  call: RecurrentCall = {},
): { seq: Seq; cache: RecurrentCache; hT: number[][]; cT: number[][] } {
  const [W, U, bias] = w;
  const u = spec.units;
  const x = spec.goBackwards ? reverseTime(xIn) : xIn;
  const mask = call.mask ? (spec.goBackwards ? call.mask.map((m) => [...m].reverse()) : call.mask) : null;
  const hT: number[][] = [];
  const cT: number[][] = [];
  const D = x[0][0].length;
  const resetAfter = spec.type === 'gru' && (spec.resetAfter ?? true);
  const bIn = (j: number) => (resetAfter ? bias.values[j] : bias.values[j]);
  const bRec = (j: number) => (resetAfter ? bias.values[gatesOf(spec) * u + j] : 0);
  const act = spec.activation ?? 'tanh';
  const ract = spec.recurrentActivation ?? 'sigmoid';
  const seq: Seq = [];
  const steps: StepCache[][] = [];
  x.forEach((xs, b) => {
    let h = call.h0 ? [...call.h0[b]] : zeros(u);
    let c = call.c0 ? [...call.c0[b]] : zeros(u);
    let prevOut = zeros(u);
    const outs: number[][] = [];
    const caches: StepCache[] = [];
    const inMask = (k: number, d: number) => (call.dropIn ? call.dropIn[call.dropIn.length === 1 ? 0 : k][b][d] : 1);
    const recMask = (k: number, i: number) => (call.dropRec ? call.dropRec[call.dropRec.length === 1 ? 0 : k][b][i] : 1);
    xs.forEach((xt, t) => {
      if (mask && !mask[b][t]) {
        const out = call.zeroOutputForMask ? zeros(u) : prevOut;
        caches.push({ masked: true, hPrev: h, cPrev: c, pre: [], rec: [], rh: [], c: c, h: h });
        outs.push(out);
        prevOut = out;
        return;
      }
      // Input projection per gate block k, unit j: Σ_d (x_d · m_k,d) W[d, k·u + j] + b_in.
      const proj = (k: number, j: number) => {
        let s = bIn(k * u + j);
        for (let d = 0; d < D; d++) s += xt[d] * inMask(k, d) * at(W, d, k * u + j);
        return s;
      };
      // Recurrent product of block k: Σ_i (v_i · mrec_k,i) U[i, k·u + j].
      const recur = (v: number[], k: number, j: number) => {
        let s = 0;
        for (let i = 0; i < u; i++) s += v[i] * recMask(k, i) * at(U, i, k * u + j);
        return s;
      };
      const cache: StepCache = { hPrev: h, cPrev: c, pre: [], rec: [], rh: [], c: [], h: [] };
      let hNew: number[];
      let cNew: number[] = [];
      if (spec.type === 'simple') {
        const pre = Array.from({ length: u }, (_, j) => proj(0, j) + recur(h, 0, j));
        cache.pre = [pre];
        hNew = pre.map((p) => f(act, p));
      } else if (spec.type === 'lstm') {
        const pre = [0, 1, 2, 3].map((k) => Array.from({ length: u }, (_, j) => proj(k, j) + recur(h, k, j)));
        cache.pre = pre;
        const i = pre[0].map((p) => f(ract, p));
        const fg = pre[1].map((p) => f(ract, p));
        const g = pre[2].map((p) => f(act, p));
        const o = pre[3].map((p) => f(ract, p));
        cNew = c.map((cp, j) => fg[j] * cp + i[j] * g[j]);
        hNew = cNew.map((cn, j) => o[j] * f(act, cn));
      } else if (resetAfter) {
        const rec = [0, 1, 2].map((k) => Array.from({ length: u }, (_, j) => recur(h, k, j) + bRec(k * u + j)));
        const pz = Array.from({ length: u }, (_, j) => proj(0, j) + rec[0][j]);
        const pr = Array.from({ length: u }, (_, j) => proj(1, j) + rec[1][j]);
        const r = pr.map((p) => f(ract, p));
        const ph = Array.from({ length: u }, (_, j) => proj(2, j) + r[j] * rec[2][j]);
        cache.pre = [pz, pr, ph];
        cache.rec = rec[2];
        const z = pz.map((p) => f(ract, p));
        const hh = ph.map((p) => f(act, p));
        hNew = h.map((hp, j) => z[j] * hp + (1 - z[j]) * hh[j]);
      } else {
        const pz = Array.from({ length: u }, (_, j) => proj(0, j) + recur(h, 0, j));
        const pr = Array.from({ length: u }, (_, j) => proj(1, j) + recur(h, 1, j));
        const r = pr.map((p) => f(ract, p));
        const rh = h.map((hp, j) => r[j] * hp);
        const ph = Array.from({ length: u }, (_, j) => proj(2, j) + recur(rh, 2, j));
        cache.pre = [pz, pr, ph];
        cache.rh = rh;
        const z = pz.map((p) => f(ract, p));
        const hh = ph.map((p) => f(act, p));
        hNew = h.map((hp, j) => z[j] * hp + (1 - z[j]) * hh[j]);
      }
      cache.c = cNew;
      cache.h = hNew;
      h = hNew;
      c = cNew;
      outs.push(hNew);
      prevOut = hNew;
      caches.push(cache);
    });
    seq.push(outs);
    steps.push(caches);
    hT.push(h);
    cT.push(c);
  });
  return { seq, cache: { x, steps, call, mask }, hT, cT };
}

/**
 * Backward pass of one recurrent layer, given the gradient of its processed-order output
 * sequence. Returns dx in the caller's time order and the weight gradients (Keras order).
 */
function recurrentBackward(
  spec: RecurrentSpec,
  w: Weight[],
  cache: RecurrentCache,
  dSeq: Seq,
  dhT?: number[][] | null,
  dcT?: number[][] | null,
): { dx: Seq; dw: number[][]; dh0: number[][]; dc0: number[][] } {
  const [W, U, bias] = w;
  const u = spec.units;
  const G = gatesOf(spec) * u;
  const D = W.shape[0];
  const resetAfter = spec.type === 'gru' && (spec.resetAfter ?? true);
  const act = spec.activation ?? 'tanh';
  const ract = spec.recurrentActivation ?? 'sigmoid';
  const dW = zeros(W.values.length);
  const dU = zeros(U.values.length);
  const db = zeros(bias.values.length);
  const dxAll: Seq = [];
  const dh0: number[][] = [];
  const dc0: number[][] = [];
  const call = cache.call;
  const inMask = (b: number, k: number, d: number) => (call.dropIn ? call.dropIn[call.dropIn.length === 1 ? 0 : k][b][d] : 1);
  const recMask = (b: number, k: number, i: number) => (call.dropRec ? call.dropRec[call.dropRec.length === 1 ? 0 : k][b][i] : 1);
  cache.x.forEach((xs, b) => {
    let dhNext = dhT ? [...dhT[b]] : zeros(u);
    let dcNext = dcT ? [...dcT[b]] : zeros(u);
    // Gradient reaching the "previous output" that masked steps repeat.
    let dCarry = zeros(u);
    const dxs: number[][] = xs.map(() => zeros(D));
    for (let t = xs.length - 1; t >= 0; t--) {
      const s = cache.steps[b][t];
      if (s.masked) {
        if (!call.zeroOutputForMask) dCarry = dCarry.map((v, j) => v + dSeq[b][t][j]);
        continue;
      }
      const dh = dSeq[b][t].map((v, j) => v + dhNext[j] + dCarry[j]);
      dCarry = zeros(u);
      // dIn[k][j]: gradient of the input-projection pre-activation of gate block k;
      // dRec[k][j]: gradient of the recurrent product h·U of block k (same except GRU).
      let dIn: number[][];
      let dRec: number[][];
      let dhPrev = zeros(u);
      let dRh: number[] = [];
      if (spec.type === 'simple') {
        const d = dh.map((v, j) => v * df(act, s.pre[0][j]));
        dIn = [d];
        dRec = [d];
      } else if (spec.type === 'lstm') {
        const [pi, pf, pg, po] = s.pre;
        const i = pi.map((p) => f(ract, p));
        const fg = pf.map((p) => f(ract, p));
        const g = pg.map((p) => f(act, p));
        const o = po.map((p) => f(ract, p));
        const dc = s.c.map((cn, j) => dcNext[j] + dh[j] * o[j] * df(act, cn));
        const di = dc.map((v, j) => v * g[j] * df(ract, pi[j]));
        const dfg = dc.map((v, j) => v * s.cPrev[j] * df(ract, pf[j]));
        const dg = dc.map((v, j) => v * i[j] * df(act, pg[j]));
        const dO = dh.map((v, j) => v * f(act, s.c[j]) * df(ract, po[j]));
        dcNext = dc.map((v, j) => v * fg[j]);
        dIn = [di, dfg, dg, dO];
        dRec = dIn;
      } else {
        const [pz, pr, ph] = s.pre;
        const z = pz.map((p) => f(ract, p));
        const r = pr.map((p) => f(ract, p));
        const hh = ph.map((p) => f(act, p));
        const dz = dh.map((v, j) => v * (s.hPrev[j] - hh[j]) * df(ract, pz[j]));
        const dph = dh.map((v, j) => v * (1 - z[j]) * df(act, ph[j]));
        dhPrev = dh.map((v, j) => v * z[j]);
        if (resetAfter) {
          const dr = dph.map((v, j) => v * s.rec[j] * df(ract, pr[j]));
          dIn = [dz, dr, dph];
          dRec = [dz, dr, dph.map((v, j) => v * r[j])];
        } else {
          // ph = x·Wh + b + (r ⊙ h_prev)·Uh
          dRh = Array.from({ length: u }, (_, i2) => {
            let acc = 0;
            for (let j = 0; j < u; j++) acc += dph[j] * at(U, i2, 2 * u + j);
            return acc * recMask(b, 2, i2);
          });
          const dr = dRh.map((v, j) => v * s.hPrev[j] * df(ract, pr[j]));
          dhPrev = dhPrev.map((v, j) => v + dRh[j] * r[j]);
          dIn = [dz, dr, dph];
          dRec = [dz, dr, zeros(u)];
          for (let i2 = 0; i2 < u; i2++) for (let j = 0; j < u; j++) dU[i2 * G + 2 * u + j] += s.rh[i2] * recMask(b, 2, i2) * dph[j];
        }
      }
      const blocks = dIn.length;
      for (let k = 0; k < blocks; k++) {
        for (let j = 0; j < u; j++) {
          const col = k * u + j;
          db[col] += dIn[k][j];
          if (resetAfter) db[G + col] += dRec[k][j];
          for (let d = 0; d < D; d++) {
            dW[d * G + col] += cache.x[b][t][d] * inMask(b, k, d) * dIn[k][j];
            dxs[t][d] += dIn[k][j] * at(W, d, col) * inMask(b, k, d);
          }
          for (let i2 = 0; i2 < u; i2++) {
            dU[i2 * G + col] += s.hPrev[i2] * recMask(b, k, i2) * dRec[k][j];
            dhPrev[i2] += dRec[k][j] * at(U, i2, col) * recMask(b, k, i2);
          }
        }
      }
      dhNext = dhPrev;
    }
    dxAll.push(spec.goBackwards ? dxs.reverse() : dxs);
    dh0.push(dhNext);
    dc0.push(dcNext);
  });
  return { dx: dxAll, dw: [dW, dU, db], dh0, dc0 };
}

/** Layer output as the next layer sees it (last step or whole sequence in input order). */
function layerOutput(spec: RecurrentSpec, seq: Seq): Seq | number[][] {
  if (spec.returnSequences) return seq;
  return seq.map((s) => s[s.length - 1]);
}

export interface ModelSpec {
  layers: LayerSpec[];
}

/** Per-call data of the whole model (see RecurrentCall). */
export interface ModelCall {
  /** [batch][steps] timestep mask of the input (1 keep, 0 skip), as Keras's Masking gives it. */
  mask?: number[][] | null;
  /** Per layer: its initial states ([h] or [h, c]; Bidirectional forward's then backward's), or null. */
  states?: (number[][][] | null)[];
  /** Per layer: dropout masks (Bidirectional: forward then backward). */
  drops?: ({ dropIn?: number[][][] | null; dropRec?: number[][][] | null }[] | null)[];
}

export interface ForwardResult {
  /** Output of every layer, then the Dense probabilities [batch][1]. */
  outputs: (Seq | number[][])[];
  loss: number;
  probs: number[][];
  caches: unknown[];
}

function toSeq(v: Seq | number[][]): Seq {
  return v as Seq;
}

/** Weights per layer: recurrent 3, bidirectional 6, dense 2 (kernel [in,1], bias [1]). */
export function forwardModel(model: ModelSpec, weights: Weight[][], x: Seq, y: number[], mc: ModelCall = {}): ForwardResult {
  let cur: Seq | number[][] = x;
  let mask = mc.mask ?? null;
  const outputs: (Seq | number[][])[] = [];
  const caches: unknown[] = [];
  const callOf = (li: number, half: number, n: number, zeroOut: boolean): RecurrentCall => {
    const st = mc.states?.[li] ?? null;
    const dr = mc.drops?.[li]?.[half] ?? null;
    return {
      mask,
      zeroOutputForMask: zeroOut,
      h0: st ? st[half * n] : null,
      c0: st && n === 2 ? st[half * n + 1] : null,
      dropIn: dr?.dropIn ?? null,
      dropRec: dr?.dropRec ?? null,
    };
  };
  model.layers.forEach((spec, li) => {
    const w = weights[li];
    if (spec.type === 'bidirectional') {
      const n = spec.layer.type === 'lstm' ? 2 : 1;
      const zo = spec.layer.returnSequences ?? false;
      const fwd = recurrentForward({ ...spec.layer, goBackwards: false }, w.slice(0, 3), toSeq(cur), callOf(li, 0, n, zo));
      const bwdSpec = { ...spec.layer, goBackwards: true };
      const bwd = recurrentForward(bwdSpec, w.slice(3, 6), toSeq(cur), callOf(li, 1, n, zo));
      let fo = layerOutput(spec.layer, fwd.seq) as number[][] | Seq;
      let bo = layerOutput(spec.layer, bwd.seq) as number[][] | Seq;
      if (spec.layer.returnSequences) bo = reverseTime(bo as Seq);
      const merge = (a: number[], b: number[]): number[] => {
        switch (spec.mergeMode) {
          case 'concat':
            return [...a, ...b];
          case 'sum':
            return a.map((v, j) => v + b[j]);
          case 'mul':
            return a.map((v, j) => v * b[j]);
          default:
            return a.map((v, j) => (v + b[j]) / 2);
        }
      };
      cur = spec.layer.returnSequences
        ? (fo as Seq).map((s, b) => s.map((v, t) => merge(v, (bo as Seq)[b][t])))
        : (fo as number[][]).map((v, b) => merge(v, (bo as number[][])[b]));
      caches.push({ fwd, bwd, fo, bo });
      fo = bo = [];
      if (!spec.layer.returnSequences) mask = null;
    } else {
      const r = recurrentForward(spec, w, toSeq(cur), callOf(li, 0, spec.type === 'lstm' ? 2 : 1, false));
      cur = layerOutput(spec, r.seq);
      caches.push(r);
      if (!spec.returnSequences) mask = null;
    }
    outputs.push(cur);
  });
  const [kernel, bias] = weights[model.layers.length];
  const feats = cur as unknown as number[][];
  const logits = feats.map((v) => v.reduce((s, vi, i) => s + vi * kernel.values[i], bias.values[0]));
  const probs = logits.map((l) => [1 / (1 + Math.exp(-l))]);
  const loss = -probs.reduce((s, p, b) => s + (y[b] * Math.log(p[0]) + (1 - y[b]) * Math.log(1 - p[0])), 0) / probs.length;
  outputs.push(probs);
  return { outputs, loss, probs, caches };
}

/**
 * Gradients of the mean BCE loss w.r.t. every weight, in the same nesting as `weights`;
 * `stateGrads` (when given) receives per layer the gradients of its initial states.
 */
export function backwardModel(
  model: ModelSpec,
  weights: Weight[][],
  fr: ForwardResult,
  y: number[],
  stateGrads?: number[][][][],
): number[][][] {
  const L = model.layers.length;
  const [kernel] = weights[L];
  const feats = fr.outputs[L - 1] as number[][];
  const B = feats.length;
  const dLogit = fr.probs.map((p, b) => (p[0] - y[b]) / B);
  const dKernel = zeros(kernel.values.length);
  let dBias = 0;
  feats.forEach((v, b) => {
    v.forEach((vi, i) => (dKernel[i] += vi * dLogit[b]));
    dBias += dLogit[b];
  });
  const grads: number[][][] = new Array(L + 1);
  grads[L] = [dKernel, [dBias]];
  let dCur: Seq | number[][] = feats.map((_, b) => kernel.values.map((k) => k * dLogit[b]));
  for (let li = L - 1; li >= 0; li--) {
    const spec = model.layers[li];
    const w = weights[li];
    // Expand a last-step gradient to a full-sequence gradient for the recurrent backward.
    const expand = (rs: RecurrentSpec, d: Seq | number[][], T: number): Seq =>
      rs.returnSequences
        ? (d as Seq)
        : (d as number[][]).map((v) => Array.from({ length: T }, (_, t) => (t === T - 1 ? v : zeros(v.length))));
    if (spec.type === 'bidirectional') {
      const c = fr.caches[li] as {
        fwd: { seq: Seq; cache: RecurrentCache };
        bwd: { seq: Seq; cache: RecurrentCache };
      };
      const u = spec.layer.units;
      const T = c.fwd.seq[0].length;
      const fo = layerOutput(spec.layer, c.fwd.seq);
      const boRaw = layerOutput(spec.layer, c.bwd.seq);
      const bo = spec.layer.returnSequences ? reverseTime(boRaw as Seq) : boRaw;
      const split = (g: number[], a: number[], bb: number[]): [number[], number[]] => {
        switch (spec.mergeMode) {
          case 'concat':
            return [g.slice(0, u), g.slice(u)];
          case 'sum':
            return [g, g];
          case 'mul':
            return [g.map((v, j) => v * bb[j]), g.map((v, j) => v * a[j])];
          default:
            return [g.map((v) => v / 2), g.map((v) => v / 2)];
        }
      };
      let dF: Seq | number[][];
      let dB: Seq | number[][];
      if (spec.layer.returnSequences) {
        const pairs = (dCur as Seq).map((s, b) => s.map((g, t) => split(g, (fo as Seq)[b][t], (bo as Seq)[b][t])));
        dF = pairs.map((s) => s.map((p) => p[0]));
        dB = reverseTime(pairs.map((s) => s.map((p) => p[1])));
      } else {
        const pairs = (dCur as number[][]).map((g, b) => split(g, (fo as number[][])[b], (bo as number[][])[b]));
        dF = pairs.map((p) => p[0]);
        dB = pairs.map((p) => p[1]);
      }
      const gf = recurrentBackward({ ...spec.layer, goBackwards: false }, w.slice(0, 3), c.fwd.cache, expand(spec.layer, dF, T));
      const gb = recurrentBackward({ ...spec.layer, goBackwards: true }, w.slice(3, 6), c.bwd.cache, expand(spec.layer, dB, T));
      grads[li] = [...gf.dw, ...gb.dw];
      if (stateGrads) stateGrads[li] = spec.layer.type === 'lstm' ? [gf.dh0, gf.dc0, gb.dh0, gb.dc0] : [gf.dh0, gb.dh0];
      dCur = gf.dx.map((s, b) => s.map((v, t) => v.map((vi, d) => vi + gb.dx[b][t][d])));
    } else {
      const c = fr.caches[li] as { seq: Seq; cache: RecurrentCache };
      const T = c.seq[0].length;
      // The cache's sequence is in processed order; a returnSequences gradient arrives in
      // output order, which is the same processed order (Keras returns it reversed too).
      const g = recurrentBackward(spec, w, c.cache, expand(spec, dCur, T));
      grads[li] = g.dw;
      if (stateGrads) stateGrads[li] = spec.type === 'lstm' ? [g.dh0, g.dc0] : [g.dh0];
      dCur = g.dx;
    }
  }
  return grads;
}

/**
 * The per-step gate activations of one recurrent layer from zero states, no mask and no
 * dropout, read from the same forward pass as the fixtures (`recurrentForward`'s step cache:
 * the activation of each gate block's pre-activation, and the new c and h). Checked against
 * `rnn.inspect.gates` in tests/unit/rnn-inspect.test.ts.
 *
 * Returns name -> [batch][step][unit] with steps in *input* order: for a goBackwards layer,
 * entry t is the step that read input position t. Names: LSTM i, f, candidate, o, c, h;
 * GRU z, r, candidate, h; SimpleRNN h (as `rnn.inspect.gates`).
 */
export function referenceGates(spec: RecurrentSpec, weights: Weight[], x: Seq): Record<string, number[][][]> {
  const act = spec.activation ?? 'tanh';
  const ract = spec.recurrentActivation ?? 'sigmoid';
  const { cache } = recurrentForward(spec, weights, x);
  const gates = (s: StepCache): Record<string, number[]> => {
    if (spec.type === 'lstm') {
      const [i, fg, g, o] = s.pre;
      return { i: i.map((p) => f(ract, p)), f: fg.map((p) => f(ract, p)), candidate: g.map((p) => f(act, p)), o: o.map((p) => f(ract, p)), c: s.c, h: s.h };
    }
    if (spec.type === 'gru') {
      const [z, r, hh] = s.pre;
      return { z: z.map((p) => f(ract, p)), r: r.map((p) => f(ract, p)), candidate: hh.map((p) => f(act, p)), h: s.h };
    }
    return { h: s.h };
  };
  const out: Record<string, number[][][]> = {};
  cache.steps.forEach((steps) => {
    const T = steps.length;
    const perStep = steps.map(gates);
    // Processed step s read input position T - 1 - s when the layer goes backwards.
    const inInputOrder = spec.goBackwards ? perStep.reverse() : perStep;
    for (const name of Object.keys(inInputOrder[0] ?? {})) {
      (out[name] ??= []).push(Array.from({ length: T }, (_, t) => inInputOrder[t][name]));
    }
  });
  return out;
}
