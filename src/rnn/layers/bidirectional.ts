/**
 * Keras `Bidirectional` wrapper for the fused recurrent layers.
 *
 * Two copies of the wrapped layer are made from its config: `forward_<name>` and
 * `backward_<name>` (the latter with goBackwards flipped). With returnSequences the
 * backward output is flipped back in time before merging, so that position t of both
 * halves refers to input position t. Weights are the forward layer's, then the backward
 * layer's (Keras order). With returnState the result is [output, ...forward states,
 * ...backward states].
 */
import * as tf from '@tensorflow/tfjs';
import { uniqueLayerName } from '../names';
import { FusedRecurrent } from './recurrent';
import { checkLayerArgs, recordActivity, resolveRegularizer, serializeWeightArg, type Regularizer, type RegularizerSpec } from './weight-args';

type Shape = (number | null)[];
type Kwargs = Record<string, unknown>;

/** How the forward and backward outputs are combined (Keras names); null returns both. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

/** Arguments of `rnn.bidirectional`. */
export interface BidirectionalLayerArgs {
  /** The recurrent layer to wrap: `rnn.lstm(...)`, `rnn.gru(...)` or `rnn.simpleRNN(...)`. */
  layer: FusedRecurrent | { className: string; config: tf.serialization.ConfigDict };
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

function deserializeLayer(dict: { className: string; config: tf.serialization.ConfigDict }): FusedRecurrent {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[dict.className];
  if (!entry) throw new Error(`Bidirectional: unknown wrapped layer class '${dict.className}'.`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, dict.config) as unknown as FusedRecurrent;
}

export class Bidirectional extends tf.layers.Layer {
  static className = 'Bidirectional';
  readonly forwardLayer: FusedRecurrent;
  readonly backwardLayer: FusedRecurrent;
  readonly mergeMode: MergeMode;
  private readonly innerConfig: tf.serialization.ConfigDict;
  private readonly innerClassName: string;
  private readonly activityRegularizerArg: Regularizer | null;

  constructor(args: BidirectionalLayerArgs) {
    if (args != null) checkLayerArgs(args, 'Bidirectional');
    const layerArg = args?.layer;
    const layer = layerArg && !(layerArg instanceof FusedRecurrent) && typeof (layerArg as { className?: unknown }).className === 'string'
      ? deserializeLayer(layerArg as { className: string; config: tf.serialization.ConfigDict })
      : layerArg;
    if (!(layer instanceof FusedRecurrent)) {
      throw new Error(`Bidirectional: argument 'layer' must be a layer made by rnn.lstm, rnn.gru or rnn.simpleRNN.`);
    }
    const mergeMode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (mergeMode !== null && !MERGE_MODES.includes(mergeMode)) {
      throw new Error(`Bidirectional: argument 'mergeMode' must be one of 'concat', 'sum', 'mul', 'ave' or null, got '${String(mergeMode)}'.`);
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
    this.forwardLayer = new Cls({ ...inner, name: `forward_${innerName}` });
    this.backwardLayer = new Cls({ ...inner, name: `backward_${innerName}`, goBackwards: !layer.goBackwards });
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
    throw new Error('Bidirectional: trainableWeights cannot be set directly.');
  }
  override get nonTrainableWeights(): tf.LayerVariable[] {
    return this.forwardLayer.nonTrainableWeights.concat(this.backwardLayer.nonTrainableWeights);
  }

  /** Own losses plus both wrapped layers' (their weight and activity penalties). */
  override get losses(): tf.serialization.ConfigDict[] & (() => tf.Scalar)[] {
    return [...super.losses, ...this.forwardLayer.losses, ...this.backwardLayer.losses] as never;
  }

  /** tfjs `apply`, plus the activity penalty of a training call (`weight-args.ts`). */
  override apply(inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[], kwargs?: Kwargs): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    const out = super.apply(inputs, kwargs);
    recordActivity(this, this.activityRegularizerArg, out, kwargs);
    return out;
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

  override computeMask(): tf.Tensor | tf.Tensor[] {
    return null as unknown as tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const yf = this.forwardLayer.call(x, kwargs);
      const yb = this.backwardLayer.call(x, kwargs);
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
      activityRegularizer: serializeWeightArg(this.activityRegularizerArg),
    };
  }
}

tf.serialization.registerClass(Bidirectional);
