/**
 * Chooses the fused kernel implementation: WebAssembly SIMD when the engine supports it
 * (measured several times faster, see BENCHMARKS.md), typed-array JavaScript otherwise.
 *
 * The WebAssembly module is small and compiled synchronously on first use where that is
 * allowed (Node, Web Workers). Browsers forbid synchronous compilation of modules over
 * 4 KB on the main thread; there, call `await ready()` once (the kernels fall back to JS
 * until the module is compiled).
 */
import { jsKernels } from './js';
import type { SequenceKernels } from './types';
import { compileWasmKernelsAsync, tryCompileWasmKernelsSync, type WasmKernels } from './wasm';
import { warmUpWasmKernels } from './warm-up';

/** Which fused kernels to use: 'wasm', 'js', or 'auto' (WebAssembly SIMD when available). */
export type KernelChoice = 'auto' | 'wasm' | 'js';

let choice: KernelChoice = 'auto';
let wasm: WasmKernels | null | undefined;

/** Forces an implementation ('js' or 'wasm') or restores automatic choice ('auto'). */
export function setKernelImplementation(which: KernelChoice): void {
  if (which !== 'auto' && which !== 'wasm' && which !== 'js') {
    throw new Error(`setKernelImplementation: expected 'auto', 'wasm' or 'js', got '${String(which)}'.`);
  }
  choice = which;
}

/** The implementation the layers will use for the next call. */
export function getKernels(): SequenceKernels {
  if (choice === 'js') return jsKernels;
  if (wasm === undefined) wasm = tryCompileWasmKernelsSync();
  if (wasm) return wasm;
  if (choice === 'wasm') throw new Error('WebAssembly SIMD kernels are not available in this environment.');
  return jsKernels;
}

/**
 * The WebAssembly kernels when they are the implementation in use (for the embedding's
 * gather and scatter-add and Adam's resident buffers), else null (use the JS loops).
 */
export function getWasmKernels(): WasmKernels | null {
  const k = getKernels();
  return k === wasm ? wasm : null;
}

/** Name of the implementation in use ('wasm-simd' or 'js'). */
export function kernelImplementationName(): string {
  return getKernels().name;
}

/** Compiles the WebAssembly kernels asynchronously (needed on a browser main thread). */
export async function ready(): Promise<void> {
  if (wasm) return;
  wasm = (await compileWasmKernelsAsync()) ?? wasm ?? null;
}

/**
 * Runs each WebAssembly kernel on small made-up inputs so that the engine has optimized it
 * before the first real batch (see warm-up.ts: in Chromium this moves about 350 ms of
 * background compiling out of the first training epoch). Touches no model, tensor or random
 * state. Returns the milliseconds spent here; 0 when the JavaScript kernels are in use or the
 * module cannot be compiled here (on a browser main thread, where compiling synchronously is
 * not allowed, call it after `await ready()`).
 */
export function warmUp(): number {
  // With no module (null), getWasmKernels would throw under setKernelImplementation('wasm').
  if (wasm === null) return 0;
  const k = getWasmKernels();
  return k ? warmUpWasmKernels(k) : 0;
}

export { jsKernels };
