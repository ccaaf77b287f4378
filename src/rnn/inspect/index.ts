/**
 * `rnn.inspect`: look inside a trained recurrent layer. `gates` returns the gate activations
 * per step (read from the fused kernels' own forward tape), `stepPredictions` the model's
 * prediction after each step, `inputGradientNorms` the size of ∂h_T/∂x_t over t (the
 * vanishing gradient, measured with the fused BPTT), `pca` the principal axes of a set of
 * hidden states (to draw a review's path through the state space).
 */
export { gates, stepPredictions, type GateTrace, type GatesOptions } from './gates';
export { inputGradientNorms } from './gradients';
export { pca, type PcaOptions, type PcaResult } from './pca';
