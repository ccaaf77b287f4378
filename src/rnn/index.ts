/**
 * RNN Notebook's recurrent library, in scope in every cell as `rnn`.
 *
 * Layer factories in tf.layers style with Keras defaults and Keras weight layouts, whose
 * recurrent layers run fused forward/BPTT kernels (WebAssembly SIMD, or typed-array JS),
 * plus a Keras-parity fused Adam and the data helpers (`./data`). See docs/ARCHITECTURE.md.
 *
 * ```js
 * const model = tf.sequential();
 * model.add(rnn.embedding({ inputDim: 10000, outputDim: 32, inputLength: 100 }));
 * model.add(rnn.lstm({ units: 5 }));
 * model.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
 * model.compile({ optimizer: rnn.adam(), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
 * ```
 */
import * as tf from '@tensorflow/tfjs';
import { Adam as AdamClass, type AdamArgs } from './optimizers/adam';
import { Bidirectional as BidirectionalClass, type BidirectionalLayerArgs, type MergeMode } from './layers/bidirectional';
import { Dense as DenseClass, type DenseLayerArgs } from './layers/dense';
import { Embedding as EmbeddingClass, type EmbeddingLayerArgs } from './layers/embedding';
import {
  GRU as GRUClass,
  LSTM as LSTMClass,
  SimpleRNN as SimpleRNNClass,
  type FusedRecurrent,
  type GRULayerArgs,
  type LSTMLayerArgs,
  type SimpleRNNLayerArgs,
} from './layers/recurrent';
import { installFastCpuKernels } from './kernels/cpu-kernels';
import { installFusedTfjsAdam } from './optimizers/tfjs-adam';
import { installStockRecurrentNotice } from './layers/stock-notice';
import { ready as compileKernels } from './kernels/index';
import { installFusedFit } from './train/index';
import { classExport } from './class-export';

export * from './data/index';
/** Gate activations, step predictions and gradient norms of trained layers (src/rnn/inspect). */
export * as inspect from './inspect/index';

/** The Keras-parity Adam class (`new rnn.Adam({...})`; calling it without `new` says to use `rnn.adam`). */
export const Adam = classExport(AdamClass, 'Adam', 'adam');
/** Instances of `rnn.Adam`. */
export type Adam = AdamClass;
/** The Keras `Bidirectional` layer class (`new rnn.Bidirectional(...)`, or `rnn.bidirectional`). */
export const Bidirectional = classExport(BidirectionalClass, 'Bidirectional', 'bidirectional');
/** Instances of `rnn.Bidirectional`. */
export type Bidirectional = BidirectionalClass;
/** The Keras `Dense` layer class (`new rnn.Dense(...)`, or `rnn.dense`). */
export const Dense = classExport(DenseClass, 'Dense', 'dense');
/** Instances of `rnn.Dense`. */
export type Dense = DenseClass;
/** The Keras `Embedding` layer class (`new rnn.Embedding(...)`, or `rnn.embedding`). */
export const Embedding = classExport(EmbeddingClass, 'Embedding', 'embedding');
/** Instances of `rnn.Embedding`. */
export type Embedding = EmbeddingClass;
/** The Keras `GRU` layer class (`new rnn.GRU(...)`, or `rnn.gru`). */
export const GRU = classExport(GRUClass, 'GRU', 'gru');
/** Instances of `rnn.GRU`. */
export type GRU = GRUClass;
/** The Keras `LSTM` layer class (`new rnn.LSTM(...)`, or `rnn.lstm`). */
export const LSTM = classExport(LSTMClass, 'LSTM', 'lstm');
/** Instances of `rnn.LSTM`. */
export type LSTM = LSTMClass;
/** The Keras `SimpleRNN` layer class (`new rnn.SimpleRNN(...)`, or `rnn.simpleRNN`). */
export const SimpleRNN = classExport(SimpleRNNClass, 'SimpleRNN', 'simpleRNN');
/** Instances of `rnn.SimpleRNN`. */
export type SimpleRNN = SimpleRNNClass;
export { FusedRecurrent } from './layers/recurrent';
export type {
  AdamArgs,
  BidirectionalLayerArgs,
  DenseLayerArgs,
  EmbeddingLayerArgs,
  GRULayerArgs,
  LSTMLayerArgs,
  SimpleRNNLayerArgs,
};
export type { RecurrentLayerArgs } from './layers/recurrent';
export type { MergeMode } from './layers/bidirectional';
export { resetLayerNames } from './names';
export { installFastCpuKernels } from './kernels/cpu-kernels';
export { installFusedTfjsAdam } from './optimizers/tfjs-adam';
export { installStockRecurrentNotice } from './layers/stock-notice';
export { installFusedFit, fusedStepInfo, setFusedTraining, type FusedStepInfo } from './train/index';
export { setKernelImplementation, kernelImplementationName, ready, warmUp, type KernelChoice } from './kernels/index';

installFastCpuKernels();
installFusedTfjsAdam();
installStockRecurrentNotice();
installFusedFit();

/** Keras `SimpleRNN` with fused kernels. Keras-style `rnn.simpleRNN(5, { returnSequences: true })` works too (units first). */
export function simpleRNN(args: SimpleRNNLayerArgs | number, more?: Omit<SimpleRNNLayerArgs, 'units'>): SimpleRNN {
  return new SimpleRNNClass(args, more);
}

/** Keras `LSTM` with fused kernels (sigmoid gates, unit forget bias). Keras-style `rnn.lstm(5, { returnSequences: true })` works too. */
export function lstm(args: LSTMLayerArgs | number, more?: Omit<LSTMLayerArgs, 'units'>): LSTM {
  return new LSTMClass(args, more);
}

/** Keras `GRU` with fused kernels (resetAfter true by default: 585 params for GRU(5) on 32 inputs); `rnn.gru(5)` works too. */
export function gru(args: GRULayerArgs | number, more?: Omit<GRULayerArgs, 'units'>): GRU {
  return new GRUClass(args, more);
}

/**
 * Keras `Bidirectional` around an `rnn.lstm` / `rnn.gru` / `rnn.simpleRNN` layer:
 * `rnn.bidirectional({ layer, mergeMode })`, or Keras-style `rnn.bidirectional(layer)`,
 * `rnn.bidirectional(layer, 'sum')`, `rnn.bidirectional(layer, { mergeMode: 'sum' })`.
 */
export function bidirectional(args: BidirectionalLayerArgs | FusedRecurrent, more?: Omit<BidirectionalLayerArgs, 'layer'> | MergeMode): Bidirectional {
  return new BidirectionalClass(args, more);
}

/** Keras `Embedding` with a scatter-add gradient. Keras-style `rnn.embedding(10000, 32, { maskZero: true })` works too. */
export function embedding(args: EmbeddingLayerArgs | number, outputDim?: number, more?: Omit<EmbeddingLayerArgs, 'inputDim' | 'outputDim'>): Embedding {
  return new EmbeddingClass(args, outputDim, more);
}

/** Keras `Dense` (glorot_uniform kernel). Keras-style `rnn.dense(1, { activation: 'sigmoid' })` works too. */
export function dense(args: DenseLayerArgs | number, more?: Omit<DenseLayerArgs, 'units'>): Dense {
  return new DenseClass(args, more);
}

/** Keras-parity Adam (ε = 1e-7), one fused update loop per variable; `rnn.adam(0.01)` sets the learning rate (Keras `Adam(0.01)`). */
export function adam(args: AdamArgs | number = {}): Adam {
  return new AdamClass(args);
}

/**
 * The tfjs backend these layers run fastest on: 'cpu'. The fused kernels work on typed
 * arrays, so a GPU backend would pay a download and upload per layer per batch (measured
 * in BENCHMARKS.md). The kernel worker calls `await tf.setBackend(rnn.preferredBackend)`.
 */
export const preferredBackend = 'cpu';

/** Sets the tfjs backend to `preferredBackend` and compiles the WebAssembly kernels. */
export async function useFastestBackend(): Promise<void> {
  await tf.setBackend(preferredBackend);
  await tf.ready();
  await compileKernels();
}
