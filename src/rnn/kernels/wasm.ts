/**
 * The WebAssembly SIMD128 implementation of the fused kernels (sources: src/rnn/wasm/kernels.c
 * and ops.c, embedded as base64 by scripts/build-wasm.ts).
 *
 * Memory (why it is managed this way): copying between JavaScript arrays and WebAssembly
 * memory costs a browser 2-4x what it costs Node (BENCHMARKS.md, "Where the time goes"), and
 * a training step of the course model used to copy about a million floats. So buffers stay
 * resident in the module's linear memory:
 * - `WasmHeap` hands out 16-byte-aligned blocks (exact-size free lists: a training step asks
 *   for the same sizes every time, so after the first step nothing new is allocated).
 * - The tape of a forward pass (gate activations, states, the padded kernels, the input)
 *   stays in WebAssembly memory until the backward pass; it is never copied out. Tapes made
 *   while tfjs records gradients are released at the first forward pass of a later gradient
 *   computation; tapes made outside one (predict, direct calls) are kept for the last
 *   `MAX_LOOSE_TAPES` calls, or until tfjs records gradients again.
 * - An input that already lives in WebAssembly memory (a Float32Array view into it, e.g. the
 *   embedding output, or a weight Adam keeps resident) is used in place, not copied.
 * - Growing the memory detaches every JavaScript view of it. Pointers stay valid, so code
 *   takes pointers of its inputs first and allocates afterwards; the heap calls its grow
 *   hooks so holders of views (tfjs tensors backed by resident blocks) can renew them. The
 *   heap reserves `INITIAL_BYTES` up front, so growing is rare.
 */
import * as tf from '@tensorflow/tfjs';
import { KERNELS_WASM_BASE64 } from '../wasm/kernels.wasm';
import { blockHasLiveTensor, ensureResidentTracking } from './resident';
import {
  type AdamState,
  biasLength,
  gatesOf,
  outputSteps,
  type ForwardResult,
  type SequenceExtras,
  type SequenceGrads,
  type SequenceKernels,
  type SequenceSpec,
} from './types';

/** The raw exports of the WebAssembly module (kernels.c and ops.c). */
export interface Exports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  apply_activation(code: number, buf: number, n: number): void;
  pad_rows(src: number, rows: number, g: number, dst: number): void;
  unpad_rows(src: number, rows: number, g: number, dst: number): void;
  matmul_bias(a: number, n: number, d: number, wp: number, gp: number, bp: number, p: number): void;
  matmul_ta_acc(a: number, n: number, d: number, dz: number, gp: number, dwp: number, dbp: number): void;
  matmul_tb(dz: number, n: number, gp: number, wp: number, d: number, dx: number): void;
  seq_forward(...args: number[]): void;
  project_masked(...args: number[]): void;
  project_masked_backward(...args: number[]): void;
  seq_backward(...args: number[]): void;
  adam(w: number, g: number, m: number, v: number, n: number, alpha: number, b1: number, b2: number, eps: number): void;
  adam_tfjs(w: number, g: number, m: number, v: number, n: number, lr: number, b1: number, b2: number, eps: number, c1: number, c2: number): void;
  gather_rows(ids: number, count: number, table: number, V: number, E: number, out: number): number;
  scatter_add_rows(ids: number, count: number, dy: number, V: number, E: number, table: number, zero: number): void;
  zero_floats(p: number, n: number): void;
  copy_floats(dst: number, src: number, n: number): void;
}

const round4 = (n: number) => (n + 3) & ~3;

function cellCode(spec: SequenceSpec): number {
  if (spec.cell === 'simple') return 0;
  if (spec.cell === 'lstm') return 1;
  return spec.resetAfter ? 2 : 3;
}

/** Memory reserved when the module is instantiated (pages are only touched when used). */
const INITIAL_BYTES = 48 << 20;
/** Tapes made outside a tfjs gradient computation that are kept for a later backward call. */
const MAX_LOOSE_TAPES = 8;

/**
 * Blocks of floats in the module's linear memory: `alloc` / `free`, exact-size free lists
 * over a bump pointer. Block contents are not initialised.
 */
export class WasmHeap {
  private top: number;
  private readonly freeBySize = new Map<number, number[]>();
  private readonly sizeOf = new Map<number, number>();
  private readonly growHooks: (() => void)[] = [];
  /** The memory's current ArrayBuffer (renewed on growth). */
  buffer: ArrayBuffer;
  constructor(readonly ex: Exports) {
    this.buffer = ex.memory.buffer;
    this.top = (Number(ex.__heap_base.value) + 15) & ~15;
    this.reserve(INITIAL_BYTES);
  }
  private static bytes(n: number): number {
    return ((n * 4 + 15) & ~15) + 16;
  }
  private reserve(end: number): void {
    const mem = this.ex.memory;
    const need = end - mem.buffer.byteLength;
    if (need <= 0) return;
    mem.grow(Math.max(Math.ceil(need / 65536), mem.buffer.byteLength >>> 19)); // grow by >= 1/8
    this.buffer = mem.buffer;
    for (const hook of this.growHooks) hook();
  }
  /** Reserves `n` floats (16-byte aligned, 16 bytes of slack); returns the byte offset. May grow the memory. */
  alloc(n: number): number {
    const size = WasmHeap.bytes(n);
    const reuse = this.freeBySize.get(size)?.pop();
    if (reuse !== undefined) {
      this.sizeOf.set(reuse, size);
      return reuse;
    }
    const ptr = this.top;
    this.top += size;
    this.reserve(this.top);
    this.sizeOf.set(ptr, size);
    return ptr;
  }
  /** `alloc` followed by zero-filling. */
  allocZeroed(n: number): number {
    const ptr = this.alloc(n);
    this.ex.zero_floats(ptr, n);
    return ptr;
  }
  /** Returns a block to the heap (a pointer not from `alloc`, or freed twice, throws). */
  free(ptr: number): void {
    const size = this.sizeOf.get(ptr);
    if (size === undefined) throw new Error(`WasmHeap: free of unknown block ${ptr}.`);
    this.sizeOf.delete(ptr);
    const list = this.freeBySize.get(size);
    if (list) list.push(ptr);
    else this.freeBySize.set(size, [ptr]);
  }
  private whole: { buffer: ArrayBuffer; f32: Float32Array; i32: Int32Array } | null = null;
  /** Views of the whole memory (renewed after growth): copies use them, no view per call. */
  all(): { f32: Float32Array; i32: Int32Array } {
    const buffer = this.buffer;
    if (!this.whole || this.whole.buffer !== buffer) {
      this.whole = { buffer, f32: new Float32Array(buffer), i32: new Int32Array(buffer) };
    }
    return this.whole;
  }
  /** A Float32Array view of `n` floats at `ptr` (valid until the memory grows). */
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.buffer, ptr, n);
  }
  /** A copy of `n` floats at `ptr` (an ordinary array). */
  copyOut(ptr: number, n: number): Float32Array {
    // Not `slice` of the whole-memory view: Chromium's profile showed that path at 6% of a
    // fused training step for a few small copies; `set` from a short view is a plain copy.
    const out = new Float32Array(n);
    out.set(new Float32Array(this.buffer, ptr, n));
    return out;
  }
  /** An Int32Array view of `n` ints at `ptr` (valid until the memory grows). */
  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.buffer, ptr, n);
  }
  /** The byte offset of a view into this memory, or -1 for any other array. */
  ptrOf(a: ArrayBufferView): number {
    return a.buffer === this.buffer ? a.byteOffset : -1;
  }
  /** Called after every growth of the memory (every view made before it is detached). */
  onGrow(hook: () => void): void {
    this.growHooks.push(hook);
  }
  /** Bytes in use and reserved (for tests and the benchmark). */
  stats(): { liveBlocks: number; topBytes: number; memoryBytes: number } {
    return { liveBlocks: this.sizeOf.size, topBytes: this.top, memoryBytes: this.ex.memory.buffer.byteLength };
  }
}

/** Blocks that live for one call: `take` them, then `release` all at once. */
class Scratch {
  private readonly blocks: number[] = [];
  constructor(private readonly heap: WasmHeap) {}
  take(n: number): number {
    const p = this.heap.alloc(n);
    this.blocks.push(p);
    return p;
  }
  release(): void {
    for (const p of this.blocks) this.heap.free(p);
    this.blocks.length = 0;
  }
}

/**
 * An input array as a pointer: in place when it already lives in WebAssembly memory,
 * else a scratch block it is copied into. Pointers are resolved for all inputs before any
 * allocation (an allocation may grow the memory and detach the views), copies after.
 */
class Inputs {
  private readonly pending: { a: ArrayLike<number>; ptr: number; int: boolean }[] = [];
  constructor(private readonly heap: WasmHeap, private readonly scratch: Scratch) {}
  /** Returns a function giving the pointer once `copy()` has run. */
  add(a: Float32Array | Int32Array, into?: Scratch | null): () => number {
    const own = this.heap.ptrOf(a);
    if (own >= 0) return () => own;
    const entry = { a, ptr: (into ?? this.scratch).take(a.length), int: a instanceof Int32Array };
    this.pending.push(entry);
    return () => entry.ptr;
  }
  copy(): void {
    const all = this.heap.all();
    for (const e of this.pending) {
      if (e.int) all.i32.set(e.a as Int32Array, e.ptr >> 2);
      else all.f32.set(e.a as Float32Array, e.ptr >> 2);
    }
    this.pending.length = 0;
  }
}

/** What one forward pass keeps for its backward pass, in WebAssembly memory. */
interface WasmTape {
  /** The gradient computation (tfjs's active tape array) it was made in, or null. */
  token: object | null;
  /** Whether the output and dx are handed to tfjs as resident storage (cpu backend). */
  handOut: boolean;
  live: boolean;
  /** Blocks owned by the tape (freed with it). */
  blocks: Scratch;
  /**
   * Blocks handed to tfjs as tensor storage (the output, dx): freed once the gradient
   * computation is over and no live tensor uses them (kernels/resident.ts tracks that).
   */
  handedOut: number[];
  x: number;
  wp: number;
  up: number;
  h: number;
  gates: number;
  c: number;
  ac: number;
  /** The optional per-call arrays (mask, initial states, dropout masks), written again for backward. */
  extras: SequenceExtras;
}

/*
 * --- Optional per-call arrays (mask, initial states, dropout masks) -------------------------
 * Absent in the common case. Each present one is copied into a scratch block of the call and
 * passed to the C kernels as a pointer (0 = absent); backward writes them again from the tape.
 */
interface ExtraPointers {
  mask: number;
  h0: number;
  c0: number;
  /** Recurrent dropout masks [B, R, u] and the per-sequence masked recurrent kernel (and its gradient). */
  rm: number;
  ueff: number;
  dueff: number;
  /** Input dropout: masks [B, I, D] and two [D, gp] per-sequence scratch kernels. */
  im: number;
  wb: number;
  dwb: number;
}

function allocExtras(scratch: Scratch, spec: SequenceSpec, gp: number, e: SequenceExtras): ExtraPointers {
  const { batch: B, steps: T, units: u } = spec;
  const R = spec.cell === 'simple' ? 1 : gatesOf(spec.cell);
  return {
    mask: e.mask ? scratch.take(Math.ceil((B * T) / 4)) : 0,
    h0: e.h0 ? scratch.take(B * u) : 0,
    c0: e.c0 ? scratch.take(B * u) : 0,
    rm: e.recurrentMask ? scratch.take(B * R * u) : 0,
    ueff: e.recurrentMask ? scratch.take(u * gp) : 0,
    dueff: e.recurrentMask ? scratch.take(u * gp) : 0,
    im: e.inputMask ? scratch.take(e.inputMask.length) : 0,
    wb: e.inputMask ? scratch.take(spec.inputDim * gp) : 0,
    dwb: e.inputMask ? scratch.take(spec.inputDim * gp) : 0,
  };
}

/** Copies the present extras in (after every allocation of the call: see the header). */
function writeExtras(heap: WasmHeap, p: ExtraPointers, e: SequenceExtras): void {
  if (p.mask && e.mask) {
    const bytes = new Uint8Array(heap.buffer, p.mask, e.mask.length);
    for (let i = 0; i < e.mask.length; i++) bytes[i] = e.mask[i] ? 1 : 0;
  }
  const f32 = heap.all().f32;
  if (p.h0 && e.h0) f32.set(e.h0, p.h0 >> 2);
  if (p.c0 && e.c0) f32.set(e.c0, p.c0 >> 2);
  if (p.rm && e.recurrentMask) f32.set(e.recurrentMask, p.rm >> 2);
  if (p.im && e.inputMask) f32.set(e.inputMask, p.im >> 2);
}

/** Input masks per sequence (1, or one per gate block). */
function inputMaskCount(spec: SequenceSpec, e: SequenceExtras): number {
  return e.inputMask ? e.inputMask.length / (spec.batch * spec.inputDim) : 0;
}

/** The tfjs gradient computation in progress (its tape array), or null outside one. */
function gradientToken(): object | null {
  const state = (tf.engine() as unknown as { state?: { gradientDepth?: number; activeTape?: object | null } }).state;
  return state && (state.gradientDepth ?? 0) > 0 && state.activeTape ? state.activeTape : null;
}

/** The WebAssembly kernels plus the resident-table operations of the embedding and Adam. */
export interface WasmKernels extends SequenceKernels {
  readonly heap: WasmHeap;
  /**
   * out[n] = table[ids[n]] (rows of E floats). `table` and `out` may be views into the heap
   * (used in place) or plain arrays. Throws on an id outside [0, V).
   */
  gather(ids: Int32Array, table: Float32Array, V: number, E: number, outPtr: number): void;
  /** table[ids[n]] += dy[n] into the heap block `tablePtr` ([V, E]), zeroed first when `zero`. */
  scatterAdd(ids: Int32Array, dy: Float32Array, V: number, E: number, tablePtr: number, zero: boolean): void;
  /** Adam moments in heap blocks; `stepTfjs` is tfjs's formula (see ops.c adam_tfjs). */
  createAdamState(size: number): WasmAdamState;
  /**
   * tfjs's Adam step on resident blocks: weights `wPtr`, moments `mPtr`, `vPtr` (n floats
   * each), gradient `g` (in place when resident, else copied); c1 = 1/(1−β1^t), c2 = 1/(1−β2^t).
   */
  adamTfjsAt(wPtr: number, g: Float32Array, mPtr: number, vPtr: number, n: number, lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number): void;
  /**
   * `forward` for the fused training step (src/rnn/train): the output stays in WebAssembly
   * memory (a view, valid until the memory grows) and so does the `dx` of the `backward` on
   * this tape; both blocks are freed by `releaseTape`, which the caller must call once it
   * has used them. Never hands memory to tfjs.
   */
  forwardResident(spec: SequenceSpec, x: Float32Array, kernel: Float32Array, recurrentKernel: Float32Array, bias: Float32Array, extras?: SequenceExtras): ForwardResult;
  /** Frees a tape of `forwardResident` (or any tape) now, with the blocks it handed out. */
  releaseTape(tape: unknown): void;
}

/** Adam moments of one variable, resident in WebAssembly memory. */
export interface WasmAdamState extends AdamState {
  /** tfjs-core's Adam (bias-corrected moments, ε added to sqrt(v̂)); c1 = 1/(1−β1^t), c2 = 1/(1−β2^t). */
  stepTfjs(w: Float32Array, g: Float32Array, lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number): void;
}

function makeKernels(ex: Exports): WasmKernels {
  const heap = new WasmHeap(ex);
  /** Tapes not yet released, oldest first. */
  const tapes: WasmTape[] = [];
  /** Handed-out blocks of released tapes whose tensors were still alive. */
  let orphans: number[] = [];

  function freeIfUnused(ptr: number, keep: number[]): void {
    if (blockHasLiveTensor(heap, ptr)) keep.push(ptr);
    else heap.free(ptr);
  }

  function releaseTape(t: WasmTape): void {
    if (!t.live) return;
    t.live = false;
    t.blocks.release();
    for (const p of t.handedOut) freeIfUnused(p, orphans);
  }

  /** Releases the tapes of finished gradient computations and the oldest loose ones. */
  function sweep(token: object | null): void {
    if (orphans.length) {
      const still: number[] = [];
      for (const p of orphans) freeIfUnused(p, still);
      orphans = still;
    }
    let loose = 0;
    for (let i = tapes.length - 1; i >= 0; i--) {
      const t = tapes[i];
      let drop = !t.live;
      if (!drop && t.token !== null && t.token !== token) drop = true;
      // Loose tapes (made outside a gradient computation: predict, evaluate, direct calls)
      // go when tfjs records gradients again (tfjs can never differentiate them), or when
      // more than MAX_LOOSE_TAPES pile up.
      if (!drop && t.token === null && (token !== null || ++loose > MAX_LOOSE_TAPES - 1)) drop = true;
      if (drop) {
        releaseTape(t);
        tapes.splice(i, 1);
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
    residentOut = false,
  ): ForwardResult {
    const { batch: B, steps: T, inputDim: D, units: u } = spec;
    const G = gatesOf(spec.cell) * u;
    const gp = round4(G);
    const N = B * T;
    const OT = outputSteps(spec);
    const token = gradientToken();
    sweep(token);
    const scratch = new Scratch(heap);
    const kept = new Scratch(heap);
    const inputs = new Inputs(heap, scratch);
    // Pointers of resident inputs first, allocations after (see the header).
    const pX = inputs.add(x, kept);
    const pK = inputs.add(kernel);
    const pU = inputs.add(recurrentKernel);
    const pB = inputs.add(bias);
    const pWp = kept.take(D * gp);
    const pUp = kept.take(u * gp);
    const pH = kept.take(N * u);
    const pGates = kept.take(N * gp);
    const pC = spec.cell === 'simple' ? 0 : kept.take(N * u);
    const pAc = spec.cell === 'lstm' ? kept.take(N * u) : 0;
    const pBp = scratch.take(gp);
    const pBrec = scratch.take(gp);
    const pP = scratch.take(N * gp);
    // Inside a tfjs gradient computation on the cpu backend (whose tensor storage is tracked,
    // kernels/resident.ts) the output becomes tensor storage in place. Other backends keep a
    // reference to the array they are given, so they get copies.
    // The fused training step (residentOut) keeps them in memory too, and frees them itself.
    const handOut = residentOut || (token !== null && tf.getBackend() === 'cpu');
    const handedOut: number[] = [];
    const pOut = handOut ? heap.alloc(B * OT * u) : scratch.take(B * OT * u);
    if (handOut) handedOut.push(pOut);
    const pScratch = scratch.take(4 * gp + 8 * u + 64);
    const px = allocExtras(scratch, spec, gp, extras);
    inputs.copy();
    writeExtras(heap, px, extras);
    ex.zero_floats(pBp, gp);
    ex.zero_floats(pBrec, gp);
    ex.copy_floats(pBp, pB(), G);
    if (spec.cell === 'gru' && spec.resetAfter) ex.copy_floats(pBrec, pB() + 4 * G, G);
    ex.pad_rows(pK(), D, G, pWp);
    ex.pad_rows(pU(), u, G, pUp);
    if (px.im) ex.project_masked(pX(), B, T, D, pWp, gp, pBp, pP, px.im, inputMaskCount(spec, extras), u, G, px.wb);
    else ex.matmul_bias(pX(), N, D, pWp, gp, pBp, pP);
    ex.seq_forward(
      cellCode(spec), pP, pUp, pBrec, B, T, u, gp, spec.act, spec.ract, pH, pGates, pC, pAc, pOut, pScratch,
      px.mask, px.h0, px.c0, px.rm, px.ueff, spec.zeroOutputForMask ? 1 : 0,
    );
    if (handOut && !residentOut) ensureResidentTracking(heap);
    const output = handOut ? heap.f32(pOut, B * OT * u) : heap.copyOut(pOut, B * OT * u);
    scratch.release();
    const tape: WasmTape = { token, handOut, live: true, blocks: kept, handedOut, x: pX(), wp: pWp, up: pUp, h: pH, gates: pGates, c: pC, ac: pAc, extras };
    tapes.push(tape);
    return { output, tape };
  }

  function backward(spec: SequenceSpec, tapeIn: unknown, dOut: Float32Array): SequenceGrads {
    const tape = tapeIn as WasmTape;
    if (!tape.live) throw new Error('wasm kernels: backward on a tape that was released (a forward pass of a finished gradient computation).');
    const { batch: B, steps: T, inputDim: D, units: u } = spec;
    const G = gatesOf(spec.cell) * u;
    const gp = round4(G);
    const N = B * T;
    const scratch = new Scratch(heap);
    const inputs = new Inputs(heap, scratch);
    const pDout = inputs.add(dOut);
    const pDz = scratch.take(N * gp);
    const pDup = scratch.take(u * gp);
    const pDbrec = scratch.take(gp);
    const pDwp = scratch.take(D * gp);
    const pDbp = scratch.take(gp);
    // A tape made while tfjs recorded gradients is being differentiated by tfjs (which has
    // already closed its tape, so gradientToken() is null here): dx becomes tensor storage.
    const resident = tape.handOut;
    const pDx = resident ? heap.alloc(N * D) : scratch.take(N * D);
    if (resident) tape.handedOut.push(pDx);
    const pDu = scratch.take(u * G);
    const pDk = scratch.take(D * G);
    const pScratch = scratch.take(4 * gp + 8 * u + 64);
    const px = allocExtras(scratch, spec, gp, tape.extras);
    const pDh0 = scratch.take(B * u);
    const pDc0 = scratch.take(B * u);
    inputs.copy();
    writeExtras(heap, px, tape.extras);
    ex.zero_floats(pDup, u * gp);
    ex.zero_floats(pDbrec, gp);
    ex.zero_floats(pDwp, D * gp);
    ex.zero_floats(pDbp, gp);
    ex.seq_backward(
      cellCode(spec), pDout(), tape.up, B, T, u, gp, spec.act, spec.ract,
      tape.h, tape.gates, tape.c, tape.ac, pDz, pDup, pDbrec, pScratch,
      px.mask, px.h0, px.c0, px.rm, px.ueff, px.dueff, spec.zeroOutputForMask ? 1 : 0, pDh0, pDc0,
    );
    if (px.im) {
      ex.project_masked_backward(
        tape.x, B, T, D, pDz, gp, tape.wp, px.im, inputMaskCount(spec, tape.extras), u, G, pDwp, pDbp, pDx, px.wb, px.dwb,
      );
    } else {
      ex.matmul_ta_acc(tape.x, N, D, pDz, gp, pDwp, pDbp);
      ex.matmul_tb(pDz, N, gp, tape.wp, D, pDx);
    }
    ex.unpad_rows(pDup, u, G, pDu);
    ex.unpad_rows(pDwp, D, G, pDk);
    const all = heap.all().f32;
    const dBias = new Float32Array(biasLength(spec));
    dBias.set(all.subarray(pDbp >> 2, (pDbp >> 2) + G));
    if (spec.cell === 'gru' && spec.resetAfter) dBias.set(all.subarray(pDbrec >> 2, (pDbrec >> 2) + G), G);
    if (resident && tape.token !== null) ensureResidentTracking(heap);
    const grads = {
      dx: resident ? heap.f32(pDx, N * D) : heap.copyOut(pDx, N * D),
      dKernel: heap.copyOut(pDk, D * G),
      dRecurrent: heap.copyOut(pDu, u * G),
      dBias,
      dh0: heap.copyOut(pDh0, B * u),
      dc0: spec.cell === 'lstm' ? heap.copyOut(pDc0, B * u) : new Float32Array(0),
    };
    scratch.release();
    return grads;
  }

  function gather(ids: Int32Array, table: Float32Array, V: number, E: number, outPtr: number): void {
    const scratch = new Scratch(heap);
    const inputs = new Inputs(heap, scratch);
    // The table first: adding the ids allocates, which may grow the memory and detach a view.
    const pTable = inputs.add(table);
    const pIds = inputs.add(ids);
    inputs.copy();
    const bad = ex.gather_rows(pIds(), ids.length, pTable(), V, E, outPtr);
    scratch.release();
    if (bad >= 0) throw new Error(`Embedding: id ${ids[bad]} is outside [0, ${V}) (inputDim ${V}).`);
  }

  function scatterAdd(ids: Int32Array, dy: Float32Array, V: number, E: number, tablePtr: number, zero: boolean): void {
    const scratch = new Scratch(heap);
    const inputs = new Inputs(heap, scratch);
    // dy first: adding the ids allocates, which may grow the memory and detach a view.
    const pDy = inputs.add(dy);
    const pIds = inputs.add(ids);
    inputs.copy();
    ex.scatter_add_rows(pIds(), ids.length, pDy(), V, E, tablePtr, zero ? 1 : 0);
    scratch.release();
  }

  function createAdamState(size: number): WasmAdamState {
    let pM = heap.allocZeroed(size);
    let pV = heap.allocZeroed(size);
    let live = true;
    /** Runs `run(wPtr, gPtr)` with w and g in place when resident, copied otherwise. */
    const withArrays = (w: Float32Array, g: Float32Array, run: (pw: number, pg: number) => void) => {
      if (!live) throw new Error('adam: optimizer state was disposed.');
      const scratch = new Scratch(heap);
      const inputs = new Inputs(heap, scratch);
      const wOwn = heap.ptrOf(w) >= 0;
      const pW = inputs.add(w);
      const pG = inputs.add(g);
      inputs.copy();
      run(pW(), pG());
      if (!wOwn) w.set(heap.all().f32.subarray(pW() >> 2, (pW() >> 2) + size));
      scratch.release();
    };
    return {
      size,
      step(w, g, alpha, beta1, beta2, epsilon) {
        withArrays(w, g, (pw, pg) => ex.adam(pw, pg, pM, pV, size, alpha, beta1, beta2, epsilon));
      },
      stepTfjs(w, g, lr, beta1, beta2, epsilon, c1, c2) {
        withArrays(w, g, (pw, pg) => ex.adam_tfjs(pw, pg, pM, pV, size, lr, beta1, beta2, epsilon, c1, c2));
      },
      read: () => ({ m: heap.copyOut(pM, size), v: heap.copyOut(pV, size) }),
      write(m, v) {
        heap.f32(pM, size).set(m);
        heap.f32(pV, size).set(v);
      },
      dispose() {
        if (!live) return;
        live = false;
        heap.free(pM);
        heap.free(pV);
        pM = pV = 0;
      },
    };
  }

  function adamTfjsAt(wPtr: number, g: Float32Array, mPtr: number, vPtr: number, n: number, lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number): void {
    const scratch = new Scratch(heap);
    const inputs = new Inputs(heap, scratch);
    const pG = inputs.add(g);
    inputs.copy();
    ex.adam_tfjs(wPtr, pG(), mPtr, vPtr, n, lr, beta1, beta2, epsilon, c1, c2);
    scratch.release();
  }

  function forwardResident(spec: SequenceSpec, x: Float32Array, kernel: Float32Array, recurrentKernel: Float32Array, bias: Float32Array, extras: SequenceExtras = {}): ForwardResult {
    return forward(spec, x, kernel, recurrentKernel, bias, extras, true);
  }

  function releaseTapeNow(tapeIn: unknown): void {
    const t = tapeIn as WasmTape;
    releaseTape(t);
    const i = tapes.indexOf(t);
    if (i >= 0) tapes.splice(i, 1);
  }

  return { name: 'wasm-simd', heap, forward, backward, createAdamState, gather, scatterAdd, adamTfjsAt, forwardResident, releaseTape: releaseTapeNow };
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** Instantiates the module synchronously and returns its raw exports (also used by the kernel tests). */
export function instantiateWasmExports(): Exports | null {
  try {
    return new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64) as BufferSource), {})
      .exports as unknown as Exports;
  } catch {
    return null;
  }
}

/** Compiles synchronously (Node, workers); null when not allowed or SIMD is unsupported. */
export function tryCompileWasmKernelsSync(): WasmKernels | null {
  if (typeof WebAssembly === 'undefined') return null;
  const ex = instantiateWasmExports();
  return ex ? makeKernels(ex) : null;
}

/** Compiles asynchronously (allowed everywhere); null when SIMD is unsupported. */
export async function compileWasmKernelsAsync(): Promise<WasmKernels | null> {
  if (typeof WebAssembly === 'undefined') return null;
  try {
    const { instance } = await WebAssembly.instantiate(decodeBase64(KERNELS_WASM_BASE64) as BufferSource, {});
    return makeKernels(instance.exports as unknown as Exports);
  } catch {
    return null;
  }
}

/**
 * What a WebAssembly forward pass kept on its tape, for inspection (`src/rnn/inspect`): the
 * hidden states, the activated gates (rows unpadded from the kernel's SIMD width to G) and
 * (LSTM) the cell states, exactly as training computed them. See ./readout.ts for shapes.
 */
export function readWasmTape(
  kernels: WasmKernels,
  spec: SequenceSpec,
  tapeIn: unknown,
): { h: Float32Array; gates: Float32Array; c: Float32Array | null } {
  const tape = tapeIn as WasmTape;
  if (!tape.live) throw new Error('readWasmTape: the tape was released (read it right after the forward pass).');
  const heap = kernels.heap;
  const N = spec.batch * spec.steps;
  const G = gatesOf(spec.cell) * spec.units;
  const gp = round4(G);
  let gates = new Float32Array(0);
  if (spec.cell !== 'simple') {
    const all = heap.all().f32;
    const base = tape.gates >> 2;
    gates = new Float32Array(N * G);
    for (let r = 0; r < N; r++) gates.set(all.subarray(base + r * gp, base + r * gp + G), r * G);
  }
  return {
    h: heap.copyOut(tape.h, N * spec.units),
    gates,
    c: spec.cell === 'lstm' ? heap.copyOut(tape.c, N * spec.units) : null,
  };
}
