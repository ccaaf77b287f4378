/**
 * Golden tests: the fused layers (JS and WebAssembly kernels) and the unfused reference
 * path against the float64 Keras-semantics fixtures in tests/golden/rnn (see its README):
 * forward outputs of every layer, probabilities, loss, and the gradients of the binary
 * cross-entropy loss w.r.t. every weight, to 1e-5. Cases with a mask, initial states or
 * dropout (with the fixture's masks injected through `dropoutMaskSource`, in training) also
 * check the initial states' gradients, and run the masked models through tfjs's own
 * executor (tf.layers.masking in front) as a user's model would.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';
import { describeEveryPath, expectClose, GOLDEN_TOL as TOL, loadGoldenFixtures, makeRecurrent, type DropMasks, type GoldenFixture as Fixture } from './golden-fixtures';

/** Makes a layer draw the fixture's dropout masks ([count][batch][width], flattened). */
function injectMasks(l: rnn.FusedRecurrent, d: DropMasks | undefined): void {
  if (!d) return;
  l.dropoutMaskSource = (kind, count, batch, width) => {
    const m = kind === 'input' ? d.dropIn : d.dropRec;
    if (!m) throw new Error(`no ${kind} masks in the fixture`);
    expect([m.length, m[0].length, m[0][0].length]).toEqual([count, batch, width]);
    return Float32Array.from(m.flat(2));
  };
}

function buildLayers(fx: Fixture, fused: boolean): tf.layers.Layer[] {
  const layers: tf.layers.Layer[] = fx.model.layers.map((spec, li) => {
    const drops = fx.drops?.[li] ?? null;
    if (spec.type === 'bidirectional') {
      const bi = rnn.bidirectional({ layer: makeRecurrent(spec.layer, { fused }), mergeMode: spec.mergeMode });
      injectMasks(bi.forwardLayer, drops?.[0]);
      injectMasks(bi.backwardLayer, drops?.[1]);
      return bi;
    }
    const l = makeRecurrent(spec, { fused });
    injectMasks(l, drops?.[0]);
    return l;
  });
  layers.push(rnn.dense({ units: 1, activation: 'sigmoid' }));
  return layers;
}

/** Runs the layers eagerly, passing the mask along as Keras does, with initial states. */
function runLayers(fx: Fixture, layers: tf.layers.Layer[], x: tf.Tensor, states: tf.Tensor[][], each?: (i: number, h: tf.Tensor) => void): tf.Tensor {
  const training = (fx.drops ?? []).some((d) => d != null);
  let h: tf.Tensor = x;
  let mask: tf.Tensor | null = fx.mask ? tf.tensor2d(fx.mask).cast('bool') : null;
  layers.forEach((l, i) => {
    const kwargs: Record<string, unknown> = { training };
    if (mask) kwargs.mask = mask;
    if (states[i]?.length) kwargs.initialState = states[i];
    const out = l.apply(h, kwargs) as tf.Tensor;
    mask = i < layers.length - 1 ? ((l.computeMask(h, mask ?? undefined) as tf.Tensor | null) ?? null) : null;
    h = out;
    each?.(i, h);
  });
  return h;
}

function runCase(fx: Fixture, fused: boolean): void {
  const model = tf.sequential();
  const layers = buildLayers(fx, fused);
  model.add(tf.layers.inputLayer({ inputShape: [fx.steps, fx.inputDim] }));
  if (fx.mask) model.add(tf.layers.masking({ maskValue: 0 }));
  layers.forEach((l) => model.add(l));
  const flat = fx.weights.flat();
  model.setWeights(flat.map((w) => tf.tensor(w.values, w.shape)));
  const x = tf.tensor3d(fx.x);
  const y = tf.tensor2d(fx.y.map((v) => [v]));
  const stateVars = (fx.states ?? []).map((st) => (st ? st.map((s) => tf.variable(tf.tensor2d(s))) : []));
  // Forward: every layer's output.
  runLayers(fx, layers, x, stateVars, (i, h) => {
    const expected = i < fx.layerOutputs.length ? fx.layerOutputs[i] : fx.probs;
    expectClose(h.dataSync(), (expected as number[]).flat(3) as number[], `${fx.name} layer ${i} output`);
  });
  // A masked model run by tfjs's executor (Masking layer -> computeMask -> our layers).
  if (fx.mask && !stateVars.some((s) => s.length) && !(fx.drops ?? []).some((d) => d)) {
    expectClose((model.predict(x) as tf.Tensor).dataSync(), fx.probs.flat(), `${fx.name} model.predict`);
  }
  // Gradients of the mean binary cross-entropy, w.r.t. the weights and initial states.
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const flatStates = stateVars.flat();
  const { value, grads } = tf.variableGrads(() => {
    const p = runLayers(fx, layers, x, stateVars);
    return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))))) as tf.Scalar;
  }, [...vars, ...(flatStates as tf.Variable[])]);
  expect(Math.abs(value.dataSync()[0] - fx.loss)).toBeLessThanOrEqual(TOL);
  const expectedGrads = fx.grads.flat();
  expect(vars.length).toBe(expectedGrads.length);
  vars.forEach((v, i) => expectClose(grads[v.name].dataSync(), expectedGrads[i], `${fx.name} grad of ${v.name}`));
  stateVars.forEach((sv, li) =>
    sv.forEach((v, si) => expectClose(grads[v.name].dataSync(), fx.stateGrads[li]![si].flat(), `${fx.name} layer ${li} initial state ${si}`)),
  );
  tf.dispose([x, y, value, ...Object.values(grads), ...flatStates]);
  model.dispose();
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('golden fixtures (Keras semantics, float64 reference)', () => {
  const fixtures = loadGoldenFixtures();
  it('has all the required cases', () => {
    const names = fixtures.map((f) => f.name);
    for (const n of [
      'simple_rnn',
      'lstm',
      'gru_reset_after',
      'gru_reset_before',
      'stacked',
      'bidirectional_lstm_concat',
      'lstm_relu_activation',
      'gru_tanh_gates_linear',
      'lstm_mask_post',
      'gru_mask_pre_stacked',
      'mask_mixed_backwards_reset_before',
      'bidirectional_lstm_mask_sequences',
      'lstm_initial_state_mask',
      'bidirectional_simple_initial_state',
      'lstm_dropout_recurrent_mask',
      'gru_recurrent_dropout',
      'simple_rnn_dropout_both',
      'bidirectional_lstm_dropout',
    ]) {
      expect(names).toContain(n);
    }
  });
  describeEveryPath(fixtures, runCase, 'unfused reference path (per-timestep tfjs ops)');
});
