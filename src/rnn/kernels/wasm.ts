/**
 * The WebAssembly SIMD128 implementation of the fused kernels (source: src/rnn/wasm/kernels.c,
 * embedded as base64 by scripts/build-wasm.ts).
 *
 * Each call lays its arrays out in the module's linear memory (a bump arena reset per call,
 * grown when needed), copies the inputs in, runs the C kernels and copies results out.
 * The copies are small next to the work (the input projection and its two gradient
 * products, and the recurrence). What backward needs is copied out into the tape, so any
 * number of layers can run forward before their backward passes run.
 */
import { KERNELS_WASM_BASE64 } from '../wasm/kernels.wasm';
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

interface Exports {
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
}

const round4 = (n: number) => (n + 3) & ~3;

function cellCode(spec: SequenceSpec): number {
  if (spec.cell === 'simple') return 0;
  if (spec.cell === 'lstm') return 1;
  return spec.resetAfter ? 2 : 3;
}

/**
 * Memory: [heap base | persistent blocks (Adam moments) | per-call bump arena]. The arena
 * is reset at the start of every kernel call; persistent blocks are reused by size once
 * freed.
 */
class Arena {
  private base: number;
  private top: number;
  private readonly free = new Map<number, number[]>();
  constructor(private readonly ex: Exports) {
    this.base = (Number(ex.__heap_base.value) + 15) & ~15;
    this.top = this.base;
  }
  reset(): void {
    this.top = this.base;
  }
  private static bytes(n: number): number {
    return ((n * 4 + 15) & ~15) + 16;
  }
  /** Reserves `n` floats (16-byte aligned, 16 bytes of slack); returns the byte offset. */
  alloc(n: number): number {
    const ptr = this.top;
    this.top += Arena.bytes(n);
    return ptr;
  }
  /** A block that survives resets (zero-filled). */
  allocPersistent(n: number): number {
    const size = Arena.bytes(n);
    const reuse = this.free.get(size)?.pop();
    const ptr = reuse ?? this.base;
    if (reuse === undefined) {
      this.base += size;
      this.top = this.base;
    }
    this.commit();
    this.f32(ptr, n).fill(0);
    return ptr;
  }
  freePersistent(ptr: number, n: number): void {
    const size = Arena.bytes(n);
    const list = this.free.get(size) ?? [];
    list.push(ptr);
    this.free.set(size, list);
  }
  /** Grows the memory to hold everything allocated so far. */
  commit(): void {
    const mem = this.ex.memory;
    const need = this.top - mem.buffer.byteLength;
    if (need > 0) mem.grow(Math.ceil(need / 65536));
  }
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.ex.memory.buffer, ptr, n);
  }
}

interface WasmTape {
  x: Float32Array;
  wp: Float32Array;
  up: Float32Array;
  h: Float32Array;
  gates: Float32Array;
  c: Float32Array;
  ac: Float32Array;
  extras: SequenceExtras;
}

/*
 * --- Optional per-call arrays (mask, initial states, recurrent dropout masks) -------------
 * Kept apart from the main buffers: each is copied into the arena only when present and
 * passed to the C kernels as a pointer (0 = absent).
 */
interface ExtraPointers {
  mask: number;
  h0: number;
  c0: number;
  rm: number;
  ueff: number;
  dueff: number;
  /** Input dropout: masks [B, I, D] and two [D, gp] scratch kernels. */
  im: number;
  wb: number;
  dwb: number;
}

function allocExtras(arena: Arena, spec: SequenceSpec, gp: number, e: SequenceExtras): ExtraPointers {
  const { batch: B, steps: T, units: u } = spec;
  const R = spec.cell === 'simple' ? 1 : gatesOf(spec.cell);
  return {
    mask: e.mask ? arena.alloc(Math.ceil((B * T) / 4)) : 0,
    h0: e.h0 ? arena.alloc(B * u) : 0,
    c0: e.c0 ? arena.alloc(B * u) : 0,
    rm: e.recurrentMask ? arena.alloc(B * R * u) : 0,
    ueff: e.recurrentMask ? arena.alloc(u * gp) : 0,
    dueff: e.recurrentMask ? arena.alloc(u * gp) : 0,
    im: e.inputMask ? arena.alloc(e.inputMask.length) : 0,
    wb: e.inputMask ? arena.alloc(spec.inputDim * gp) : 0,
    dwb: e.inputMask ? arena.alloc(spec.inputDim * gp) : 0,
  };
}

function writeExtras(arena: Arena, mem: WebAssembly.Memory, p: ExtraPointers, e: SequenceExtras): void {
  if (p.mask && e.mask) {
    const bytes = new Uint8Array(mem.buffer, p.mask, e.mask.length);
    for (let i = 0; i < e.mask.length; i++) bytes[i] = e.mask[i] ? 1 : 0;
  }
  if (p.h0 && e.h0) arena.f32(p.h0, e.h0.length).set(e.h0);
  if (p.c0 && e.c0) arena.f32(p.c0, e.c0.length).set(e.c0);
  if (p.rm && e.recurrentMask) arena.f32(p.rm, e.recurrentMask.length).set(e.recurrentMask);
  if (p.im && e.inputMask) arena.f32(p.im, e.inputMask.length).set(e.inputMask);
}

/** Input masks per sequence (1, or one per gate block). */
function inputMaskCount(spec: SequenceSpec, e: SequenceExtras): number {
  return e.inputMask ? e.inputMask.length / (spec.batch * spec.inputDim) : 0;
}

function makeKernels(ex: Exports): SequenceKernels {
  const arena = new Arena(ex);

  function forward(
    spec: SequenceSpec,
    x: Float32Array,
    kernel: Float32Array,
    recurrentKernel: Float32Array,
    bias: Float32Array,
    extras: SequenceExtras = {},
  ): ForwardResult {
    const { batch: B, steps: T, inputDim: D, units: u } = spec;
    const G = gatesOf(spec.cell) * u;
    const gp = round4(G);
    const N = B * T;
    const OT = outputSteps(spec);
    arena.reset();
    const pX = arena.alloc(N * D);
    const pK = arena.alloc(D * G);
    const pWp = arena.alloc(D * gp);
    const pU = arena.alloc(u * G);
    const pUp = arena.alloc(u * gp);
    const pBp = arena.alloc(gp);
    const pBrec = arena.alloc(gp);
    const pP = arena.alloc(N * gp);
    const pH = arena.alloc(N * u);
    const pGates = arena.alloc(N * gp);
    const pC = arena.alloc(N * u);
    const pAc = arena.alloc(N * u);
    const pOut = arena.alloc(B * OT * u);
    const pScratch = arena.alloc(4 * gp + 8 * u + 64);
    const px = allocExtras(arena, spec, gp, extras);
    arena.commit();
    writeExtras(arena, ex.memory, px, extras);
    arena.f32(pX, N * D).set(x);
    arena.f32(pK, D * G).set(kernel);
    arena.f32(pU, u * G).set(recurrentKernel);
    const bp = arena.f32(pBp, gp);
    bp.fill(0);
    bp.set(bias.subarray(0, G));
    const brec = arena.f32(pBrec, gp);
    brec.fill(0);
    if (spec.cell === 'gru' && spec.resetAfter) brec.set(bias.subarray(G, 2 * G));
    ex.pad_rows(pK, D, G, pWp);
    ex.pad_rows(pU, u, G, pUp);
    if (px.im) ex.project_masked(pX, B, T, D, pWp, gp, pBp, pP, px.im, inputMaskCount(spec, extras), u, G, px.wb);
    else ex.matmul_bias(pX, N, D, pWp, gp, pBp, pP);
    ex.seq_forward(
      cellCode(spec), pP, pUp, pBrec, B, T, u, gp, spec.act, spec.ract, pH, pGates, pC, pAc, pOut, pScratch,
      px.mask, px.h0, px.c0, px.rm, px.ueff, spec.zeroOutputForMask ? 1 : 0,
    );
    const output = arena.f32(pOut, B * OT * u).slice();
    const tape: WasmTape = {
      x,
      wp: arena.f32(pWp, D * gp).slice(),
      up: arena.f32(pUp, u * gp).slice(),
      h: arena.f32(pH, N * u).slice(),
      gates: arena.f32(pGates, N * gp).slice(),
      c: spec.cell === 'simple' ? new Float32Array(0) : arena.f32(pC, N * u).slice(),
      ac: spec.cell === 'lstm' ? arena.f32(pAc, N * u).slice() : new Float32Array(0),
      extras,
    };
    return { output, tape };
  }

  function backward(spec: SequenceSpec, tapeIn: unknown, dOut: Float32Array): SequenceGrads {
    const tape = tapeIn as WasmTape;
    const { batch: B, steps: T, inputDim: D, units: u } = spec;
    const G = gatesOf(spec.cell) * u;
    const gp = round4(G);
    const N = B * T;
    const OT = outputSteps(spec);
    arena.reset();
    const pDout = arena.alloc(B * OT * u);
    const pX = arena.alloc(N * D);
    const pWp = arena.alloc(D * gp);
    const pUp = arena.alloc(u * gp);
    const pH = arena.alloc(N * u);
    const pGates = arena.alloc(N * gp);
    const pC = arena.alloc(N * u);
    const pAc = arena.alloc(N * u);
    const pDz = arena.alloc(N * gp);
    const pDup = arena.alloc(u * gp);
    const pDbrec = arena.alloc(gp);
    const pDwp = arena.alloc(D * gp);
    const pDbp = arena.alloc(gp);
    const pDx = arena.alloc(N * D);
    const pDu = arena.alloc(u * G);
    const pDk = arena.alloc(D * G);
    const pScratch = arena.alloc(4 * gp + 8 * u + 64);
    const px = allocExtras(arena, spec, gp, tape.extras);
    const pDh0 = arena.alloc(B * u);
    const pDc0 = arena.alloc(B * u);
    arena.commit();
    writeExtras(arena, ex.memory, px, tape.extras);
    arena.f32(pDout, B * OT * u).set(dOut);
    arena.f32(pX, N * D).set(tape.x);
    arena.f32(pWp, D * gp).set(tape.wp);
    arena.f32(pUp, u * gp).set(tape.up);
    arena.f32(pH, N * u).set(tape.h);
    arena.f32(pGates, N * gp).set(tape.gates);
    if (tape.c.length) arena.f32(pC, N * u).set(tape.c);
    if (tape.ac.length) arena.f32(pAc, N * u).set(tape.ac);
    arena.f32(pDup, u * gp).fill(0);
    arena.f32(pDbrec, gp).fill(0);
    arena.f32(pDwp, D * gp).fill(0);
    arena.f32(pDbp, gp).fill(0);
    ex.seq_backward(
      cellCode(spec), pDout, pUp, B, T, u, gp, spec.act, spec.ract,
      pH, pGates, pC, pAc, pDz, pDup, pDbrec, pScratch,
      px.mask, px.h0, px.c0, px.rm, px.ueff, px.dueff, spec.zeroOutputForMask ? 1 : 0, pDh0, pDc0,
    );
    if (px.im) {
      ex.project_masked_backward(
        pX, B, T, D, pDz, gp, pWp, px.im, inputMaskCount(spec, tape.extras), u, G, pDwp, pDbp, pDx, px.wb, px.dwb,
      );
    } else {
      ex.matmul_ta_acc(pX, N, D, pDz, gp, pDwp, pDbp);
      ex.matmul_tb(pDz, N, gp, pWp, D, pDx);
    }
    ex.unpad_rows(pDup, u, G, pDu);
    ex.unpad_rows(pDwp, D, G, pDk);
    const dBias = new Float32Array(biasLength(spec));
    dBias.set(arena.f32(pDbp, G));
    if (spec.cell === 'gru' && spec.resetAfter) dBias.set(arena.f32(pDbrec, G), G);
    return {
      dx: arena.f32(pDx, N * D).slice(),
      dKernel: arena.f32(pDk, D * G).slice(),
      dRecurrent: arena.f32(pDu, u * G).slice(),
      dBias,
      dh0: arena.f32(pDh0, B * u).slice(),
      dc0: spec.cell === 'lstm' ? arena.f32(pDc0, B * u).slice() : new Float32Array(0),
    };
  }

  function createAdamState(size: number): AdamState {
    let pM = arena.allocPersistent(size);
    let pV = arena.allocPersistent(size);
    let live = true;
    return {
      size,
      step(w, g, alpha, beta1, beta2, epsilon) {
        if (!live) throw new Error('adam: optimizer state was disposed.');
        arena.reset();
        const pW = arena.alloc(size);
        const pG = arena.alloc(size);
        arena.commit();
        arena.f32(pW, size).set(w);
        arena.f32(pG, size).set(g);
        ex.adam(pW, pG, pM, pV, size, alpha, beta1, beta2, epsilon);
        w.set(arena.f32(pW, size));
      },
      read: () => ({ m: arena.f32(pM, size).slice(), v: arena.f32(pV, size).slice() }),
      write(m, v) {
        arena.f32(pM, size).set(m);
        arena.f32(pV, size).set(v);
      },
      dispose() {
        if (!live) return;
        live = false;
        arena.freePersistent(pM, size);
        arena.freePersistent(pV, size);
        pM = pV = 0;
      },
    };
  }

  return { name: 'wasm-simd', forward, backward, createAdamState };
}

function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** Raw exports, for the kernel tests (activation accuracy). */
export function wasmExportsForTests(): Exports | null {
  try {
    return new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64) as BufferSource), {})
      .exports as unknown as Exports;
  } catch {
    return null;
  }
}

/** Compiles synchronously (Node, workers); null when not allowed or SIMD is unsupported. */
export function tryCompileWasmKernelsSync(): SequenceKernels | null {
  if (typeof WebAssembly === 'undefined') return null;
  const ex = wasmExportsForTests();
  return ex ? makeKernels(ex) : null;
}

/** Compiles asynchronously (allowed everywhere); null when SIMD is unsupported. */
export async function compileWasmKernelsAsync(): Promise<SequenceKernels | null> {
  if (typeof WebAssembly === 'undefined') return null;
  try {
    const { instance } = await WebAssembly.instantiate(decodeBase64(KERNELS_WASM_BASE64) as BufferSource, {});
    return makeKernels(instance.exports as unknown as Exports);
  } catch {
    return null;
  }
}
