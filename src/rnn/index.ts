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
import { Adam, type AdamArgs } from './optimizers/adam';
import { Bidirectional, type BidirectionalLayerArgs } from './layers/bidirectional';
import { Dense, type DenseLayerArgs } from './layers/dense';
import { Embedding, type EmbeddingLayerArgs } from './layers/embedding';
import {
  GRU,
  LSTM,
  SimpleRNN,
  type GRULayerArgs,
  type LSTMLayerArgs,
  type SimpleRNNLayerArgs,
} from './layers/recurrent';
import { installFastCpuKernels } from './kernels/cpu-kernels';
import { installFusedTfjsAdam } from './optimizers/tfjs-adam';
import { installStockRecurrentNotice } from './layers/stock-notice';
import { ready as compileKernels } from './kernels/index';
import { installFusedFit } from './train/index';

export * from './data/index';
/** Gate activations, step predictions and gradient norms of trained layers (src/rnn/inspect). */
export * as inspect from './inspect/index';

export { Adam, Bidirectional, Dense, Embedding, GRU, LSTM, SimpleRNN };
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

/** Keras `SimpleRNN` with fused kernels. */
export function simpleRNN(args: SimpleRNNLayerArgs): SimpleRNN {
  return new SimpleRNN(args);
}

/** Keras `LSTM` with fused kernels (sigmoid gates, unit forget bias). */
export function lstm(args: LSTMLayerArgs): LSTM {
  return new LSTM(args);
}

/** Keras `GRU` with fused kernels (resetAfter true by default: 585 params for GRU(5) on 32 inputs). */
export function gru(args: GRULayerArgs): GRU {
  return new GRU(args);
}

/** Keras `Bidirectional` around an `rnn.lstm` / `rnn.gru` / `rnn.simpleRNN` layer. */
export function bidirectional(args: BidirectionalLayerArgs): Bidirectional {
  return new Bidirectional(args);
}

/** Keras `Embedding` with a scatter-add gradient. */
export function embedding(args: EmbeddingLayerArgs): Embedding {
  return new Embedding(args);
}

/** Keras `Dense` (glorot_uniform kernel). */
export function dense(args: DenseLayerArgs): Dense {
  return new Dense(args);
}

/** Keras-parity Adam (ε = 1e-7), one fused update loop per variable. */
export function adam(args: AdamArgs = {}): Adam {
  return new Adam(args);
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
