/**
 * Keras `Dense`: tfjs's Dense layer with Keras defaults (glorot_uniform kernel instead of
 * tfjs's glorotNormal), Keras-style auto names (`dense`, `dense_1`, ...) and a
 * `kerasClassName`. Registered under 'Dense' (it is a subclass of tfjs's Dense).
 * Regularizers and constraints are Keras's (`weight-args.ts`), not tfjs's: tfjs would
 * refuse an activity regularizer, skip constraints in `fit` and apply them in `setWeights`.
 */
import * as tf from '@tensorflow/tfjs';
import { uniqueLayerName } from '../names';
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

type TfjsDenseArgs = Parameters<typeof tf.layers.dense>[0];
type WeightArgKey = 'kernelRegularizer' | 'biasRegularizer' | 'activityRegularizer' | 'kernelConstraint' | 'biasConstraint';

/** Arguments of `rnn.dense`: those of `tf.layers.dense`, with Keras defaults and Keras regularizers / constraints. */
export type DenseLayerArgs = Omit<TfjsDenseArgs, WeightArgKey> & {
  kernelRegularizer?: RegularizerSpec;
  biasRegularizer?: RegularizerSpec;
  activityRegularizer?: RegularizerSpec;
  kernelConstraint?: ConstraintSpec;
  biasConstraint?: ConstraintSpec;
  /** Keras mixed-precision autocasting: accepted (float32 only). */
  autocast?: boolean;
};

/**
 * The arguments of a Dense given Keras-style, `rnn.dense(1)` or `rnn.dense(1, { activation: 'sigmoid' })`
 * (Keras `Dense(units, ...)`), or as one object `{ units, ... }`.
 */
export function denseArgs(args: DenseLayerArgs | number, more: Omit<DenseLayerArgs, 'units'> | undefined): DenseLayerArgs {
  if (typeof args === 'number') {
    if (more != null && (typeof more !== 'object' || Array.isArray(more))) {
      throw new TypeError(`Dense: the second argument must be an object of arguments, e.g. rnn.dense(${args}, { activation: 'sigmoid' }).`);
    }
    if (more != null && (more as Record<string, unknown>).units !== undefined) throw new ValueError(`Dense: 'units' given twice.`);
    return { ...(more ?? {}), units: args } as DenseLayerArgs;
  }
  if (more !== undefined) throw new TypeError(`Dense: unexpected second argument; pass all arguments in one object, e.g. { units: 1, activation: 'sigmoid' }.`);
  if (args == null || typeof args !== 'object' || Array.isArray(args)) {
    throw new TypeError(`Dense: expected the number of units or an object of arguments such as { units: 1 }, got ${String(args)}.`);
  }
  return args;
}

type DenseConstructor = new (args: TfjsDenseArgs) => tf.layers.Layer;

/** tfjs does not export its Dense class; take it from an instance. */
const TfjsDense = (tf.layers.dense({ units: 1, name: '__rnn_probe_dense' }) as unknown as { constructor: DenseConstructor })
  .constructor;

/** The Keras `Dense` layer described above. */
export class Dense extends TfjsDense {
  static className = 'Dense';
  private readonly kerasWeightArgs: Record<WeightArgKey, Regularizer | Constraint | null>;

  constructor(args: DenseLayerArgs | number, more?: Omit<DenseLayerArgs, 'units'>) {
    args = denseArgs(args, more);
    checkLayerArgs(args, 'Dense');
    const rest: Record<string, unknown> = { ...args };
    for (const k of ['kernelRegularizer', 'biasRegularizer', 'activityRegularizer', 'kernelConstraint', 'biasConstraint', 'autocast']) delete rest[k];
    super({
      ...(rest as unknown as TfjsDenseArgs),
      name: args.name ?? uniqueLayerName('dense'),
      kernelInitializer: args.kernelInitializer ?? 'glorotUniform',
    });
    this.kerasWeightArgs = {
      kernelRegularizer: resolveRegularizer(args.kernelRegularizer, 'kernelRegularizer', 'Dense'),
      biasRegularizer: resolveRegularizer(args.biasRegularizer, 'biasRegularizer', 'Dense'),
      activityRegularizer: resolveRegularizer(args.activityRegularizer, 'activityRegularizer', 'Dense'),
      kernelConstraint: resolveConstraint(args.kernelConstraint, 'kernelConstraint', 'Dense'),
      biasConstraint: resolveConstraint(args.biasConstraint, 'biasConstraint', 'Dense'),
    };
  }

  /** Keras class name printed by summaries. */
  get kerasClassName(): string {
    return 'Dense';
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    super.build(inputShape);
    const self = this as unknown as { kernel: tf.LayerVariable | null; bias: tf.LayerVariable | null };
    const w = this.kerasWeightArgs;
    if (self.kernel) {
      addWeightPenalty(this, self.kernel, w.kernelRegularizer as Regularizer | null);
      addWeightConstraint(this, self.kernel, w.kernelConstraint as Constraint | null);
    }
    if (self.bias) {
      addWeightPenalty(this, self.bias, w.biasRegularizer as Regularizer | null);
      addWeightConstraint(this, self.bias, w.biasConstraint as Constraint | null);
    }
  }

  /** tfjs `apply`, plus the activity penalty of a training call (`weight-args.ts`). */
  override apply(
    inputs: tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[],
    kwargs?: Record<string, unknown>,
  ): tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[] {
    checkCallKwargs(kwargs, `Dense '${this.name}'`, CALL_KWARGS.plain);
    const out = super.apply(inputs, kwargs);
    recordActivity(this, this.kerasWeightArgs.activityRegularizer as Regularizer | null, out, kwargs);
    return out;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config = super.getConfig();
    for (const [k, v] of Object.entries(this.kerasWeightArgs)) config[k] = serializeWeightArg(v);
    return config;
  }
}

tf.serialization.registerClass(Dense as unknown as tf.serialization.SerializableConstructor<tf.layers.Layer>);
