/**
 * Serves `model.fit` / `fitDataset` / `evaluate` (and fit's validation) with the fused step
 * (./step.ts) when ./plan.ts says the model qualifies, without touching tfjs's loop.
 *
 * tfjs-layers' `fit` asks `this.makeTrainFunction()` once per call for a function
 * `(batch: Tensor[]) => Scalar[]` ([loss, ...metrics]) that its `fitLoop` calls per batch;
 * validation and `evaluate` use `this.makeTestFunction()` / `this.testFunction` the same way.
 * These two methods of `tf.LayersModel.prototype` are wrapped: the stock function is always
 * made, and when the plan applies a function that runs the fused step instead is returned
 * (falling back to the stock function for a batch the plan cannot take, e.g. with sample
 * weights). The loop, callbacks, History, `stopTraining`, shuffling and validation splitting
 * stay tfjs's own. A `tf.Sequential` trains through its inner `LayersModel`, so it is covered.
 * A model with a fused recurrent layer that the plan refuses gets a one-time notice with the
 * reason and the fix (./notice.ts), before its first progress line.
 */
import * as tf from '@tensorflow/tfjs';
import { planFusedStep } from './plan';
import { runFusedStep } from './step';
import { noticeFusedFallback } from './notice';

/** What the fused step did for a model (tests, the benchmark, curious readers). */
export interface FusedStepInfo {
  /** 'fused', or why the last `fit` used tfjs's train function. */
  train: string | null;
  /** 'fused', or why the last evaluation (validation, `evaluate`) used tfjs's test function. */
  test: string | null;
  /** Batches trained by the fused step. */
  trainSteps: number;
  /** Batches evaluated by the fused step. */
  testSteps: number;
  /** Batches of a fused plan that fell back to tfjs's function (e.g. sample weights). */
  fallbackBatches: number;
}

const infos = new WeakMap<object, FusedStepInfo>();

function infoOf(model: object): FusedStepInfo {
  let i = infos.get(model);
  if (!i) infos.set(model, (i = { train: null, test: null, trainSteps: 0, testSteps: 0, fallbackBatches: 0 }));
  return i;
}

/**
 * What the fused step did for `model` (a `tf.Sequential` is looked up through the
 * `LayersModel` it trains with): whether the last fit / evaluation used it, or why not.
 */
export function fusedStepInfo(model: tf.LayersModel): FusedStepInfo {
  const inner = (model as unknown as { model?: unknown }).model;
  const target = inner instanceof tf.LayersModel ? inner : model;
  return { ...infoOf(target) };
}

type TrainFn = (data: tf.Tensor[]) => tf.Scalar[];
type ModelInternals = {
  makeTrainFunction(): TrainFn;
  makeTestFunction(): void;
  testFunction: TrainFn;
};

/** A batch the fused step can take: inputs, targets and no sample weights. */
function plainBatch(data: tf.Tensor[]): boolean {
  return data.length >= 2 && data.slice(2).every((t) => t == null);
}

/** `planFusedStep`, with an unexpected error turned into a reason (the stock path then runs). */
function safePlan(model: tf.LayersModel, training: boolean): ReturnType<typeof planFusedStep> {
  try {
    return planFusedStep(model, training);
  } catch (e) {
    return `planning failed: ${(e as Error).message}`;
  }
}

/**
 * A train (`training`) or test function that runs the fused step for each plain batch and
 * tfjs's own `stock` function for a batch it cannot take (sample weights), counting both.
 */
function fusedOrStock(plan: Exclude<ReturnType<typeof planFusedStep>, string>, model: tf.LayersModel, stock: TrainFn, info: FusedStepInfo, training: boolean): TrainFn {
  return (data: tf.Tensor[]) => {
    const out = plainBatch(data) ? runFusedStep(plan, model, data[0], data[1], training) : null;
    if (!out) {
      info.fallbackBatches++;
      return stock(data);
    }
    if (training) info.trainSteps++;
    else info.testSteps++;
    return out.map((v) => tf.scalar(v));
  };
}

let installed = false;

/** Serves `fit`, `evaluate` and fit's validation with the fused step where it applies (idempotent). */
export function installFusedFit(): void {
  if (installed) return;
  installed = true;
  const proto = tf.LayersModel.prototype as unknown as ModelInternals;
  const stockTrain = proto.makeTrainFunction;
  const stockTest = proto.makeTestFunction;
  proto.makeTrainFunction = function (this: ModelInternals): TrainFn {
    const stock = stockTrain.call(this);
    const model = this as unknown as tf.LayersModel;
    const plan = safePlan(model, true);
    const info = infoOf(this);
    info.train = typeof plan === 'string' ? plan : 'fused';
    if (typeof plan === 'string') {
      noticeFusedFallback(model, plan);
      return stock;
    }
    return fusedOrStock(plan, model, stock, info, true);
  };
  proto.makeTestFunction = function (this: ModelInternals): void {
    stockTest.call(this);
    const stock = this.testFunction;
    const model = this as unknown as tf.LayersModel;
    const plan = safePlan(model, false);
    const info = infoOf(this);
    info.test = typeof plan === 'string' ? plan : 'fused';
    if (typeof plan === 'string') return;
    this.testFunction = fusedOrStock(plan, model, stock, info, false);
  };
}
