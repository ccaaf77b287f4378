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
 * - output   [batch, steps + S, units] where S = 1 (SimpleRNN, GRU) or 2 (LSTM): rows
 *   0..steps-1 are the outputs, row `steps` the final hidden state h_T and (LSTM) row
 *   `steps + 1` the final cell state c_T (so a single tensor carries every value the layer
 *   can return, and a single gradient comes back). With a mask the final states are the
 *   carried states, which can differ from the last output (zeroOutputForMask, or a
 *   sequence masked from its first step with an initial state).
 *
 * Optional per-call arrays (`SequenceExtras`, all row-major, in processing order, i.e.
 * already reversed in time for goBackwards):
 * - `mask`   [batch, steps], 1 = process the step, 0 = skip it (Keras: the states are
 *   carried forward; the output is the previous output, or zeros with zeroOutputForMask)
 * - `h0`, `c0` [batch, units] initial states (zeros when absent); backward then returns
 *   their gradients `dh0`, `dc0`
 * - `recurrentMask` [batch, R, units], R = gates (LSTM 4: i,f,c,o; GRU 3: z,r,h) or 1
 *   (SimpleRNN): Keras's recurrent dropout masks, already scaled (0 or 1 / (1 - rate)),
 *   multiplied into h_{t-1} where it enters the recurrent product of each gate block
 *   (not into the carried state). Constant over time, as Keras does it.
 * - `inputMask` [batch, I, inputDim], I = 1 or gates: Keras's input dropout masks, scaled,
 *   multiplied into x_t where it enters the input product (of each gate block when I =
 *   gates). Kernels apply it through a per-sequence effective kernel W_b[d, j] = W[d, j] ·
 *   m[b, gate(j), d], so the projection stays one product per sequence.
 */
export type CellKind = 'simple' | 'lstm' | 'gru';

/**
 * The sizes and options of one fused call: cell kind, batch, steps, input and unit counts,
 * activation codes, and the GRU and mask options.
 */
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
  /** With a mask: outputs at masked steps are zeros instead of the previous output (Keras `zero_output_for_mask`). */
  zeroOutputForMask?: boolean;
}

/** Per-call arrays beyond the weights (see the header for shapes and meaning). */
export interface SequenceExtras {
  /** [batch, steps]: 1 processes the step, 0 skips it. */
  mask?: Float32Array | Uint8Array | null;
  /** [batch, units] initial hidden state. */
  h0?: Float32Array | null;
  /** [batch, units] initial cell state (LSTM). */
  c0?: Float32Array | null;
  /** [batch, R, units] scaled recurrent dropout masks (R = gates, or 1 for SimpleRNN). */
  recurrentMask?: Float32Array | null;
  /** [batch, I, inputDim] scaled input dropout masks (I = 1, or gates). */
  inputMask?: Float32Array | null;
}

/** Number of state rows appended to the output (LSTM: h and c; others: h). */
export function stateCountOf(cell: CellKind): number {
  return cell === 'lstm' ? 2 : 1;
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

/** Number of output rows per sequence: the outputs, then the final h (and LSTM c). */
export function outputSteps(spec: SequenceSpec): number {
  return spec.steps + stateCountOf(spec.cell);
}

/**
 * What `forward` returns: the output [batch, steps + S, units] (per-step outputs, then the final
 * states, see above) and the tape for `backward`.
 */
export interface ForwardResult {
  output: Float32Array;
  /** Whatever the kernel needs to run backward (opaque to callers). */
  tape: unknown;
}

/**
 * What `backward` returns: gradients of the input [batch, steps, inputDim] and of the three
 * weights in their own shapes, plus the initial states' when given.
 */
export interface SequenceGrads {
  dx: Float32Array;
  dKernel: Float32Array;
  dRecurrent: Float32Array;
  dBias: Float32Array;
  /** Gradient of the initial hidden state [batch, units] (zeros when no h0 was given). */
  dh0?: Float32Array;
  /** LSTM: gradient of the initial cell state [batch, units]. */
  dc0?: Float32Array;
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
    extras?: SequenceExtras,
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
