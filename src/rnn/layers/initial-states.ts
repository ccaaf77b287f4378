/**
 * Initial states of a recurrent call, shared by the recurrent layers and Bidirectional, which
 * take them the same two ways as tfjs and Keras do:
 * - `layer.apply(x, { initialState })`: with symbolic tensors the states must become inputs of
 *   the model's node, so `applyWithInitialState` passes `[x, ...states]` to tfjs's `apply`;
 * - in `call`, they then arrive as the inputs after the first one, or (eager calls) still as
 *   `kwargs.initialState`: `initialStatesOf` reads either.
 */
import type * as tf from '@tensorflow/tfjs';

type Kwargs = Record<string, unknown>;
type ApplyInputs = tf.Tensor | tf.Tensor[] | tf.SymbolicTensor | tf.SymbolicTensor[];

/**
 * Calls `baseApply` (the layer's `super.apply`) with the initial states, when given in
 * `kwargs.initialState`, moved into the inputs; returns what it returns.
 */
export function applyWithInitialState(
  baseApply: (inputs: ApplyInputs, kwargs: Kwargs) => ApplyInputs,
  inputs: ApplyInputs,
  kwargs: Kwargs,
): ApplyInputs {
  const init = kwargs?.['initialState'] as ApplyInputs | undefined;
  if (init == null) return baseApply(inputs, kwargs);
  const x = Array.isArray(inputs) ? inputs[0] : inputs;
  const rest: Kwargs = { ...kwargs };
  delete rest['initialState'];
  return baseApply([x, ...(Array.isArray(init) ? init : [init])] as tf.Tensor[], rest);
}

/** The initial states of a concrete call (inputs after the first, or `kwargs.initialState`), or null. */
export function initialStatesOf(inputs: tf.Tensor[], kwargs: Kwargs | undefined): tf.Tensor[] | null {
  const kwInit = kwargs?.['initialState'] as tf.Tensor | tf.Tensor[] | undefined;
  if (kwInit != null) return Array.isArray(kwInit) ? kwInit : [kwInit];
  return inputs.length > 1 ? inputs.slice(1) : null;
}
