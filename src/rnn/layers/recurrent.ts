/**
 * Keras-parity recurrent layers (SimpleRNN, LSTM, GRU) backed by fused kernels.
 *
 * They are ordinary tfjs `Layer`s: they work in `tf.sequential` / `tf.model`, in
 * `model.summary()`, `fit` / `evaluate` / `predict`, with any tfjs optimizer, and they are
 * registered for serialization under their Keras class names (`LSTM`, `GRU`, `SimpleRNN`),
 * which replaces tfjs's own registrations of those names: a saved model (ours or Keras's
 * JSON) loads with these layers.
 *
 * Weights are created in Keras `get_weights()` order and shapes:
 * - SimpleRNN: kernel [in, u], recurrent_kernel [u, u], bias [u]
 * - LSTM: kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u]; gate blocks i, f, c, o
 * - GRU: kernel [in, 3u], recurrent_kernel [u, 3u], bias [2, 3u] when resetAfter (row 0
 *   input bias, row 1 recurrent bias) or [3u] otherwise; gate blocks z, r, h
 */
import * as tf from '@tensorflow/tfjs';
import { activationCode, activationName } from '../kernels/activations';
import { gatesOf, type CellKind, type SequenceSpec } from '../kernels/types';
import {
  resolveInitializer,
  serializeInitializer,
  unitForgetBias,
  type InitializerLike,
  type InitializerSpec,
} from '../initializers';
import { uniqueLayerName } from '../names';
import { Prng } from '../data/prng';
import { applyWithInitialState, initialStatesOf } from './initial-states';
import { fusedSequence, referenceSequence, type FusedOptions } from './sequence-op';
import { ValueError } from '../errors';
import {
  addWeightConstraint,
  addWeightPenalty,
  CALL_KWARGS,
  checkCallKwargs,
  checkLayerArgs,
  recordActivity,
  resolveConstraint,
  resolveRegularizer,
  serializeWeightArg,
  type Constraint,
  type ConstraintSpec,
  type Regularizer,
  type RegularizerSpec,
} from './weight-args';

type Shape = (number | null)[];
type Kwargs = Record<string, unknown>;

/** Arguments shared by `simpleRNN`, `lstm` and `gru` (tf.layers spelling, Keras defaults). */
export interface RecurrentLayerArgs {
  /** Dimensionality of the output space (required). */
  units: number;
  /** Activation of the candidate / output. Default 'tanh'. Supported: tanh, sigmoid, relu, linear; null = linear (Keras None). */
  activation?: string | null;
  /** Activation of the gates (LSTM, GRU). Default 'sigmoid' (Keras; tfjs defaults to hardSigmoid); null = linear. */
  recurrentActivation?: string | null;
  /** Whether the layer has a bias vector. Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform' (Keras). */
  kernelInitializer?: InitializerSpec;
  /** Default 'orthogonal'. */
  recurrentInitializer?: InitializerSpec;
  /** Default 'zeros'. */
  biasInitializer?: InitializerSpec;
  /** Return the whole output sequence [batch, steps, units] instead of the last output. Default false. */
  returnSequences?: boolean;
  /** Also return the final states (h, and c for LSTM) after the output. Default false. */
  returnState?: boolean;
  /** Process the input sequence backwards and return the reversed sequence. Default false. */
  goBackwards?: boolean;
  /** Use the fused kernels (default true); false selects the slow per-timestep reference path. */
  fused?: boolean;
  /** Layer name; default Keras-style (`lstm`, `lstm_1`, ...). */
  name?: string;
  inputShape?: Shape;
  batchInputShape?: Shape;
  batchSize?: number;
  /** tfjs-style shorthand for inputShape [inputLength, inputDim]. */
  inputDim?: number;
  inputLength?: number;
  trainable?: boolean;
  dtype?: tf.DataType;
  /**
   * Keep the final states of each batch as the initial states of the next (sample i of a
   * batch continues sample i of the previous batch). Needs a fixed batch size
   * (`batchInputShape` or `batchSize`); `resetStates()` clears them. Default false.
   */
  stateful?: boolean;
  /** Fraction of the inputs to drop in training (Keras: one mask per sequence, inverted scaling). Default 0. */
  dropout?: number;
  /** Fraction of h_{t-1} to drop in training, inside the recurrence (one mask per sequence and gate). Default 0. */
  recurrentDropout?: number;
  /** Seed of the dropout masks (reproducible runs). Default: random. */
  seed?: number;
  /** Keras unrolls the loop; the fused kernels give the same numbers either way. Needs a known number of steps. */
  unroll?: boolean;
  /** Outputs at masked steps are zeros instead of the previous output (Keras RNN `zero_output_for_mask`). Default false. */
  zeroOutputForMask?: boolean;
  /** Keras regularizers ('l1', 'l2', `tf.regularizers.l2({ l2 })`, ...): penalties added to the training loss. */
  kernelRegularizer?: RegularizerSpec;
  recurrentRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
  /** Penalty on every tensor the layer returns (output, and states with returnState), each training step. */
  activityRegularizer?: RegularizerSpec;
  /** Keras constraints ('maxNorm', 'nonNeg', 'unitNorm', 'minMaxNorm' or tf.constraints objects), applied after each optimizer step. */
  kernelConstraint?: ConstraintSpec;
  recurrentConstraint?: ConstraintSpec;
  biasConstraint?: ConstraintSpec;
  /** Keras 'auto' (default) or false: the fused kernels give the same numbers; true (force cuDNN) is refused. */
  useCudnn?: 'auto' | boolean;
  /** Keras 2 / tfjs: 1 or 2 (same numbers; the fused kernels have one implementation). */
  implementation?: number;
  /** Keras 2 / tfjs: must be false (inputs are [batch, steps, features]). */
  timeMajor?: boolean;
  /** Keras mixed-precision autocasting: accepted (the layers compute in float32). */
  autocast?: boolean;
  /** Initial weight values, Keras `get_weights()` order (set when the layer is built). */
  weights?: tf.Tensor[];
}

/** LSTM arguments. */
export interface LSTMLayerArgs extends RecurrentLayerArgs {
  /** Add 1 to the forget-gate bias at initialization (Keras default true). */
  unitForgetBias?: boolean;
}

/** GRU arguments. */
export interface GRULayerArgs extends RecurrentLayerArgs {
  /** Apply the reset gate after the recurrent matmul (Keras default true; tfjs cannot). */
  resetAfter?: boolean;
}

/** Arguments of `SimpleRNN`: the common recurrent arguments, with no extras. */
export type SimpleRNNLayerArgs = RecurrentLayerArgs;

/**
 * The arguments of a recurrent layer given Keras-style, `rnn.gru(5)` or `rnn.gru(5, { returnSequences: true })`
 * (Keras `GRU(5, return_sequences=True)`: `units` is the first positional argument), or as one object.
 */
export function recurrentArgs<A extends RecurrentLayerArgs>(args: A | number, more: Omit<A, 'units'> | undefined, layer: string): A {
  if (typeof args === 'number') {
    if (more != null && (typeof more !== 'object' || Array.isArray(more))) {
      throw new TypeError(`${layer}: the second argument must be an object of arguments, e.g. rnn.${layer === 'SimpleRNN' ? 'simpleRNN' : layer.toLowerCase()}(${args}, { returnSequences: true }).`);
    }
    if (more != null && (more as Record<string, unknown>).units !== undefined) {
      throw new ValueError(`${layer}: 'units' given twice (${args} and { units: ${String((more as Record<string, unknown>).units)} }).`);
    }
    return { ...(more ?? {}), units: args } as A;
  }
  if (more !== undefined) {
    throw new TypeError(`${layer}: unexpected second argument; pass all arguments in one object, e.g. { units: 5, returnSequences: true }.`);
  }
  if (args == null || typeof args !== 'object' || Array.isArray(args)) {
    throw new TypeError(`${layer}: expected the number of units or an object of arguments such as { units: 5 }, got ${String(args)}.`);
  }
  return args;
}

function rejectUnsupported(args: Record<string, unknown>, layer: string): void {
  for (const key of ['dropout', 'recurrentDropout']) {
    const v = args[key];
    if (v != null && (typeof v !== 'number' || !Number.isFinite(v))) {
      throw new ValueError(`${layer}: argument '${key}' must be a number between 0 and 1, got ${String(v)}.`);
    }
  }
  const seed = args['seed'];
  if (seed != null && (typeof seed !== 'number' || !Number.isInteger(seed))) {
    throw new ValueError(`${layer}: argument 'seed' must be an integer, got ${String(seed)}.`);
  }
}

/** Base class: weights, shapes, config and the call through the fused sequence op. */
export abstract class FusedRecurrent extends tf.layers.Layer {
  readonly units: number;
  readonly cellKind: CellKind;
  readonly actCode: number;
  readonly ractCode: number;
  readonly useBias: boolean;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly fused: boolean;
  readonly resetAfter: boolean;
  readonly unitForgetBias: boolean;
  /** Keras-clipped rates: min(1, max(0, rate)). Applied in training when strictly between 0 and 1. */
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | null;
  readonly unroll: boolean;
  private readonly statefulFlag: boolean;
  /** Outputs at masked steps are zeros (Keras `zero_output_for_mask`; Bidirectional sets it with returnSequences). */
  zeroOutputForMask: boolean;
  /**
   * Test hook: when set, dropout masks come from here instead of the seeded generator.
   * Called with the kind, the number of masks, the batch size and the width; returns
   * `count · batch · width` scaled values (0 or 1 / (1 - rate)), mask-major.
   */
  dropoutMaskSource: ((kind: 'input' | 'recurrent', count: number, batch: number, width: number) => Float32Array) | null = null;
  private readonly prng: Prng;
  /** stateful: the carried states (h, and c for LSTM), [batch, units] each. */
  private stateTensors: tf.Tensor[] | null = null;
  private retiredStates: tf.Tensor[] | null = null;
  private statefulBatch: number | null = null;
  protected readonly kernelInit: InitializerLike;
  protected readonly recurrentInit: InitializerLike;
  protected readonly biasInit: InitializerLike;
  /** Keras regularizers and constraints (`weight-args.ts`), null when not given. */
  readonly weightArgs: {
    kernelRegularizer: Regularizer | null;
    recurrentRegularizer: Regularizer | null;
    biasRegularizer: Regularizer | null;
    activityRegularizer: Regularizer | null;
    kernelConstraint: Constraint | null;
    recurrentConstraint: Constraint | null;
    biasConstraint: Constraint | null;
  };
  /** Set by Bidirectional so that the two copies' weight names stay unique in a model. */
  weightNamePrefix = '';
  private kernelVar: tf.LayerVariable | null = null;
  private recurrentVar: tf.LayerVariable | null = null;
  private biasVar: tf.LayerVariable | null = null;

  /** Keras class name printed by summaries. */
  abstract get kerasClassName(): string;

  protected constructor(cell: CellKind, prefix: string, args: RecurrentLayerArgs & { unitForgetBias?: boolean; resetAfter?: boolean }) {
    const layerName = { simple: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' }[cell];
    if (args == null || typeof args.units !== 'number' || !Number.isInteger(args.units) || args.units <= 0) {
      throw new ValueError(`${layerName}: argument 'units' must be a positive integer, got ${String(args?.units)}.`);
    }
    checkLayerArgs(args, layerName);
    rejectUnsupported(args as unknown as Record<string, unknown>, layerName);
    const base: Record<string, unknown> = { ...args, name: args.name ?? uniqueLayerName(prefix) };
    if (args.inputShape == null && args.batchInputShape == null && (args.inputDim != null || args.inputLength != null)) {
      base.inputShape = [args.inputLength ?? null, args.inputDim ?? null];
    }
    for (const k of Object.keys(base)) {
      if (!['name', 'inputShape', 'batchInputShape', 'batchSize', 'trainable', 'dtype', 'inputDType', 'weights'].includes(k)) delete base[k];
    }
    super(base as never);
    this.cellKind = cell;
    this.units = args.units;
    this.actCode = activationCode(args.activation, 'activation', 'tanh');
    this.ractCode = activationCode(args.recurrentActivation, 'recurrentActivation', 'sigmoid');
    this.useBias = args.useBias ?? true;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.fused = args.fused ?? true;
    this.resetAfter = cell === 'gru' ? (args.resetAfter ?? true) : false;
    this.unitForgetBias = cell === 'lstm' ? (args.unitForgetBias ?? true) : false;
    this.kernelInit = resolveInitializer(args.kernelInitializer, 'glorotUniform', 'kernelInitializer');
    this.recurrentInit = resolveInitializer(args.recurrentInitializer, 'orthogonal', 'recurrentInitializer');
    this.biasInit = resolveInitializer(args.biasInitializer, 'zeros', 'biasInitializer');
    this.dropout = Math.min(1, Math.max(0, args.dropout ?? 0));
    this.recurrentDropout = Math.min(1, Math.max(0, args.recurrentDropout ?? 0));
    this.seed = args.seed ?? null;
    this.prng = new Prng(this.seed ?? Math.floor(Math.random() * 2 ** 31));
    this.unroll = args.unroll ?? false;
    this.statefulFlag = args.stateful ?? false;
    this.zeroOutputForMask = args.zeroOutputForMask ?? false;
    this.weightArgs = {
      kernelRegularizer: resolveRegularizer(args.kernelRegularizer, 'kernelRegularizer', layerName),
      recurrentRegularizer: resolveRegularizer(args.recurrentRegularizer, 'recurrentRegularizer', layerName),
      biasRegularizer: resolveRegularizer(args.biasRegularizer, 'biasRegularizer', layerName),
      activityRegularizer: resolveRegularizer(args.activityRegularizer, 'activityRegularizer', layerName),
      kernelConstraint: resolveConstraint(args.kernelConstraint, 'kernelConstraint', layerName),
      recurrentConstraint: resolveConstraint(args.recurrentConstraint, 'recurrentConstraint', layerName),
      biasConstraint: resolveConstraint(args.biasConstraint, 'biasConstraint', layerName),
    };
    if (cell !== 'gru' && (args as GRULayerArgs).resetAfter !== undefined) {
      throw new ValueError(`${layerName}: argument 'resetAfter' only applies to GRU.`);
    }
    if (cell !== 'lstm' && (args as LSTMLayerArgs).unitForgetBias !== undefined) {
      throw new ValueError(`${layerName}: argument 'unitForgetBias' only applies to LSTM.`);
    }
    if (cell === 'simple' && args.recurrentActivation !== undefined) {
      throw new ValueError(`SimpleRNN: argument 'recurrentActivation' does not apply to SimpleRNN.`);
    }
    this.supportsMasking = true;
  }

  /** Whether the final states of a batch are the initial states of the next. */
  override get stateful(): boolean {
    return this.statefulFlag;
  }

  /** Number of state tensors (LSTM: h and c). */
  get stateCount(): number {
    return this.cellKind === 'lstm' ? 2 : 1;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (shape.length !== 3) {
      throw new ValueError(`${this.kerasClassName} '${this.name}' expects input of shape [batch, steps, features], got [${shape.map((d) => d ?? 'None').join(', ')}].`);
    }
    const inputDim = shape[2];
    if (inputDim == null) throw new ValueError(`${this.kerasClassName} '${this.name}': the feature dimension of the input must be known.`);
    if (this.unroll && shape[1] == null) {
      throw new ValueError(
        `${this.kerasClassName} '${this.name}': cannot unroll a recurrent layer when the number of steps is unknown; give the input shape (inputShape: [steps, features]).`,
      );
    }
    if (this.stateful) {
      if (shape[0] == null) {
        throw new ValueError(
          `${this.kerasClassName} '${this.name}': stateful: true needs a fixed batch size; give 'batchInputShape' [batch, steps, features] (or 'batchSize') to the first layer.`,
        );
      }
      this.statefulBatch = shape[0];
      this.resetStates();
    }
    const u = this.units;
    const G = gatesOf(this.cellKind) * u;
    const p = this.weightNamePrefix;
    this.kernelVar = this.addWeight(`${p}kernel`, [inputDim, G], 'float32', this.kernelInit as never);
    this.recurrentVar = this.addWeight(`${p}recurrent_kernel`, [u, G], 'float32', this.recurrentInit as never);
    if (this.useBias) {
      const biasShape = this.cellKind === 'gru' && this.resetAfter ? [2, G] : [G];
      const init = this.unitForgetBias ? unitForgetBias(this.biasInit, u) : this.biasInit;
      this.biasVar = this.addWeight(`${p}bias`, biasShape, 'float32', init as never);
    }
    const wa = this.weightArgs;
    addWeightPenalty(this, this.kernelVar, wa.kernelRegularizer);
    addWeightPenalty(this, this.recurrentVar, wa.recurrentRegularizer);
    addWeightConstraint(this, this.kernelVar, wa.kernelConstraint);
    addWeightConstraint(this, this.recurrentVar, wa.recurrentConstraint);
    if (this.biasVar) {
      addWeightPenalty(this, this.biasVar, wa.biasRegularizer);
      addWeightConstraint(this, this.biasVar, wa.biasConstraint);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const out: Shape = this.returnSequences ? [shape[0], shape[1], this.units] : [shape[0], this.units];
    if (!this.returnState) return out;
    const states: Shape[] = [];
    for (let i = 0; i < this.stateCount; i++) states.push([shape[0], this.units]);
    return [out, ...states];
  }

  /** Keras: the input mask passes on with returnSequences; states carry no mask. */
  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const m = Array.isArray(mask) ? mask[0] : mask;
    const out = this.returnSequences && m != null ? m : null;
    if (this.returnState) return [out, ...new Array(this.stateCount).fill(null)] as unknown as tf.Tensor[];
    return out as unknown as tf.Tensor;
  }

  /** The carried states of a stateful layer (null before the first batch or when not stateful). */
  get states(): tf.Tensor[] | null {
    return this.stateTensors;
  }

  /**
   * Stateful layers: sets the carried states to zeros (or to `states`, one [batch, units]
   * tensor per state). Keras `reset_states()`.
   */
  resetStates(states?: tf.Tensor | tf.Tensor[]): void {
    if (!this.stateful) {
      throw new ValueError(`${this.kerasClassName} '${this.name}': resetStates() needs a stateful layer (stateful: true).`);
    }
    if (this.statefulBatch == null) {
      throw new ValueError(`${this.kerasClassName} '${this.name}': the layer is not built yet, so its batch size is unknown.`);
    }
    const B = this.statefulBatch;
    const given = states == null ? null : Array.isArray(states) ? states : [states];
    if (given && given.length !== this.stateCount) {
      throw new ValueError(`${this.kerasClassName} '${this.name}': expected ${this.stateCount} state tensor(s), got ${given.length}.`);
    }
    given?.forEach((t) => {
      if (t.shape.length !== 2 || t.shape[0] !== B || t.shape[1] !== this.units) {
        throw new ValueError(`${this.kerasClassName} '${this.name}': each state must have shape [${B}, ${this.units}], got [${t.shape.join(', ')}].`);
      }
    });
    const old = this.stateTensors;
    this.stateTensors = Array.from({ length: this.stateCount }, (_, i) =>
      tf.keep(given ? given[i].toFloat().clone() : tf.zeros([B, this.units])),
    );
    old?.forEach((t) => t.dispose());
  }

  /** Alias of `resetStates` (Keras 3 spelling). */
  resetState(): void {
    this.resetStates();
  }

  /**
   * `layer.apply(x, { initialState })`: with symbolic inputs the states become extra
   * inputs of the node (as tfjs and Keras do), so that models built with them run. A training
   * call also records the activity penalty (`weight-args.ts`).
   */
  override apply(
    inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[],
    kwargs: Kwargs = {},
  ): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    checkCallKwargs(kwargs, `${this.kerasClassName} '${this.name}'`, CALL_KWARGS.recurrent);
    const out = applyWithInitialState((i, k) => super.apply(i, k), inputs, kwargs);
    // The activity penalty of a training call (weight-args.ts).
    recordActivity(this, this.weightArgs.activityRegularizer, out, kwargs);
    return out;
  }

  /** Scaled dropout masks: `count` masks of [batch, width], 0 or 1 / (1 - rate). */
  private dropoutMasks(kind: 'input' | 'recurrent', rate: number, count: number, batch: number, width: number): Float32Array {
    const n = count * batch * width;
    if (this.dropoutMaskSource) {
      const m = this.dropoutMaskSource(kind, count, batch, width);
      if (m.length !== n) throw new ValueError(`${this.kerasClassName} '${this.name}': dropoutMaskSource returned ${m.length} values, expected ${n}.`);
      return m;
    }
    const out = new Float32Array(n);
    const scale = 1 / (1 - rate);
    for (let i = 0; i < n; i++) out[i] = this.prng.next() < rate ? 0 : scale;
    return out;
  }

  /**
   * The dropout masks of one training call, in the kernels' layout (kernels/types.ts):
   * input [B, I, D] (I = gates with recurrent dropout, Keras implementation 1; else 1) and
   * recurrent [B, R, u]; null when the rate is 0 (or 1). Draws from the layer's generator in
   * a fixed order (input, then recurrent), so `call` and the fused training step
   * (src/rnn/train) draw the same masks.
   */
  trainingDropoutMasks(B: number, D: number): { inputMask: Float32Array | null; recurrentMask: Float32Array | null } {
    const u = this.units;
    const gates = gatesOf(this.cellKind);
    const perGate = this.recurrentDropout > 0 && this.cellKind !== 'simple';
    let recurrentMask: Float32Array | null = null;
    let inputMask: Float32Array | null = null;
    if (this.dropout > 0 && this.dropout < 1) {
      const I = perGate ? gates : 1;
      const m = this.dropoutMasks('input', this.dropout, I, B, D);
      // [I, B, D] -> [B, I, D]
      inputMask = new Float32Array(B * I * D);
      for (let g = 0; g < I; g++) for (let bb = 0; bb < B; bb++) inputMask.set(m.subarray((g * B + bb) * D, (g * B + bb + 1) * D), (bb * I + g) * D);
    }
    if (this.recurrentDropout > 0 && this.recurrentDropout < 1) {
      const R = this.cellKind === 'simple' ? 1 : gates;
      const m = this.dropoutMasks('recurrent', this.recurrentDropout, R, B, u);
      // [R, B, u] -> [B, R, u]
      recurrentMask = new Float32Array(B * R * u);
      for (let r = 0; r < R; r++) for (let bb = 0; bb < B; bb++) recurrentMask.set(m.subarray((r * B + bb) * u, (r * B + bb + 1) * u), (bb * R + r) * u);
    }
    return { inputMask, recurrentMask };
  }

  /** Runs the layer on a concrete [batch, steps, features] tensor. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    let initial = initialStatesOf(list, kwargs);
    const maskIn = kwargs?.['mask'] as tf.Tensor | tf.Tensor[] | null | undefined;
    // tfjs's executor leaves a mask in the shared kwargs for the layers after this one.
    if (kwargs && 'mask' in kwargs) delete kwargs['mask'];
    const maskT = (Array.isArray(maskIn) ? maskIn[0] : maskIn) ?? null;
    const training = kwargs?.['training'] === true;
    return tf.tidy(() => {
      let x = list[0] as tf.Tensor3D;
      if (x.rank !== 3) throw new ValueError(`${this.kerasClassName} '${this.name}' expects a rank-3 input, got rank ${x.rank}.`);
      if (x.dtype !== 'float32') x = x.toFloat();
      const [B, T, D] = x.shape;
      const u = this.units;
      const what = `${this.kerasClassName} '${this.name}'`;
      if (this.stateful) {
        if (B !== this.statefulBatch) {
          throw new ValueError(
            `${what}: stateful layers need every batch to have ${this.statefulBatch} samples (the batch size they were built with), got ${B}. Use a number of samples that is a multiple of the batch size.`,
          );
        }
        if (initial == null) initial = this.stateTensors;
      }
      if (initial != null) {
        if (initial.length !== this.stateCount) {
          throw new ValueError(`${what}: 'initialState' must have ${this.stateCount} tensor(s) (${this.cellKind === 'lstm' ? 'h and c' : 'h'}), got ${initial.length}.`);
        }
        initial.forEach((t, i) => {
          if (t.shape.length !== 2 || t.shape[0] !== B || t.shape[1] !== u) {
            throw new ValueError(`${what}: initial state ${i} must have shape [${B}, ${u}], got [${t.shape.join(', ')}].`);
          }
        });
      }
      let mask: Uint8Array | null = null;
      if (maskT != null) {
        if (maskT.shape.length !== 2 || maskT.shape[0] !== B || maskT.shape[1] !== T) {
          throw new ValueError(`${what}: the mask must have shape [${B}, ${T}] (batch, steps), got [${maskT.shape.join(', ')}].`);
        }
        const md = maskT.dataSync();
        mask = new Uint8Array(B * T);
        for (let b = 0; b < B; b++) {
          for (let t = 0; t < T; t++) mask[b * T + t] = md[b * T + (this.goBackwards ? T - 1 - t : t)] ? 1 : 0;
        }
      }
      if (this.goBackwards) x = tf.reverse(x, 1);
      const spec: SequenceSpec = {
        cell: this.cellKind,
        batch: B,
        steps: T,
        inputDim: D,
        units: u,
        act: this.actCode,
        ract: this.ractCode,
        resetAfter: this.resetAfter,
        zeroOutputForMask: this.zeroOutputForMask,
      };
      const gates = gatesOf(this.cellKind);
      const G = gates * u;
      const k = this.kernelVar!.read() as tf.Tensor;
      const rk = this.recurrentVar!.read();
      const b = this.biasVar ? this.biasVar.read() : tf.zeros(this.cellKind === 'gru' && this.resetAfter ? [2, G] : [G]);
      const { inputMask, recurrentMask } = training ? this.trainingDropoutMasks(B, D) : { inputMask: null, recurrentMask: null };
      const opts: FusedOptions = {
        mask,
        h0: initial ? initial[0].toFloat() : null,
        c0: initial && this.cellKind === 'lstm' ? initial[1].toFloat() : null,
        recurrentMask,
        inputMask,
      };
      if (this.fused && !this.returnState && !this.stateful) {
        return fusedSequence(spec, x, k, rk, b, this.returnSequences ? 'sequence' : 'last', opts);
      }
      const packed = (this.fused ? fusedSequence(spec, x, k, rk, b, 'packed', opts) : referenceSequence(spec, x, k, rk, b, opts)) as tf.Tensor3D;
      const seq = packed.slice([0, 0, 0], [B, T, u]);
      const last = seq.slice([0, T - 1, 0], [B, 1, u]).reshape([B, u]);
      const hT = packed.slice([0, T, 0], [B, 1, u]).reshape([B, u]);
      const cT = this.cellKind === 'lstm' ? packed.slice([0, T + 1, 0], [B, 1, u]).reshape([B, u]) : null;
      if (this.stateful) {
        // The previous states may still be on a gradient tape (they were this call's
        // initial states): dispose them one call later.
        this.retiredStates?.forEach((t) => t.dispose());
        this.retiredStates = this.stateTensors;
        this.stateTensors = [tf.keep(hT.clone()), ...(cT ? [tf.keep(cT.clone())] : [])];
      }
      const output = this.returnSequences ? seq : last;
      if (!this.returnState) return output;
      return cT ? [output, hT, cT] : [output, hT];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      units: this.units,
      activation: activationName(this.actCode),
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInit),
      recurrentInitializer: serializeInitializer(this.recurrentInit),
      biasInitializer: serializeInitializer(this.biasInit),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
      fused: this.fused,
      kernelRegularizer: serializeWeightArg(this.weightArgs.kernelRegularizer),
      recurrentRegularizer: serializeWeightArg(this.weightArgs.recurrentRegularizer),
      biasRegularizer: serializeWeightArg(this.weightArgs.biasRegularizer),
      activityRegularizer: serializeWeightArg(this.weightArgs.activityRegularizer),
      kernelConstraint: serializeWeightArg(this.weightArgs.kernelConstraint),
      recurrentConstraint: serializeWeightArg(this.weightArgs.recurrentConstraint),
      biasConstraint: serializeWeightArg(this.weightArgs.biasConstraint),
    };
    if (this.zeroOutputForMask) config.zeroOutputForMask = true;
    if (this.cellKind !== 'simple') config.recurrentActivation = activationName(this.ractCode);
    if (this.cellKind === 'lstm') config.unitForgetBias = this.unitForgetBias;
    if (this.cellKind === 'gru') config.resetAfter = this.resetAfter;
    return { ...super.getConfig(), ...config };
  }
}

/** Keras `SimpleRNN`: h = act(x·W + b + h_prev·U). */
export class SimpleRNN extends FusedRecurrent {
  static className = 'SimpleRNN';
  constructor(args: SimpleRNNLayerArgs | number, more?: Omit<SimpleRNNLayerArgs, 'units'>) {
    super('simple', 'simple_rnn', recurrentArgs(args, more, 'SimpleRNN'));
  }
  get kerasClassName(): string {
    return 'SimpleRNN';
  }
}

/** Keras `LSTM` (gates i, f, c, o; sigmoid gates, unit forget bias by default). */
export class LSTM extends FusedRecurrent {
  static className = 'LSTM';
  constructor(args: LSTMLayerArgs | number, more?: Omit<LSTMLayerArgs, 'units'>) {
    super('lstm', 'lstm', recurrentArgs(args, more, 'LSTM'));
  }
  get kerasClassName(): string {
    return 'LSTM';
  }
}

/** Keras `GRU` (gates z, r, h; resetAfter true by default, like Keras / CuDNN). */
export class GRU extends FusedRecurrent {
  static className = 'GRU';
  constructor(args: GRULayerArgs | number, more?: Omit<GRULayerArgs, 'units'>) {
    super('gru', 'gru', recurrentArgs(args, more, 'GRU'));
  }
  get kerasClassName(): string {
    return 'GRU';
  }
}

tf.serialization.registerClass(SimpleRNN);
tf.serialization.registerClass(LSTM);
tf.serialization.registerClass(GRU);
