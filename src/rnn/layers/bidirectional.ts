/**
 * Keras `Bidirectional` wrapper for the fused recurrent layers.
 *
 * Two copies of the wrapped layer are made from its config: `forward_<name>` and
 * `backward_<name>` (the latter with goBackwards true, as Keras 3 does), unless a
 * `backwardLayer` is given, which is then used as it is (Keras checks that it goes the
 * other way and agrees on stateful, returnSequences and returnState). With returnSequences the
 * backward output is flipped back in time before merging, so that position t of both
 * halves refers to input position t. Weights are the forward layer's, then the backward
 * layer's (Keras order). With returnState the result is [output, ...forward states,
 * ...backward states].
 *
 * Masks (Keras): both halves receive the input mask; the backward half reverses it with
 * its input, so with 'post' padding it starts on the padding, carries its zero state over
 * it and reads the real tokens last. With returnSequences, outputs at masked steps are
 * zeros (Keras forces `zero_output_for_mask`). An `initialState` list is split in half:
 * the first half for the forward layer, the second for the backward layer.
 */
import * as tf from '@tensorflow/tfjs';
import { uniqueLayerName } from '../names';
import { applyWithInitialState, initialStatesOf } from './initial-states';
import { FusedRecurrent } from './recurrent';
import { CALL_KWARGS, checkCallKwargs, checkLayerArgs, recordActivity, resolveRegularizer, serializeWeightArg, type Regularizer, type RegularizerSpec } from './weight-args';
import { ValueError } from '../errors';

type Shape = (number | null)[];
type Kwargs = Record<string, unknown>;

/** How the forward and backward outputs are combined (Keras names); null returns both. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

/** Arguments of `rnn.bidirectional`. */
export interface BidirectionalLayerArgs {
  /** The recurrent layer to wrap: `rnn.lstm(...)`, `rnn.gru(...)` or `rnn.simpleRNN(...)`. */
  layer: FusedRecurrent | { className: string; config: tf.serialization.ConfigDict };
  /**
   * Optional layer for the backward direction (Keras `backward_layer`): must go the other
   * way (goBackwards differs from `layer`'s) and agree on stateful, returnSequences and returnState.
   */
  backwardLayer?: FusedRecurrent | { className: string; config: tf.serialization.ConfigDict };
  /** Default 'concat'. One of 'concat', 'sum', 'mul', 'ave', or null (return [forward, backward]). */
  mergeMode?: MergeMode;
  /** Layer name; default Keras-style (`bidirectional`, `bidirectional_1`, ...). */
  name?: string;
  inputShape?: Shape;
  batchInputShape?: Shape;
  trainable?: boolean;
  batchSize?: number;
  dtype?: tf.DataType;
  /** Keras: penalty on every tensor the wrapper returns (the merged output, and states). */
  activityRegularizer?: RegularizerSpec;
  /** Initial weights: the forward layer's, then the backward layer's (Keras order). */
  weights?: tf.Tensor[];
}

const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'];

/**
 * The arguments of a Bidirectional given Keras-style, `rnn.bidirectional(rnn.lstm({ units: 5 }))`,
 * `rnn.bidirectional(layer, 'sum')` or `rnn.bidirectional(layer, { mergeMode: 'sum' })` (Keras
 * `Bidirectional(layer, merge_mode=...)`), or as one object `{ layer, ... }`.
 */
export function bidirectionalArgs(
  args: BidirectionalLayerArgs | FusedRecurrent,
  more: Omit<BidirectionalLayerArgs, 'layer'> | MergeMode | undefined,
): BidirectionalLayerArgs {
  if (args instanceof tf.layers.Layer) {
    if (more === undefined) return { layer: args as FusedRecurrent };
    if (more === null || typeof more === 'string') return { layer: args as FusedRecurrent, mergeMode: more as MergeMode };
    if (typeof more !== 'object' || Array.isArray(more)) {
      throw new TypeError(`Bidirectional: the second argument must be a merge mode ('concat', 'sum', 'mul', 'ave' or null) or an object of arguments, got ${String(more)}.`);
    }
    if ((more as Record<string, unknown>).layer !== undefined) throw new ValueError(`Bidirectional: 'layer' given twice (as the first argument and in the options).`);
    return { ...more, layer: args as FusedRecurrent };
  }
  if (more !== undefined) {
    throw new TypeError(`Bidirectional: unexpected second argument; pass the layer first, rnn.bidirectional(layer, { mergeMode }), or everything in one object { layer, mergeMode }.`);
  }
  if (args == null || typeof args !== 'object' || Array.isArray(args)) {
    throw new TypeError(`Bidirectional: expected a recurrent layer or { layer: rnn.lstm({ units: 5 }), ... }, got ${String(args)}.`);
  }
  return args;
}

function deserializeLayer(dict: { className: string; config: tf.serialization.ConfigDict }): FusedRecurrent {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[dict.className];
  if (!entry) throw new ValueError(`Bidirectional: unknown wrapped layer class '${dict.className}'.`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, dict.config) as unknown as FusedRecurrent;
}

/** The Keras `Bidirectional` layer described above, registered for serialization under 'Bidirectional'. */
export class Bidirectional extends tf.layers.Layer {
  static className = 'Bidirectional';
  readonly forwardLayer: FusedRecurrent;
  readonly backwardLayer: FusedRecurrent;
  readonly mergeMode: MergeMode;
  private readonly innerConfig: tf.serialization.ConfigDict;
  private readonly innerClassName: string;
  private readonly customBackward: boolean;
  private readonly activityRegularizerArg: Regularizer | null;

  constructor(args: BidirectionalLayerArgs | FusedRecurrent, more?: Omit<BidirectionalLayerArgs, 'layer'> | MergeMode) {
    args = bidirectionalArgs(args, more);
    checkLayerArgs(args, 'Bidirectional');
    const layerArg = args?.layer;
    const layer = layerArg && !(layerArg instanceof FusedRecurrent) && typeof (layerArg as { className?: unknown }).className === 'string'
      ? deserializeLayer(layerArg as { className: string; config: tf.serialization.ConfigDict })
      : layerArg;
    if (!(layer instanceof FusedRecurrent)) {
      throw new ValueError(`Bidirectional: argument 'layer' must be a layer made by rnn.lstm, rnn.gru or rnn.simpleRNN.`);
    }
    const backArg = args.backwardLayer;
    const backward =
      backArg == null
        ? null
        : !(backArg instanceof FusedRecurrent) && typeof (backArg as { className?: unknown }).className === 'string'
          ? deserializeLayer(backArg as { className: string; config: tf.serialization.ConfigDict })
          : backArg;
    if (backward != null && !(backward instanceof FusedRecurrent)) {
      throw new ValueError(`Bidirectional: argument 'backwardLayer' must be a layer made by rnn.lstm, rnn.gru or rnn.simpleRNN.`);
    }
    const mergeMode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (mergeMode !== null && !MERGE_MODES.includes(mergeMode)) {
      throw new ValueError(`Bidirectional: argument 'mergeMode' must be one of 'concat', 'sum', 'mul', 'ave' or null, got '${String(mergeMode)}'.`);
    }
    const inner = { ...layer.getConfig() } as Record<string, unknown>;
    const base: Record<string, unknown> = { name: args.name ?? uniqueLayerName('bidirectional') };
    if (args.inputShape) base.inputShape = args.inputShape;
    if (args.batchInputShape) base.batchInputShape = args.batchInputShape;
    if (!base.inputShape && !base.batchInputShape && inner.batchInputShape) base.batchInputShape = inner.batchInputShape;
    if (args.trainable != null) base.trainable = args.trainable;
    if (args.weights != null) base.weights = args.weights;
    if (args.batchSize != null) base.batchSize = args.batchSize;
    super(base as never);
    this.activityRegularizerArg = resolveRegularizer(args.activityRegularizer, 'activityRegularizer', 'Bidirectional');
    delete inner.batchInputShape;
    delete inner.inputShape;
    const Cls = layer.constructor as new (a: Record<string, unknown>) => FusedRecurrent;
    const innerName = String(inner.name);
    this.innerConfig = inner as tf.serialization.ConfigDict;
    this.innerClassName = layer.getClassName();
    this.forwardLayer = new Cls({ ...inner, name: `forward_${innerName.replace(/^forward_/, '')}` });
    this.backwardLayer = backward ?? new Cls({ ...inner, name: `backward_${innerName.replace(/^backward_/, '')}`, goBackwards: true });
    this.customBackward = backward != null;
    if (this.forwardLayer.goBackwards === this.backwardLayer.goBackwards) {
      throw new ValueError(
        `Bidirectional: the forward and backward layers must have different 'goBackwards' values, got ${this.forwardLayer.goBackwards} for both.`,
      );
    }
    for (const a of ['stateful', 'returnSequences', 'returnState'] as const) {
      if (this.forwardLayer[a] !== this.backwardLayer[a]) {
        throw new ValueError(
          `Bidirectional: the forward and backward layers must have the same '${a}', got ${this.forwardLayer[a]} (forward) and ${this.backwardLayer[a]} (backward).`,
        );
      }
    }
    // Keras: outputs at masked steps are zeros when the halves return sequences.
    this.forwardLayer.zeroOutputForMask = this.forwardLayer.returnSequences;
    this.backwardLayer.zeroOutputForMask = this.backwardLayer.returnSequences;
    this.supportsMasking = true;
    this.forwardLayer.weightNamePrefix = `${this.forwardLayer.name}/`;
    this.backwardLayer.weightNamePrefix = `${this.backwardLayer.name}/`;
    this.mergeMode = mergeMode;
    if (!this.trainable) this.trainable = false;
  }

  /** Keras class name printed by summaries. */
  get kerasClassName(): string {
    return 'Bidirectional';
  }

  /** Keras propagates `trainable` to the wrapped layers (their weights and penalties follow it). */
  override get trainable(): boolean {
    return this.trainable_;
  }
  override set trainable(value: boolean) {
    this.trainable_ = value;
    if (this.forwardLayer) this.forwardLayer.trainable = value;
    if (this.backwardLayer) this.backwardLayer.trainable = value;
  }

  override get trainableWeights(): tf.LayerVariable[] {
    return this.forwardLayer.trainableWeights.concat(this.backwardLayer.trainableWeights);
  }
  override set trainableWeights(_w: tf.LayerVariable[]) {
    throw new ValueError('Bidirectional: trainableWeights cannot be set directly.');
  }
  override get nonTrainableWeights(): tf.LayerVariable[] {
    return this.forwardLayer.nonTrainableWeights.concat(this.backwardLayer.nonTrainableWeights);
  }

  /** Own losses plus both wrapped layers' (their weight and activity penalties). */
  override get losses(): tf.serialization.ConfigDict[] & (() => tf.Scalar)[] {
    return [...super.losses, ...this.forwardLayer.losses, ...this.backwardLayer.losses] as never;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.forwardLayer.build(inputShape);
    this.backwardLayer.build(inputShape);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const inner = this.forwardLayer.computeOutputShape(inputShape) as Shape | Shape[];
    const returnState = this.forwardLayer.returnState;
    const out = (returnState ? (inner as Shape[])[0] : inner) as Shape;
    const states = returnState ? (inner as Shape[]).slice(1) : [];
    const outputs: Shape[] = [];
    if (this.mergeMode === 'concat') {
      const last = out[out.length - 1];
      outputs.push([...out.slice(0, -1), last == null ? null : last * 2]);
    } else if (this.mergeMode === null) {
      outputs.push(out, [...out]);
    } else {
      outputs.push(out);
    }
    if (returnState) outputs.push(...states, ...states.map((s) => [...s]));
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  /** Keras: the mask passes on with returnSequences (twice when mergeMode is null); states carry none. */
  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const m = (Array.isArray(mask) ? mask[0] : mask) ?? null;
    const out = this.forwardLayer.returnSequences ? m : null;
    const masks: (tf.Tensor | null)[] = this.mergeMode === null ? [out, out] : [out];
    if (this.forwardLayer.returnState) masks.push(...new Array(2 * this.forwardLayer.stateCount).fill(null));
    return (masks.length === 1 ? masks[0] : masks) as unknown as tf.Tensor;
  }

  /** Stateful halves: resets both (Keras `reset_states`). */
  resetStates(): void {
    if (!this.forwardLayer.stateful) throw new ValueError(`Bidirectional '${this.name}': resetStates() needs a stateful layer.`);
    this.forwardLayer.resetStates();
    this.backwardLayer.resetStates();
  }

  override get stateful(): boolean {
    return this.forwardLayer.stateful;
  }

  /** `apply(x, { initialState })` with symbolic tensors: the states become node inputs; a training call records the activity penalty. */
  override apply(
    inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[],
    kwargs: Kwargs = {},
  ): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    checkCallKwargs(kwargs, `Bidirectional '${this.name}'`, CALL_KWARGS.recurrent);
    const out = applyWithInitialState((i, k) => super.apply(i, k), inputs, kwargs);
    // The activity penalty of a training call (weight-args.ts).
    recordActivity(this, this.activityRegularizerArg, out, kwargs);
    return out;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const initial = initialStatesOf(list, kwargs);
    const n = this.forwardLayer.stateCount;
    if (initial != null && initial.length !== 2 * n) {
      throw new ValueError(
        `Bidirectional '${this.name}': 'initialState' must have ${2 * n} tensors (the forward layer's ${n}, then the backward layer's ${n}), got ${initial.length}.`,
      );
    }
    const mask = kwargs?.['mask'] ?? null;
    if (kwargs && 'mask' in kwargs) delete kwargs['mask'];
    const inner = (states: tf.Tensor[] | null): Kwargs => ({
      training: kwargs?.['training'],
      mask,
      ...(states ? { initialState: states } : {}),
    });
    return tf.tidy(() => {
      const x = list[0];
      const yf = this.forwardLayer.call(x, inner(initial ? initial.slice(0, n) : null));
      const yb = this.backwardLayer.call(x, inner(initial ? initial.slice(n) : null));
      recordActivity(this.forwardLayer, this.forwardLayer.weightArgs.activityRegularizer, yf, kwargs);
      recordActivity(this.backwardLayer, this.backwardLayer.weightArgs.activityRegularizer, yb, kwargs);
      const fo = Array.isArray(yf) ? yf[0] : yf;
      let bo = Array.isArray(yb) ? yb[0] : yb;
      if (this.forwardLayer.returnSequences) bo = tf.reverse(bo, 1);
      let merged: tf.Tensor[];
      switch (this.mergeMode) {
        case 'concat':
          merged = [tf.concat([fo, bo], -1)];
          break;
        case 'sum':
          merged = [tf.add(fo, bo)];
          break;
        case 'mul':
          merged = [tf.mul(fo, bo)];
          break;
        case 'ave':
          merged = [tf.mul(tf.add(fo, bo), 0.5)];
          break;
        default:
          merged = [fo, bo];
      }
      if (this.forwardLayer.returnState) {
        merged.push(...(yf as tf.Tensor[]).slice(1), ...(yb as tf.Tensor[]).slice(1));
      }
      return merged.length === 1 ? merged[0] : merged;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      layer: { className: this.innerClassName, config: this.innerConfig },
      mergeMode: this.mergeMode,
      ...(this.customBackward
        ? { backwardLayer: { className: this.backwardLayer.getClassName(), config: this.backwardLayer.getConfig() } }
        : {}),
      activityRegularizer: serializeWeightArg(this.activityRegularizerArg),
    };
  }
}

tf.serialization.registerClass(Bidirectional);
