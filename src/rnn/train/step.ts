/**
 * One fused training (or evaluation) step of a whole model planned by ./plan.ts, with no
 * tfjs tensor, op or tape in between:
 *   gather (WebAssembly, into a resident block; with `maskZero`, the mask id != 0) → recurrent
 *   forward per layer (`seq_forward`
 *   on resident memory, output kept there) → dense layers, loss and metrics (JS: B x units,
 *   a few hundred floats) → dense backward → BPTT per layer (`seq_backward`, dx kept resident)
 *   → scatter-add of the embedding gradient into a resident [V, E] block → the optimizer's
 *   own fused Adam on the variables' resident storage.
 *
 * Numbers are tfjs's definitions (tfjs-layers losses.ts / metrics.ts; the gradients tfjs's
 * autodiff would give, computed analytically): binary cross-entropy clips the prediction to
 * [ε, 1 − ε] (ε = 1e-7), takes its logit and the stable logistic loss; the gradient is zero
 * where clipping is active. tests/unit/rnn-fused-fit.test.ts checks weights, losses and
 * metrics against the stock path.
 *
 * Memory: the workspace blocks (ids are not copied; the embedding output, the sequences
 * between layers, the packed output gradients, the [V, E] gradient) are allocated once per
 * model and size and reused every step. An allocation may grow the WebAssembly memory, which
 * detaches views, so views are taken right before use from pointers.
 */
import * as tf from '@tensorflow/tfjs';
import { ACT_RELU, ACT_SIGMOID, ACT_TANH } from '../kernels/activations';
import { gatesOf, outputSteps, type SequenceSpec } from '../kernels/types';
import type { WasmHeap } from '../kernels/wasm';
import { applyTfjsAdam, prepareTfjsAdam } from '../optimizers/tfjs-adam';
import { idsAsInt32 } from '../layers/embedding';
import type { FusedPlan } from './plan';

/** Heap blocks reused across steps, by role; freed when the owner (a model) is collected. */
class Workspace {
  readonly blocks = new Map<string, { ptr: number; n: number }>();
  constructor(readonly heap: WasmHeap) {}
  /** A block of at least `n` floats for `key` (contents undefined). May grow the memory. */
  take(key: string, n: number): number {
    const b = this.blocks.get(key);
    if (b && b.n >= n) return b.ptr;
    if (b) this.heap.free(b.ptr);
    const ptr = this.heap.alloc(n);
    this.blocks.set(key, { ptr, n });
    return ptr;
  }
}

const workspaces = new WeakMap<object, Workspace>();
const wsFinalizer =
  typeof FinalizationRegistry === 'undefined'
    ? null
    : new FinalizationRegistry<Workspace>((ws) => {
        for (const b of ws.blocks.values()) ws.heap.free(b.ptr);
      });

function workspaceOf(owner: object, heap: WasmHeap): Workspace {
  let ws = workspaces.get(owner);
  if (!ws || ws.heap !== heap) {
    ws = new Workspace(heap);
    workspaces.set(owner, ws);
    wsFinalizer?.register(owner, ws);
  }
  return ws;
}

const vals = (v: tf.Variable) => v.dataSync() as Float32Array;

/** tfjs-layers' epsilon on the cpu backend (the clipping of binary cross-entropy). */
const EPS = 1e-7;

/**
 * Runs one step of `plan` on the batch (`x`, `y`) and returns [loss, ...metrics] (batch
 * means, like tfjs's train / test functions); with `train`, also updates the weights and the
 * optimizer's state. Returns null (nothing done) when the batch does not fit the plan's
 * shapes, so that the caller runs tfjs's own function, which reports the error.
 */
export function runFusedStep(plan: FusedPlan, owner: object, x: tf.Tensor, y: tf.Tensor, train: boolean): number[] | null {
  const { wk, embedding: emb, recurrent, dense } = plan;
  const heap = wk.heap;
  const ex = heap.ex;
  const B = x.shape[0];
  const T = x.shape[1];
  const K = dense[dense.length - 1].units;
  if (emb ? x.rank !== 2 : x.rank !== 3 || x.shape[2] !== recurrent[0].dirs[0].kernel.shape[0]) return null;
  if (y.rank !== 2 || y.shape[0] !== B || y.shape[1] !== K || B === 0 || !T) return null;
  const ws = workspaceOf(owner, heap);
  // 1. Optimizer state and resident weights first (allocations), then the workspace.
  let tfjsPlan: ReturnType<typeof prepareTfjsAdam> = null;
  if (train) {
    const o = plan.optimizer!;
    if (o.kind === 'rnn') {
      if (!o.opt.fusedPrepare(plan.variables)) return null;
    } else {
      tfjsPlan = prepareTfjsAdam(o.opt, plan.variables);
      if (!tfjsPlan || tfjsPlan.weightPtrs.some((p) => p < 0)) return null;
    }
  }
  const D0 = emb ? emb.dim : recurrent[0].dirs[0].kernel.shape[0];
  /** Input width of each recurrent stage. */
  const inDims = recurrent.map((_, i) => (i === 0 ? D0 : recurrent[i - 1].outDim));
  const pX = ws.take('x', B * T * D0);
  const pSeq = recurrent.map((r, i) => (r.sequence ? ws.take(`seq${i}`, B * T * r.outDim) : 0));
  // A time-reversed copy of the stage's input for a direction that reads backwards.
  const pRev = recurrent.map((r, i) => (r.dirs.some((d) => d.backwards) ? ws.take(`rev${i}`, B * T * inDims[i]) : 0));
  const pDout = train ? recurrent.map((r, i) => r.dirs.map((_, j) => ws.take(`dout${i}_${j}`, B * (T + 2) * r.units))) : [];
  // The gradient of each stage's input, summed over directions, in time order.
  // (One forward direction: the kernel's own dx is used where it lies.)
  const pDxs = train ? recurrent.map((r, i) => (r.dirs.length > 1 || r.dirs[0].backwards ? ws.take(`dx${i}`, B * T * inDims[i]) : 0)) : [];
  const pGradTable = train && emb ? ws.take('dtable', emb.vocab * emb.dim) : 0;
  // 2. The input sequence: gather, or a copy of float inputs.
  const xData = emb ? x.dataSync() : null;
  const ids = emb ? idsAsInt32(xData as ArrayLike<number>, emb.vocab) : null;
  // maskZero: 1 where the input (as given, before any cast) is not 0, for every recurrent layer.
  let mask: Uint8Array | null = null;
  if (emb?.maskZero) {
    mask = new Uint8Array(B * T);
    for (let n = 0; n < B * T; n++) mask[n] = xData![n] !== 0 ? 1 : 0;
  }
  if (emb) wk.gather(ids!, vals(emb.table), emb.vocab, emb.dim, pX);
  else heap.all().f32.set(x.dataSync() as Float32Array, pX >> 2);
  const tapes: unknown[] = [];
  /** Per stage and direction: the call's spec, tape and packed output [B, OT, u] in the heap. */
  const runs: { spec: SequenceSpec; tape: unknown; pOut: number }[][] = [];
  /** Time-reverses [B, T, w] rows from `src` into `dst` (heap pointers). */
  const reverseInto = (src: number, dst: number, w: number) => {
    const all = heap.all().f32;
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) all.copyWithin((dst >> 2) + (b * T + T - 1 - t) * w, (src >> 2) + (b * T + t) * w, (src >> 2) + (b * T + t + 1) * w);
  };
  const reversedMask =
    mask && recurrent.some((r) => r.dirs.some((d) => d.backwards))
    ? (() => {
        const m = new Uint8Array(B * T);
        for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) m[b * T + T - 1 - t] = mask![b * T + t];
        return m;
      })()
    : null;
  try {
    // 3. Recurrent stages: each direction reads the stage's input (time-reversed for goBackwards);
    // Bidirectional merges its two outputs, the backward sequence reversed back to time order.
    let pIn = pX;
    let h = new Float32Array(0);
    for (const [i, r] of recurrent.entries()) {
      const D = inDims[i];
      const u = r.units;
      runs.push([]);
      for (const d of r.dirs) {
        const l = d.layer;
        const spec: SequenceSpec = { cell: l.cellKind, batch: B, steps: T, inputDim: D, units: u, act: l.actCode, ract: l.ractCode, resetAfter: l.resetAfter, zeroOutputForMask: mask !== null && l.zeroOutputForMask };
        if (d.backwards) reverseInto(pIn, pRev[i], D);
        // Dropout masks in training only, drawn like the layer's own call (same generator, same order).
        const masks = train ? l.trainingDropoutMasks(B, D) : { inputMask: null, recurrentMask: null };
        const input = heap.f32(d.backwards ? pRev[i] : pIn, B * T * D);
        const res = wk.forwardResident(spec, input, vals(d.kernel), vals(d.recurrentKernel), vals(d.bias), { ...masks, mask: d.backwards ? reversedMask : mask });
        tapes.push(res.tape);
        runs[i].push({ spec, tape: res.tape, pOut: heap.ptrOf(res.output) });
      }
      // The stage's output: [B, T, outDim] into pSeq[i], or the last step [B, outDim] into h.
      const OT = outputSteps(runs[i][0].spec);
      const all = heap.all().f32;
      const out = r.sequence ? all.subarray(pSeq[i] >> 2, (pSeq[i] >> 2) + B * T * r.outDim) : (h = new Float32Array(B * r.outDim));
      const steps = r.sequence ? T : 1;
      const p0 = runs[i][0].pOut >> 2;
      if (r.merge === null) {
        // One direction: its outputs as they come (a goBackwards layer's in its reading order).
        for (let b = 0; b < B; b++) out.set(all.subarray(p0 + (b * OT + T - steps) * u, p0 + (b * OT + T) * u), b * steps * u);
      } else {
        for (let b = 0; b < B; b++) {
          for (let t = 0; t < steps; t++) {
            // Processing step of each direction for output time t (Bidirectional reverses its second).
            const s0 = r.sequence ? t : T - 1;
            const s1 = r.sequence ? T - 1 - t : T - 1;
            const o0 = p0 + (b * OT + s0) * u;
            const dst = (b * steps + t) * r.outDim;
            const o1 = (runs[i][1].pOut >> 2) + (b * OT + s1) * u;
            for (let q = 0; q < u; q++) {
              const f = all[o0 + q];
              const g = all[o1 + q];
              if (r.merge === 'concat') {
                out[dst + q] = f;
                out[dst + u + q] = g;
              } else if (r.merge === 'sum') out[dst + q] = f + g;
              else if (r.merge === 'mul') out[dst + q] = f * g;
              else out[dst + q] = Math.fround(f + g) * 0.5;
            }
          }
        }
      }
      if (r.sequence) pIn = pSeq[i];
    }
    // 4. Dense layers (JS; float32 storage like tfjs, float64 sums).
    const acts: Float32Array[] = [h];
    for (const d of dense) {
      const a = acts[acts.length - 1];
      const W = vals(d.kernel);
      const bias = d.bias ? vals(d.bias) : null;
      const out = new Float32Array(B * d.units);
      for (let b = 0; b < B; b++) {
        for (let j = 0; j < d.units; j++) {
          let s = 0;
          for (let q = 0; q < d.inDim; q++) s += a[b * d.inDim + q] * W[q * d.units + j];
          let z = Math.fround(Math.fround(s) + (bias ? bias[j] : 0));
          if (d.act === ACT_SIGMOID) z = 1 / (1 + Math.exp(-z));
          else if (d.act === ACT_TANH) z = Math.tanh(z);
          else if (d.act === ACT_RELU) z = z > 0 ? z : 0;
          out[b * d.units + j] = z;
        }
      }
      acts.push(out);
    }
    // 5. Loss, metrics and the loss gradient w.r.t. the prediction.
    const p = acts[acts.length - 1];
    const yt = y.dataSync();
    const n = B * K;
    let lossSum = 0;
    let accSum = 0;
    const dP = train ? new Float64Array(n) : null;
    for (let i = 0; i < n; i++) {
      const pi = p[i];
      const z = yt[i] as number;
      if (plan.loss === 'binaryCrossentropy') {
        const pc = Math.fround(Math.min(Math.max(pi, EPS), 1 - EPS));
        const logit = Math.log(pc / (1 - pc));
        lossSum += Math.max(logit, 0) - logit * z + Math.log1p(Math.exp(-Math.abs(logit)));
        if (dP) dP[i] = pi >= EPS && pi <= 1 - EPS ? (pc - z) / (pc * (1 - pc) * n) : 0;
      } else {
        const e = pi - z;
        lossSum += e * e;
        if (dP) dP[i] = (2 * e) / n;
      }
      if (plan.metrics.length) accSum += z === (pi > 0.5 ? 1 : 0) ? 1 : 0;
    }
    const loss = lossSum / n;
    const results = [loss, ...plan.metrics.map(() => accSum / n)];
    if (!train) return results;
    // 6. Dense backward.
    const grads = new Map<tf.Variable, () => Float32Array>();
    let dA: Float64Array = dP!;
    for (let k = dense.length - 1; k >= 0; k--) {
      const d = dense[k];
      const out = acts[k + 1];
      const a = acts[k];
      const dZ = new Float64Array(B * d.units);
      for (let i = 0; i < dZ.length; i++) {
        const o = out[i];
        dZ[i] = d.act === ACT_SIGMOID ? dA[i] * (o * (1 - o)) : d.act === ACT_TANH ? dA[i] * (1 - o * o) : d.act === ACT_RELU ? (o > 0 ? dA[i] : 0) : dA[i];
      }
      const dW = new Float32Array(d.inDim * d.units);
      for (let q = 0; q < d.inDim; q++) {
        for (let j = 0; j < d.units; j++) {
          let s = 0;
          for (let b = 0; b < B; b++) s += a[b * d.inDim + q] * dZ[b * d.units + j];
          dW[q * d.units + j] = s;
        }
      }
      grads.set(d.kernel, () => dW);
      if (d.bias) {
        const db = new Float32Array(d.units);
        for (let j = 0; j < d.units; j++) {
          let s = 0;
          for (let b = 0; b < B; b++) s += dZ[b * d.units + j];
          db[j] = s;
        }
        grads.set(d.bias, () => db);
      }
      const W = vals(d.kernel);
      const dPrev = new Float64Array(B * d.inDim);
      for (let b = 0; b < B; b++) {
        for (let q = 0; q < d.inDim; q++) {
          let s = 0;
          for (let j = 0; j < d.units; j++) s += dZ[b * d.units + j] * W[q * d.units + j];
          dPrev[b * d.inDim + q] = s;
        }
      }
      dA = dPrev;
    }
    // 7. BPTT, last stage first: the stage's output gradient (dA for the last, else the next
    // stage's input gradient) split over its directions, each direction's BPTT, and their input
    // gradients summed in time order into pDxs[i].
    let pDx = 0;
    for (let i = recurrent.length - 1; i >= 0; i--) {
      const r = recurrent[i];
      const u = r.units;
      const D = inDims[i];
      const OT = outputSteps(runs[i][0].spec);
      const steps = r.sequence ? T : 1;
      const pG = pDx; // [B, T, outDim] (sequence stages): the next stage's input gradient
      for (const [j, d] of r.dirs.entries()) {
        const pd = pDout[i][j];
        ex.zero_floats(pd, B * OT * u);
        const all = heap.all().f32;
        const other = r.merge === null ? 0 : runs[i][1 - j].pOut >> 2;
        if (r.merge === null) {
          // One direction: the gradient goes where its outputs came from.
          for (let b = 0; b < B; b++) {
            const dst = (pd >> 2) + (b * OT + T - steps) * u;
            if (r.sequence) all.copyWithin(dst, (pG >> 2) + b * T * u, (pG >> 2) + (b + 1) * T * u);
            else for (let q = 0; q < u; q++) all[dst + q] = dA[b * u + q];
          }
        } else {
          for (let b = 0; b < B; b++) {
            for (let t = 0; t < steps; t++) {
              const sj = !r.sequence ? T - 1 : j === 1 ? T - 1 - t : t;
              const so = !r.sequence ? T - 1 : j === 1 ? t : T - 1 - t; // the other direction's step for the same output
              const dst = (pd >> 2) + (b * OT + sj) * u;
              for (let q = 0; q < u; q++) {
                const col = r.merge === 'concat' ? j * u + q : q;
                const gq = r.sequence ? all[(pG >> 2) + (b * T + t) * r.outDim + col] : dA[b * r.outDim + col];
                let v = gq;
                if (r.merge === 'ave') v = gq * 0.5;
                else if (r.merge === 'mul') v = gq * all[other + (b * OT + so) * u + q];
                all[dst + q] = v;
              }
            }
          }
        }
        const g = wk.backward(runs[i][j].spec, runs[i][j].tape, heap.f32(pd, B * OT * u));
        const pdx = heap.ptrOf(g.dx);
        if (r.dirs.length === 1 && !d.backwards) {
          // The common case: dx stays where the kernel left it (resident until the tapes go).
          pDx = pdx;
        } else {
          // Sum into pDxs[i] in time order (a direction that read backwards got a reversed input).
          const a2 = heap.all().f32;
          const acc = pDxs[i] >> 2;
          if (j === 0 && !d.backwards) a2.copyWithin(acc, pdx >> 2, (pdx >> 2) + B * T * D);
          else if (j === 0) reverseInto(pdx, pDxs[i], D);
          else {
            for (let b = 0; b < B; b++) {
              for (let t = 0; t < T; t++) {
                const src = (pdx >> 2) + (b * T + (d.backwards ? T - 1 - t : t)) * D;
                const dst = acc + (b * T + t) * D;
                for (let q = 0; q < D; q++) a2[dst + q] += a2[src + q];
              }
            }
          }
          pDx = pDxs[i];
        }
        grads.set(d.kernel, () => g.dKernel);
        grads.set(d.recurrentKernel, () => g.dRecurrent);
        grads.set(d.bias, () => g.dBias);
        if (gatesOf(runs[i][j].spec.cell) * u * D !== g.dKernel.length) throw new Error('fused step: unexpected kernel gradient size.');
      }
    }
    // 8. The embedding's dense gradient: scatter-add of dx into the resident [V, E] block.
    if (emb) {
      const N = B * T * emb.dim;
      wk.scatterAdd(ids!, heap.f32(pDx, N), emb.vocab, emb.dim, pGradTable, true);
      grads.set(emb.table, () => heap.f32(pGradTable, emb.vocab * emb.dim));
    }
    // 9. The optimizer's own fused Adam, in the model's variable order.
    const gradOf = (k: number) => grads.get(plan.variables[k])!();
    const o = plan.optimizer!;
    if (o.kind === 'rnn') o.opt.fusedApply(plan.variables, gradOf);
    else applyTfjsAdam(o.opt, tfjsPlan!, gradOf);
    return results;
  } finally {
    for (const t of tapes) wk.releaseTape(t);
  }
}
