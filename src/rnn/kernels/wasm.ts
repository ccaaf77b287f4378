/**
 * The WebAssembly SIMD128 implementation of the fused kernels (source: src/rnn/wasm/kernels.c,
 * embedded as base64 by src/rnn/wasm/build.ts).
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
}

function makeKernels(ex: Exports): SequenceKernels {
  const arena = new Arena(ex);

  function forward(
    spec: SequenceSpec,
    x: Float32Array,
    kernel: Float32Array,
    recurrentKernel: Float32Array,
    bias: Float32Array,
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
    arena.commit();
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
    ex.matmul_bias(pX, N, D, pWp, gp, pBp, pP);
    ex.seq_forward(cellCode(spec), pP, pUp, pBrec, B, T, u, gp, spec.act, spec.ract, pH, pGates, pC, pAc, pOut, pScratch);
    const output = arena.f32(pOut, B * OT * u).slice();
    const tape: WasmTape = {
      x,
      wp: arena.f32(pWp, D * gp).slice(),
      up: arena.f32(pUp, u * gp).slice(),
      h: arena.f32(pH, N * u).slice(),
      gates: arena.f32(pGates, N * gp).slice(),
      c: spec.cell === 'simple' ? new Float32Array(0) : arena.f32(pC, N * u).slice(),
      ac: spec.cell === 'lstm' ? arena.f32(pAc, N * u).slice() : new Float32Array(0),
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
    arena.commit();
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
    );
    ex.matmul_ta_acc(pX, N, D, pDz, gp, pDwp, pDbp);
    ex.matmul_tb(pDz, N, gp, pWp, D, pDx);
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

/**
 * What a WebAssembly forward pass kept on its tape, for inspection (`src/rnn/inspect`): the
 * hidden states, the activated gates (rows unpadded from the kernel's SIMD width to G) and
 * (LSTM) the cell states, exactly as training computed them. See ./readout.ts for shapes.
 */
export function readWasmTape(spec: SequenceSpec, tapeIn: unknown): { h: Float32Array; gates: Float32Array; c: Float32Array | null } {
  const tape = tapeIn as WasmTape;
  const N = spec.batch * spec.steps;
  const G = gatesOf(spec.cell) * spec.units;
  const gp = round4(G);
  let gates = new Float32Array(0);
  if (spec.cell !== 'simple') {
    gates = new Float32Array(N * G);
    for (let r = 0; r < N; r++) gates.set(tape.gates.subarray(r * gp, r * gp + G), r * G);
  }
  return {
    h: tape.h.subarray(0, N * spec.units),
    gates,
    c: spec.cell === 'lstm' ? tape.c.subarray(0, N * spec.units) : null,
  };
}
