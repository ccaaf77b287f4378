/**
 * A one-time notice when a model that could train fused does not: it has a fused recurrent
 * layer (`rnn.lstm` / `gru` / `simpleRNN` / `bidirectional`) but ./plan.ts refused it, so
 * `fit` runs tfjs's op-by-op train function, several times slower (measured on the course's
 * IMDB LSTM, 2 cores: Adam fused 6 ms/step; optimizer 'sgd' 28 ms/step, 'rmsprop' 199 ms/step;
 * a `tf.layers.dropout` between the embedding and the LSTM 8.6x slower). Printed on the
 * cell's stderr (console.warn, as the stock-layer notice in layers/stock-notice.ts), before
 * the first progress line, once per model and reason, with the reason and what to write.
 *
 * No notice when nothing the reader writes would help (another backend, the JavaScript
 * kernels, `setFusedTraining(false)`), nor for models without a fused recurrent layer (a
 * stock recurrent layer has its own notice; dense-only models are fast either way).
 */
import type * as tf from '@tensorflow/tfjs';
import { Bidirectional } from '../layers/bidirectional';
import { FusedRecurrent } from '../layers/recurrent';

const ENVIRONMENT = [/turned off/, /^backend /, /WebAssembly kernels/, /^planning failed/];

/** How much slower, and what to write instead, for a reason of ./plan.ts. */
function advice(reason: string): { slower: string; fix: string } {
  if (/optimizer/.test(reason)) {
    const slower = /'rmsprop'/.test(reason) ? 'about 30x slower' : /'sgd'/.test(reason) ? 'about 5x slower' : 'several times slower';
    return { slower, fix: "Use optimizer: 'adam' or rnn.adam({ learningRate }) to train fused." };
  }
  if (/\((Dropout|SpatialDropout1D|GaussianDropout|AlphaDropout)\)/.test(reason)) {
    return {
      slower: 'about 9x slower',
      fix:
        "Use the recurrent layer's own dropout instead, which stays fused: rnn.lstm({ units, dropout: 0.2 }) " +
        '(Keras LSTM(dropout=0.2): one mask per sequence, like spatialDropout1d); recurrentDropout drops the state.',
    };
  }
  if (/is not supported by the fused step/.test(reason)) {
    return { slower: 'several times slower', fix: 'The fused step trains [embedding ->] rnn.lstm / gru / simpleRNN / bidirectional layers -> dense layers.' };
  }
  if (/^the loss /.test(reason)) return { slower: 'several times slower', fix: "The fused step computes loss 'binaryCrossentropy' and 'meanSquaredError'." };
  if (/metric/.test(reason)) return { slower: 'several times slower', fix: "The fused step computes metrics: ['accuracy'] (binary) only." };
  if (/regulari|constraint/.test(reason)) return { slower: 'several times slower', fix: 'Regularizers and constraints run on the stock path (Keras semantics); remove them to train fused.' };
  if (/fused: false/.test(reason)) return { slower: 'several times slower', fix: 'Remove fused: false to train fused.' };
  return { slower: 'several times slower', fix: 'See rnn.fusedStepInfo(model).train for the reason.' };
}

/** The notice for a model the fused step refused with `reason` (exported for tests). */
export function fusedFallbackNotice(reason: string): string {
  const { slower, fix } = advice(reason);
  return `Slow training: this model is not trained by the fused step (${reason}), so fit runs tfjs's op-by-op path, ${slower}. ${fix}`;
}

const told = new WeakMap<object, Set<string>>();

/** Prints the notice for `model` (a LayersModel being fit) when it applies and was not printed yet. */
export function noticeFusedFallback(model: tf.LayersModel, reason: string): void {
  if (ENVIRONMENT.some((r) => r.test(reason))) return;
  const hasFused = (model.layers as tf.layers.Layer[]).some((l) => l instanceof FusedRecurrent || l instanceof Bidirectional);
  if (!hasFused) return;
  let seen = told.get(model);
  if (!seen) told.set(model, (seen = new Set()));
  if (seen.has(reason)) return;
  seen.add(reason);
  console.warn(fusedFallbackNotice(reason));
}
