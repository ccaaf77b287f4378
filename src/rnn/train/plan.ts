/**
 * When a whole model can train as one fused step (./step.ts), decided once per `fit`.
 *
 * Applies (returns a `FusedPlan`) when all of these hold; otherwise returns the reason, and
 * tfjs's own train / test function runs unchanged (never different numbers):
 * - the cpu backend with the WebAssembly kernels (the JS-kernel fallback keeps tfjs's path);
 * - one input, one output, a chain of layers each used once (`tf.sequential` or the same
 *   written with `tf.model`): optionally an embedding (`rnn.embedding` or `tf.layers.embedding`,
 *   no regularizer / constraint; with `maskZero` its mask, id != 0, reaches every recurrent
 *   layer as Keras passes it on), then one or more fused recurrent layers
 *   (`rnn.lstm` / `gru` / `simpleRNN`, `fused` on, with bias (dropout and recurrentDropout
 *   are served, with the layer's own masks; goBackwards too), no returnState / stateful, no
 *   regularizer / constraint; or `rnn.bidirectional` over two such layers, merge mode
 *   concat / sum / mul / ave); all but the last
 *   return sequences, the last does not), then one or more dense layers (`rnn.dense` or
 *   `tf.layers.dense`, activation linear / sigmoid / tanh / relu, no regularizer / constraint);
 * - every layer trainable, and the model's trainable weights exactly those layers' weights;
 * - loss `binaryCrossentropy` or `meanSquaredError` (tfjs-layers' own functions, by identity),
 *   metrics only `accuracy` / `acc` when tfjs resolves them to binary accuracy;
 * - training only: optimizer `rnn.adam(...)` or tfjs's Adam (`'adam'`, `tf.train.adam`) served
 *   by the fused tfjs Adam (optimizers/tfjs-adam.ts).
 * Per batch (./install.ts): sample weights (`sampleWeight`, `classWeight`) fall back.
 */
import * as tf from '@tensorflow/tfjs';
import { getWasmKernels } from '../kernels/index';
import type { WasmKernels } from '../kernels/wasm';
import { Embedding } from '../layers/embedding';
import { Bidirectional } from '../layers/bidirectional';
import { FusedRecurrent } from '../layers/recurrent';
import { Adam } from '../optimizers/adam';
import { fusedTfjsAdamInstalled } from '../optimizers/tfjs-adam';
import { Dense } from '../layers/dense';
import { ACT_LINEAR, ACT_RELU, ACT_SIGMOID, ACT_TANH } from '../kernels/activations';
import { kerasLayerName } from '../names';

/** Loss functions the fused step computes (tfjs-layers' definitions). */
export type FusedLoss = 'binaryCrossentropy' | 'meanSquaredError';

/** The embedding at the start of the chain. */
export interface EmbeddingStage {
  table: tf.Variable;
  vocab: number;
  dim: number;
  /**
   * `maskZero`: the mask [batch, steps] is `input != 0` (both embeddings compare the input as
   * given, before any cast), and every recurrent layer gets it (a layer that returns sequences
   * passes its input mask on; the last one returns no mask, so the dense layers get none).
   */
  maskZero: boolean;
}

/** One direction of a recurrent stage: a fused recurrent layer and its weights. */
export interface RecurrentDirection {
  layer: FusedRecurrent;
  kernel: tf.Variable;
  recurrentKernel: tf.Variable;
  bias: tf.Variable;
  /** goBackwards: the layer reads the sequence from its end (its outputs come in that order). */
  backwards: boolean;
}

/**
 * One recurrent layer of the chain: a fused recurrent layer (one direction), or an
 * `rnn.bidirectional` wrapper (two: its forward layer, then its backward layer), whose outputs
 * are merged as Keras's Bidirectional does (the backward sequence reversed back to time order
 * first when sequences are returned).
 */
export interface RecurrentStage {
  /** The layer of the model (the wrapper for Bidirectional), for messages. */
  name: string;
  dirs: RecurrentDirection[];
  /** How two directions merge (Bidirectional's mergeMode); null with one direction. */
  merge: 'concat' | 'sum' | 'mul' | 'ave' | null;
  /** Units of each direction. */
  units: number;
  /** Width of the stage's output: 2 · units for 'concat', else units. */
  outDim: number;
  /** Whether it returns the whole sequence (every layer but the last). */
  sequence: boolean;
}

/** One dense layer (input [batch, features]). */
export interface DenseStage {
  kernel: tf.Variable;
  bias: tf.Variable | null;
  inDim: number;
  units: number;
  /** ACT_* code (kernels/activations.ts). */
  act: number;
}

/** A model the fused step can run: its stages, loss, metrics and optimizer. */
export interface FusedPlan {
  wk: WasmKernels;
  embedding: EmbeddingStage | null;
  recurrent: RecurrentStage[];
  dense: DenseStage[];
  loss: FusedLoss;
  /** One entry per metric of the model, in order (only binary accuracy is supported). */
  metrics: 'binaryAccuracy'[];
  /** The model's trainable variables in its own order (collectedTrainableWeights): the optimizer's order. */
  variables: tf.Variable[];
  /** The optimizer (training plans only). */
  optimizer: { kind: 'rnn'; opt: Adam } | { kind: 'tfjs'; opt: tf.AdamOptimizer } | null;
}

type AnyLayer = tf.layers.Layer & Record<string, unknown>;
type LossFn = (...a: unknown[]) => unknown;

let probed: { bce: LossFn; mse: LossFn; binaryAccuracy: LossFn } | null = null;

/**
 * tfjs-layers' own loss and metric functions, found by compiling a tiny model with explicit
 * names (tfjs does not export them, and bundlers rename functions, so identity is the only
 * reliable test).
 */
function tfjsLossFunctions(): { bce: LossFn; mse: LossFn; binaryAccuracy: LossFn } {
  if (probed) return probed;
  const input = tf.input({ shape: [1], name: 'rnn_fused_fit_probe_input' });
  const layer = tf.layers.dense({ units: 1, name: 'rnn_fused_fit_probe_dense' });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor, name: 'rnn_fused_fit_probe' });
  const read = (loss: string) => {
    model.compile({ optimizer: tf.train.sgd(0.1), loss, metrics: ['acc'] });
    const m = model as unknown as { lossFunctions: LossFn[]; metricsTensors: [LossFn, number][] };
    return { loss: m.lossFunctions[0], acc: m.metricsTensors[0][0] };
  };
  const bce = read('binaryCrossentropy');
  const mse = read('meanSquaredError');
  model.dispose();
  probed = { bce: bce.loss, mse: mse.loss, binaryAccuracy: bce.acc };
  return probed;
}

let enabled = true;

/** Turns the fused training step on or off for later `fit` / `evaluate` calls (default on). */
export function setFusedTraining(on: boolean): void {
  if (typeof on !== 'boolean') throw new Error(`setFusedTraining: expected true or false, got ${String(on)}.`);
  enabled = on;
}

/** Whether the fused training step is on (`setFusedTraining`). */
export function fusedTrainingEnabled(): boolean {
  return enabled;
}

function variableOf(w: unknown): tf.Variable | null {
  const lv = w as tf.LayerVariable | null | undefined;
  if (!lv || typeof (lv as { read?: unknown }).read !== 'function') return null;
  return lv.read() as tf.Variable;
}

function denseAct(layer: AnyLayer): number | null {
  const a = layer['activation'] as { getClassName?(): string } | null;
  const name = a?.getClassName?.() ?? 'linear';
  return ({ linear: ACT_LINEAR, sigmoid: ACT_SIGMOID, tanh: ACT_TANH, relu: ACT_RELU } as Record<string, number>)[name] ?? null;
}

/** A stock tfjs recurrent layer (its own notice, layers/stock-notice.ts, says what to write). */
const isTfjsRecurrent = (l: AnyLayer) => !(l instanceof FusedRecurrent) && ['LSTM', 'GRU', 'SimpleRNN', 'RNN', 'Bidirectional'].includes(l.getClassName());

/** An optimizer's Keras string name where it has one (`RMSProp` -> `'rmsprop'`), else its class name. */
function optimizerName(opt: unknown): string {
  const cls = (opt as { getClassName?(): string } | null)?.getClassName?.() ?? String(opt);
  const keras: Record<string, string> = { RMSProp: 'rmsprop', SGD: 'sgd', Momentum: 'sgd with momentum', Adagrad: 'adagrad', Adadelta: 'adadelta', Adamax: 'adamax' };
  return keras[cls] !== undefined ? `'${keras[cls]}'` : cls;
}

const isTfjsEmbedding = (l: AnyLayer) => l.getClassName() === 'Embedding' && 'embeddingsRegularizer' in l && 'embeddings' in l;
const isTfjsDense = (l: AnyLayer) => l.getClassName() === 'Dense' && 'kernelRegularizer' in l && 'units' in l;

/**
 * The fused plan of `model`, or why it does not apply. `training` also requires a supported
 * optimizer (evaluation does not use one).
 */
export function planFusedStep(model: tf.LayersModel, training: boolean): FusedPlan | string {
  if (!enabled) return 'the fused step is turned off (setFusedTraining(false))';
  if (tf.getBackend() !== 'cpu') return `backend '${tf.getBackend()}' (the fused step runs on cpu)`;
  const wk = getWasmKernels();
  if (!wk) return 'the WebAssembly kernels are not in use';
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return 'the model has several inputs or outputs';
  const layers = (model.layers as AnyLayer[]).filter((l) => l.getClassName() !== 'InputLayer');
  if (layers.length === 0) return 'no layers';
  // A chain: each layer called once, on the previous layer's single output.
  for (const [i, l] of layers.entries()) {
    const nodes = l.inboundNodes as unknown as { inboundLayers: tf.layers.Layer[]; inputTensors: unknown[] }[];
    if (nodes.length !== 1 || nodes[0].inboundLayers.length !== 1 || nodes[0].inputTensors.length !== 1) return `layer '${kerasLayerName(l)}' is not in a simple chain`;
    const from = nodes[0].inboundLayers[0] as AnyLayer;
    if (i === 0 ? from.getClassName() !== 'InputLayer' : from !== layers[i - 1]) return `layer '${kerasLayerName(l)}' is not in a simple chain`;
    if ((l.outboundNodes as unknown[]).length > 1) return `layer '${kerasLayerName(l)}' is used more than once`;
    if (!l.trainable) return `layer '${kerasLayerName(l)}' is not trainable`;
    if (l.losses.length > 0) return `layer '${kerasLayerName(l)}' has regularization losses`;
  }
  if ((model.outputs[0] as tf.SymbolicTensor).sourceLayer !== layers[layers.length - 1]) return 'the output is not the last layer';
  let k = 0;
  let embedding: EmbeddingStage | null = null;
  const first = layers[0];
  if (first instanceof Embedding || isTfjsEmbedding(first)) {
    const ours = first instanceof Embedding;
    const f = first as AnyLayer;
    const regs = ours ? [f['embeddingsRegularizer'], f['embeddingsConstraint'], f['activityRegularizerArg']] : [f['embeddingsRegularizer'], f['embeddingsConstraint'], f['activityRegularizer']];
    if (regs.some((r) => r != null)) return 'the embedding has a regularizer or constraint';
    const table = variableOf(f['embeddings']);
    if (!table) return 'the embedding is not built';
    embedding = { table, vocab: f['inputDim'] as number, dim: f['outputDim'] as number, maskZero: f['maskZero'] === true };
    k = 1;
  }
  const recurrent: RecurrentStage[] = [];
  /** One direction, or the reason it cannot be fused. */
  const direction = (l: FusedRecurrent & Record<string, unknown>): RecurrentDirection | string => {
    const what = `${l.kerasClassName} '${kerasLayerName(l)}'`;
    if (!l.fused) return `${what} uses the reference path (fused: false)`;
    if (l.returnState || l.stateful) return `${what} has returnState or stateful`;
    if (!l.useBias) return `${what} has no bias`;
    if (Object.values(l.weightArgs).some((v) => v != null)) return `${what} has a regularizer or constraint`;
    const kernel = variableOf(l['kernelVar']);
    const recurrentKernel = variableOf(l['recurrentVar']);
    const bias = variableOf(l['biasVar']);
    if (!kernel || !recurrentKernel || !bias) return `${what} is not built`;
    return { layer: l, kernel, recurrentKernel, bias, backwards: l.goBackwards };
  };
  for (; k < layers.length && (layers[k] instanceof FusedRecurrent || layers[k] instanceof Bidirectional); k++) {
    const l = layers[k];
    if (l instanceof Bidirectional) {
      const what = `Bidirectional '${kerasLayerName(l)}'`;
      if (l.mergeMode === null) return `${what} has mergeMode null (two outputs)`;
      if ((l as unknown as Record<string, unknown>)['activityRegularizerArg'] != null) return `${what} has an activity regularizer`;
      const f = direction(l.forwardLayer as FusedRecurrent & Record<string, unknown>);
      if (typeof f === 'string') return f;
      const b = direction(l.backwardLayer as FusedRecurrent & Record<string, unknown>);
      if (typeof b === 'string') return b;
      const u = f.layer.units;
      if (b.layer.units !== u || b.layer.returnSequences !== f.layer.returnSequences) return `${what}: the two layers differ in units or returnSequences`;
      recurrent.push({ name: l.name, dirs: [f, b], merge: l.mergeMode, units: u, outDim: l.mergeMode === 'concat' ? 2 * u : u, sequence: f.layer.returnSequences });
    } else {
      const d = direction(l as FusedRecurrent & Record<string, unknown>);
      if (typeof d === 'string') return d;
      const u = d.layer.units;
      recurrent.push({ name: l.name, dirs: [d], merge: null, units: u, outDim: u, sequence: d.layer.returnSequences });
    }
  }
  if (recurrent.length === 0) {
    const l = layers[k];
    if (l && !isTfjsRecurrent(l)) return `layer '${kerasLayerName(l)}' (${l.getClassName()}) before the recurrent layer is not supported by the fused step`;
    return 'no fused recurrent layer after the input / embedding';
  }
  for (const [i, r] of recurrent.entries()) {
    const last = i === recurrent.length - 1;
    if (r.sequence === last) return last ? `the last recurrent layer '${r.name}' returns sequences` : `recurrent layer '${r.name}' does not return sequences`;
  }
  const dense: DenseStage[] = [];
  for (; k < layers.length; k++) {
    const l = layers[k];
    if (!(l instanceof Dense) && !isTfjsDense(l)) return `layer '${kerasLayerName(l)}' (${l.getClassName()}) is not supported by the fused step`;
    const act = denseAct(l);
    if (act === null) return `dense layer '${kerasLayerName(l)}' has an unsupported activation`;
    const regs = l instanceof Dense ? Object.values((l as unknown as { kerasWeightArgs: Record<string, unknown> }).kerasWeightArgs) : [];
    regs.push(l['kernelRegularizer'], l['biasRegularizer'], l['activityRegularizer'], l['kernelConstraint'], l['biasConstraint']);
    if (regs.some((r) => r != null)) return `dense layer '${kerasLayerName(l)}' has a regularizer or constraint`;
    const kernel = variableOf(l['kernel']);
    if (!kernel || kernel.shape.length !== 2) return `dense layer '${kerasLayerName(l)}' is not built`;
    const bias = l['useBias'] ? variableOf(l['bias']) : null;
    if (l['useBias'] && !bias) return `dense layer '${kerasLayerName(l)}' is not built`;
    dense.push({ kernel, bias, inDim: kernel.shape[0], units: kernel.shape[1], act });
  }
  if (dense.length === 0) return 'no dense layer at the end';
  // Losses and metrics, by identity with tfjs-layers' own functions.
  const m = model as unknown as { lossFunctions?: LossFn[]; metricsTensors?: [LossFn, number][]; collectedTrainableWeights?: tf.LayerVariable[] };
  if (!m.lossFunctions || m.lossFunctions.length !== 1) return 'the model is not compiled with one loss';
  const fns = tfjsLossFunctions();
  const loss: FusedLoss | null = m.lossFunctions[0] === fns.bce ? 'binaryCrossentropy' : m.lossFunctions[0] === fns.mse ? 'meanSquaredError' : null;
  if (!loss) return 'the loss is not binaryCrossentropy or meanSquaredError';
  const metrics: 'binaryAccuracy'[] = [];
  for (const [fn] of m.metricsTensors ?? []) {
    if (fn !== fns.binaryAccuracy) return 'a metric other than (binary) accuracy';
    metrics.push('binaryAccuracy');
  }
  // The model's trainable weights must be exactly the stages' weights.
  const ours = new Set<tf.Variable>();
  if (embedding) ours.add(embedding.table);
  for (const r of recurrent) for (const d of r.dirs) [d.kernel, d.recurrentKernel, d.bias].forEach((v) => ours.add(v));
  for (const d of dense) [d.kernel, d.bias].forEach((v) => v && ours.add(v));
  const collected = (m.collectedTrainableWeights ?? model.trainableWeights).map((w) => w.read() as tf.Variable);
  if (collected.length !== ours.size || collected.some((v) => !ours.has(v))) return 'the trainable weights differ from the layers\' weights';
  if ([...ours].some((v) => v.dtype !== 'float32')) return 'a weight is not float32';
  let optimizer: FusedPlan['optimizer'] = null;
  if (training) {
    const opt = model.optimizer as unknown;
    // Not `instanceof`: tf.Optimizer's Symbol.hasInstance accepts any optimizer.
    if (Adam.prototype.isPrototypeOf(opt as object)) optimizer = { kind: 'rnn', opt: opt as Adam };
    else if (tf.AdamOptimizer.prototype.isPrototypeOf(opt as object) && fusedTfjsAdamInstalled()) optimizer = { kind: 'tfjs', opt: opt as tf.AdamOptimizer };
    else return `the optimizer is not Adam (rnn.adam, 'adam' or tf.train.adam): it is ${optimizerName(opt)}`;
  }
  return { wk, embedding, recurrent, dense, loss, metrics, variables: collected, optimizer };
}
