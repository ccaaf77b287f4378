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
import { fusedSequence, referenceSequence } from './sequence-op';
import {
  addWeightConstraint,
  addWeightPenalty,
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
  /** Activation of the candidate / output. Default 'tanh'. Supported: tanh, sigmoid, relu, linear. */
  activation?: string;
  /** Activation of the gates (LSTM, GRU). Default 'sigmoid' (Keras; tfjs defaults to hardSigmoid). */
  recurrentActivation?: string;
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
  /** Not supported (must be false / 0 / null): listed so that the error names them. */
  stateful?: boolean;
  dropout?: number;
  recurrentDropout?: number;
  unroll?: boolean;
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
  /** Keras `seed` of the dropout masks; kept in the config (Keras get_config has it). */
  seed?: number | null;
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

export type SimpleRNNLayerArgs = RecurrentLayerArgs;

function rejectUnsupported(args: Record<string, unknown>, layer: string): void {
  const falsy: [string, string][] = [
    ['stateful', 'stateful recurrent layers are not supported'],
    ['unroll', 'unroll is not supported (the fused kernels already run the whole sequence)'],
  ];
  for (const [key, why] of falsy) {
    if (args[key]) throw new Error(`${layer}: argument '${key}' = ${String(args[key])}: ${why}.`);
  }
  for (const key of ['dropout', 'recurrentDropout']) {
    const v = args[key];
    if (v != null && v !== 0) {
      throw new Error(`${layer}: argument '${key}' = ${String(v)} is not supported by the fused kernels (use 0, or add a Dropout layer).`);
    }
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
  /** Keras `seed` (dropout masks), null when not given. */
  readonly seed: number | null;
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
      throw new Error(`${layerName}: argument 'units' must be a positive integer, got ${String(args?.units)}.`);
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
    this.seed = args.seed ?? null;
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
      throw new Error(`${layerName}: argument 'resetAfter' only applies to GRU.`);
    }
    if (cell !== 'lstm' && (args as LSTMLayerArgs).unitForgetBias !== undefined) {
      throw new Error(`${layerName}: argument 'unitForgetBias' only applies to LSTM.`);
    }
    if (cell === 'simple' && args.recurrentActivation !== undefined) {
      throw new Error(`SimpleRNN: argument 'recurrentActivation' does not apply to SimpleRNN.`);
    }
    this.supportsMasking = false;
  }

  /** Number of state tensors (LSTM: h and c). */
  get stateCount(): number {
    return this.cellKind === 'lstm' ? 2 : 1;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    if (shape.length !== 3) {
      throw new Error(`${this.kerasClassName} '${this.name}' expects input of shape [batch, steps, features], got [${shape.join(', ')}].`);
    }
    const inputDim = shape[2];
    if (inputDim == null) throw new Error(`${this.kerasClassName} '${this.name}': the feature dimension of the input must be known.`);
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

  override computeMask(): tf.Tensor | tf.Tensor[] {
    return null as unknown as tf.Tensor;
  }

  /** tfjs `apply`, plus the activity penalty of a training call (`weight-args.ts`). */
  override apply(inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[], kwargs?: Kwargs): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    const out = super.apply(inputs, kwargs);
    recordActivity(this, this.weightArgs.activityRegularizer, out, kwargs);
    return out;
  }

  /** Runs the layer on a concrete [batch, steps, features] tensor. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    if (kwargs && kwargs['initialState'] != null) {
      throw new Error(`${this.kerasClassName} '${this.name}': 'initialState' is not supported.`);
    }
    if (kwargs && kwargs['mask'] != null) {
      throw new Error(`${this.kerasClassName} '${this.name}': masking is not supported (use Embedding without maskZero).`);
    }
    return tf.tidy(() => {
      let x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      if (x.rank !== 3) throw new Error(`${this.kerasClassName} '${this.name}' expects a rank-3 input, got rank ${x.rank}.`);
      if (x.dtype !== 'float32') x = x.toFloat();
      if (this.goBackwards) x = tf.reverse(x, 1);
      const [B, T, D] = x.shape;
      const u = this.units;
      const spec: SequenceSpec = {
        cell: this.cellKind,
        batch: B,
        steps: T,
        inputDim: D,
        units: u,
        act: this.actCode,
        ract: this.ractCode,
        resetAfter: this.resetAfter,
      };
      const G = gatesOf(this.cellKind) * u;
      const k = this.kernelVar!.read();
      const rk = this.recurrentVar!.read();
      const b = this.biasVar ? this.biasVar.read() : tf.zeros(this.cellKind === 'gru' && this.resetAfter ? [2, G] : [G]);
      if (this.fused && !this.returnState) {
        return fusedSequence(spec, x, k, rk, b, this.returnSequences ? 'sequence' : 'last');
      }
      const packed = (this.fused ? fusedSequence(spec, x, k, rk, b, 'packed') : referenceSequence(spec, x, k, rk, b)) as tf.Tensor3D;
      const seq = this.cellKind === 'lstm' ? packed.slice([0, 0, 0], [B, T, u]) : packed;
      const last = seq.slice([0, T - 1, 0], [B, 1, u]).reshape([B, u]);
      const output = this.returnSequences ? seq : last;
      if (!this.returnState) return output;
      if (this.cellKind === 'lstm') {
        const cT = packed.slice([0, T, 0], [B, 1, u]).reshape([B, u]);
        return [output, last, cT];
      }
      return [output, last];
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
      fused: this.fused,
      seed: this.seed,
      kernelRegularizer: serializeWeightArg(this.weightArgs.kernelRegularizer),
      recurrentRegularizer: serializeWeightArg(this.weightArgs.recurrentRegularizer),
      biasRegularizer: serializeWeightArg(this.weightArgs.biasRegularizer),
      activityRegularizer: serializeWeightArg(this.weightArgs.activityRegularizer),
      kernelConstraint: serializeWeightArg(this.weightArgs.kernelConstraint),
      recurrentConstraint: serializeWeightArg(this.weightArgs.recurrentConstraint),
      biasConstraint: serializeWeightArg(this.weightArgs.biasConstraint),
    };
    if (this.cellKind !== 'simple') config.recurrentActivation = activationName(this.ractCode);
    if (this.cellKind === 'lstm') config.unitForgetBias = this.unitForgetBias;
    if (this.cellKind === 'gru') config.resetAfter = this.resetAfter;
    return { ...super.getConfig(), ...config };
  }
}

/** Keras `SimpleRNN`: h = act(x·W + b + h_prev·U). */
export class SimpleRNN extends FusedRecurrent {
  static className = 'SimpleRNN';
  constructor(args: SimpleRNNLayerArgs) {
    super('simple', 'simple_rnn', args);
  }
  get kerasClassName(): string {
    return 'SimpleRNN';
  }
}

/** Keras `LSTM` (gates i, f, c, o; sigmoid gates, unit forget bias by default). */
export class LSTM extends FusedRecurrent {
  static className = 'LSTM';
  constructor(args: LSTMLayerArgs) {
    super('lstm', 'lstm', args);
  }
  get kerasClassName(): string {
    return 'LSTM';
  }
}

/** Keras `GRU` (gates z, r, h; resetAfter true by default, like Keras / CuDNN). */
export class GRU extends FusedRecurrent {
  static className = 'GRU';
  constructor(args: GRULayerArgs) {
    super('gru', 'gru', args);
  }
  get kerasClassName(): string {
    return 'GRU';
  }
}

tf.serialization.registerClass(SimpleRNN);
tf.serialization.registerClass(LSTM);
tf.serialization.registerClass(GRU);
