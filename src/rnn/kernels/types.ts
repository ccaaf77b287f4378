/**
 * The contract between the recurrent layers and their fused kernels.
 *
 * A kernel runs one recurrent layer over a whole batch of sequences in one call
 * (forward), and backpropagates through time in one call (backward). Everything is plain
 * row-major Float32Array data, so the same contract is met by the typed-array JavaScript
 * kernels (`js.ts`) and by the WebAssembly SIMD kernels (`wasm.ts`).
 *
 * Shapes (row-major):
 * - `x`      [batch, steps, inputDim]
 * - `kernel` [inputDim, G] where G = gates * units (LSTM 4u: i,f,c,o; GRU 3u: z,r,h; SimpleRNN u)
 * - `recurrentKernel` [units, G]
 * - `bias`   [G], or [2, G] for a GRU with resetAfter (input row, then recurrent row).
 *   Always present (zeros when the layer has no bias); its gradient is then ignored.
 * - output   [batch, steps, units] for SimpleRNN and GRU; [batch, steps + 1, units] for LSTM,
 *   where row `steps` holds the final cell state c_T (so a single tensor carries every
 *   value the layer can return, and a single gradient comes back).
 */
export type CellKind = 'simple' | 'lstm' | 'gru';

export interface SequenceSpec {
  cell: CellKind;
  batch: number;
  steps: number;
  inputDim: number;
  units: number;
  /** Activation code of the candidate / output (see activations.ts). */
  act: number;
  /** Activation code of the gates (ignored by SimpleRNN). */
  ract: number;
  /** GRU only: apply the reset gate after the recurrent matmul (Keras default). */
  resetAfter: boolean;
}

/** Number of gate blocks for a cell. */
export function gatesOf(cell: CellKind): number {
  return cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
}

/** Length of the bias vector a kernel expects. */
export function biasLength(spec: SequenceSpec): number {
  const g = gatesOf(spec.cell) * spec.units;
  return spec.cell === 'gru' && spec.resetAfter ? 2 * g : g;
}

/** Number of output rows per sequence (LSTM appends the final cell state). */
export function outputSteps(spec: SequenceSpec): number {
  return spec.cell === 'lstm' ? spec.steps + 1 : spec.steps;
}

export interface ForwardResult {
  output: Float32Array;
  /** Whatever the kernel needs to run backward (opaque to callers). */
  tape: unknown;
}

export interface SequenceGrads {
  dx: Float32Array;
  dKernel: Float32Array;
  dRecurrent: Float32Array;
  dBias: Float32Array;
}

/** A fused implementation of forward and backpropagation through time. */
export interface SequenceKernels {
  readonly name: string;
  forward(
    spec: SequenceSpec,
    x: Float32Array,
    kernel: Float32Array,
    recurrentKernel: Float32Array,
    bias: Float32Array,
  ): ForwardResult;
  /** `dOutput` has the shape of the forward output. */
  backward(spec: SequenceSpec, tape: unknown, dOutput: Float32Array): SequenceGrads;
  /** Creates the Adam moment buffers for a variable of `size` floats. */
  createAdamState(size: number): AdamState;
}

/** Adam moments of one variable, owned by a kernel implementation. */
export interface AdamState {
  readonly size: number;
  /** One dense Keras Adam step: updates `w` in place (see optimizers/adam.ts). */
  step(w: Float32Array, g: Float32Array, alpha: number, beta1: number, beta2: number, epsilon: number): void;
  /** Copies of the first and second moments. */
  read(): { m: Float32Array; v: Float32Array };
  write(m: Float32Array, v: Float32Array): void;
  dispose(): void;
}
