/**
 * Reading the per-step values a fused forward pass keeps on its tape (for backward) back
 * out, so that inspection tools show exactly what training computed: same kernel, same
 * float32 arithmetic, no second implementation of the equations.
 *
 * Shapes (row-major, steps in the order the kernel processed them):
 * - `h`     [batch, steps, units]
 * - `gates` [batch, steps, G] with G = gates · units, blocks as in types.ts
 *           (LSTM i, f, c̃, o; GRU z, r, h̃; empty for SimpleRNN), after their activations
 * - `c`     [batch, steps, units], LSTM only (null otherwise)
 */
import { readJsTape } from './js';
import type { ForwardResult, SequenceKernels, SequenceSpec } from './types';
import { readWasmTape, type WasmKernels } from './wasm';

/**
 * A forward pass's per-step values, with the shapes listed above: `h`, the activated `gates`, and
 * `c` (LSTM only, else null).
 */
export interface TapeReadout {
  h: Float32Array;
  gates: Float32Array;
  c: Float32Array | null;
}

/** The readout of `result.tape`, produced by `kernels.forward(spec, ...)`. */
export function readTape(kernels: SequenceKernels, spec: SequenceSpec, result: ForwardResult): TapeReadout {
  if (kernels.name === 'js') return readJsTape(spec, result.tape);
  if (kernels.name === 'wasm-simd') return readWasmTape(kernels as WasmKernels, spec, result.tape);
  throw new Error(`readTape: no tape readout for the '${kernels.name}' kernels.`);
}
