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

/** Ids as Int32Array: in place when already int32; float ids are checked (rnn.embedding) or truncated (tf.layers.embedding casts). */
function idsOf(data: tf.TypedArray, V: number, truncate: boolean): Int32Array {
  if (data instanceof Int32Array) return data;
  const out = new Int32Array(data.length);
  for (let n = 0; n < data.length; n++) {
    const id = data[n] as number;
    if (!truncate && (!(id >= 0 && id < V) || id !== Math.floor(id))) throw new Error(`Embedding: id ${id} is outside [0, ${V}) (inputDim ${V}).`);
    out[n] = truncate ? id | 0 : id;
  }
  return out;
}

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
  if (emb ? x.rank !== 2 : x.rank !== 3 || x.shape[2] !== recurrent[0].kernel.shape[0]) return null;
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
  const D0 = emb ? emb.dim : recurrent[0].kernel.shape[0];
  const pX = ws.take('x', B * T * D0);
  const pSeq = recurrent.map((r, i) => (r.sequence ? ws.take(`seq${i}`, B * T * r.layer.units) : 0));
  const pDout = train ? recurrent.map((r, i) => ws.take(`dout${i}`, B * (T + 2) * r.layer.units)) : [];
  const pGradTable = train && emb ? ws.take('dtable', emb.vocab * emb.dim) : 0;
  // 2. The input sequence: gather, or a copy of float inputs.
  const xData = emb ? x.dataSync() : null;
  const ids = emb ? idsOf(xData!, emb.vocab, emb.truncateIds) : null;
  // maskZero: 1 where the input (as given, before any cast) is not 0, for every recurrent layer.
  let mask: Uint8Array | null = null;
  if (emb?.maskZero) {
    mask = new Uint8Array(B * T);
    for (let n = 0; n < B * T; n++) mask[n] = xData![n] !== 0 ? 1 : 0;
  }
  if (emb) wk.gather(ids!, vals(emb.table), emb.vocab, emb.dim, pX);
  else heap.all().f32.set(x.dataSync() as Float32Array, pX >> 2);
  const tapes: unknown[] = [];
  const specs: SequenceSpec[] = [];
  try {
    // 3. Recurrent layers.
    let pIn = pX;
    let D = D0;
    let h = new Float32Array(0);
    for (const [i, r] of recurrent.entries()) {
      const l = r.layer;
      const u = l.units;
      const spec: SequenceSpec = { cell: l.cellKind, batch: B, steps: T, inputDim: D, units: u, act: l.actCode, ract: l.ractCode, resetAfter: l.resetAfter, zeroOutputForMask: mask !== null && l.zeroOutputForMask };
      specs.push(spec);
      // Dropout masks in training only, drawn like the layer's own call (same generator, same order).
      const masks = train ? l.trainingDropoutMasks(B, D) : { inputMask: null, recurrentMask: null };
      const res = wk.forwardResident(spec, heap.f32(pIn, B * T * D), vals(r.kernel), vals(r.recurrentKernel), vals(r.bias), { ...masks, mask });
      tapes.push(res.tape);
      const pOut = heap.ptrOf(res.output);
      const OT = outputSteps(spec);
      const all = heap.all().f32;
      if (r.sequence) {
        for (let b = 0; b < B; b++) all.copyWithin((pSeq[i] >> 2) + b * T * u, (pOut >> 2) + b * OT * u, (pOut >> 2) + (b * OT + T) * u);
        pIn = pSeq[i];
        D = u;
      } else {
        h = new Float32Array(B * u);
        for (let b = 0; b < B; b++) h.set(all.subarray((pOut >> 2) + (b * OT + T - 1) * u, (pOut >> 2) + (b * OT + T) * u), b * u);
      }
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
    // 7. BPTT, last layer first; dx stays resident until the tapes are released.
    let pDx = 0;
    for (let i = recurrent.length - 1; i >= 0; i--) {
      const r = recurrent[i];
      const spec = specs[i];
      const u = spec.units;
      const OT = outputSteps(spec);
      const pd = pDout[i];
      ex.zero_floats(pd, B * OT * u);
      const all = heap.all().f32;
      if (!r.sequence) {
        for (let b = 0; b < B; b++) for (let j = 0; j < u; j++) all[(pd >> 2) + (b * OT + T - 1) * u + j] = dA[b * u + j];
      } else {
        for (let b = 0; b < B; b++) all.copyWithin((pd >> 2) + b * OT * u, (pDx >> 2) + b * T * u, (pDx >> 2) + (b + 1) * T * u);
      }
      const g = wk.backward(spec, tapes[i], heap.f32(pd, B * OT * u));
      pDx = heap.ptrOf(g.dx);
      grads.set(r.kernel, () => g.dKernel);
      grads.set(r.recurrentKernel, () => g.dRecurrent);
      grads.set(r.bias, () => g.dBias);
      if (gatesOf(spec.cell) * u * spec.inputDim !== g.dKernel.length) throw new Error('fused step: unexpected kernel gradient size.');
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
