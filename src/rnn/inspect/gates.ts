/**
 * Gate activations of a trained recurrent layer, step by step (`rnn.inspect.gates`).
 *
 * Keras and tfjs give no access to an LSTM's or GRU's gates. Here the layer's own fused
 * kernel runs forward on the input (the same call training makes) and the values it keeps
 * on its tape for backpropagation are read back out (kernels/readout.ts): what is shown is
 * exactly what the model computed, in float32, by the WebAssembly or the JS kernels.
 *
 * ```js
 * const trace = rnn.inspect.gates(model.layers[1], ids, { model });   // ids: [1, 100] token ids
 * trace.values.f[0][99]          // forget gate of every unit after the last word
 * rnn.inspect.stepPredictions(model, model.layers[1], trace)[0][99]   // = model.predict(ids)
 * ```
 *
 * Names per cell (Keras's gate order and the lessons' symbols):
 * - LSTM: `i` input gate, `f` forget gate, `candidate` c̃, `o` output gate, `c` cell state, `h`
 * - GRU: `z` update gate, `r` reset gate, `candidate` h̃, `h`
 * - SimpleRNN: `h`
 */
import * as tf from '@tensorflow/tfjs';
import { ACT_SIGMOID, ACT_TANH } from '../kernels/activations';
import { getKernels } from '../kernels/index';
import { readTape } from '../kernels/readout';
import { gatesOf, type CellKind, type SequenceSpec } from '../kernels/types';
import { Bidirectional } from '../layers/bidirectional';
import { FusedRecurrent } from '../layers/recurrent';
import { ValueError } from '../errors';

/** One recurrent layer's values at every step of every sequence of a batch. */
export interface GateTrace {
  /** The layer's name, e.g. 'lstm' or 'forward_gru'. */
  layer: string;
  /** 'LSTM', 'GRU' or 'SimpleRNN'. */
  kerasClassName: string;
  cell: CellKind;
  batch: number;
  steps: number;
  units: number;
  /**
   * True for a layer that reads its input backwards (`goBackwards`, the backward half of a
   * Bidirectional). Values are still indexed by input position: `values.h[b][t]` is the
   * state right after the layer read position t (having read positions T-1 down to t).
   */
  goBackwards: boolean;
  /** Which fused kernels computed the values ('wasm-simd' or 'js'). */
  kernels: string;
  /** The value names in display order (see the module comment). */
  names: string[];
  /** A short description of each name, e.g. f -> 'forget gate f'. */
  labels: Record<string, string>;
  /**
   * The range each value can take given the layer's activations ([0, 1] for a sigmoid gate,
   * [-1, 1] for tanh), or null when it is unbounded (the LSTM cell state, relu, linear).
   */
  ranges: Record<string, [number, number] | null>;
  /** name -> [batch][step][unit], steps in input order. */
  values: Record<string, number[][][]>;
}

/** Options of `gates`. */
export interface GatesOptions {
  /**
   * The model the layer belongs to. Given a model, `x` is the model's input (e.g. token ids)
   * and the layers before `layer` are run on it first; without one, `x` is the layer's own
   * input [batch, steps, features] (or [steps, features] for one sequence).
   */
  model?: tf.LayersModel;
}

type InputLike = tf.Tensor | number[] | number[][] | number[][][];

const NAMES: Record<CellKind, string[]> = {
  lstm: ['i', 'f', 'candidate', 'o', 'c', 'h'],
  gru: ['z', 'r', 'candidate', 'h'],
  simple: ['h'],
};

const LABELS: Record<string, string> = {
  i: 'input gate i',
  f: 'forget gate f',
  o: 'output gate o',
  c: 'cell state c',
  h: 'hidden state h',
  z: 'update gate z',
  r: 'reset gate r',
};

function rangeOf(code: number): [number, number] | null {
  if (code === ACT_SIGMOID) return [0, 1];
  if (code === ACT_TANH) return [-1, 1];
  return null;
}

function describe(layer: unknown): string {
  const l = layer as { name?: unknown; getClassName?: () => string } | null;
  if (l && typeof l.name === 'string') return `'${l.name}'`;
  return String(layer);
}

/** The model layer that holds `layer` (itself, or the Bidirectional wrapping it). */
export function ownerInModel(model: tf.LayersModel, layer: tf.layers.Layer): tf.layers.Layer {
  for (const l of model.layers) {
    if (l === layer) return l;
    if (l instanceof Bidirectional && (l.forwardLayer === layer || l.backwardLayer === layer)) return l;
  }
  throw new ValueError(`rnn.inspect: layer ${describe(layer)} is not a layer of model '${model.name}' (pass one of model.layers).`);
}

/** Runs the layers of `model` that come before `owner` on `x`: the input `owner` sees. */
export function inputOfLayer(model: tf.LayersModel, owner: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    if (model instanceof tf.Sequential) {
      let y = x;
      for (const l of model.layers) {
        if (l === owner) return y.clone();
        if (l.getClassName() === 'InputLayer') continue;
        // The readout runs the kernel without a mask, so a masked model would be shown wrongly.
        if (l.getClassName() === 'Masking' || (l as { maskZero?: boolean }).maskZero === true) {
          throw new ValueError(
            `rnn.inspect: layer '${l.name}' masks padding, and the gate readout does not follow masks yet; inspect a model without masking (e.g. copy the weights into one with maskZero: false and pass an unpadded review).`,
          );
        }
        y = l.apply(y) as tf.Tensor;
      }
      throw new ValueError(`rnn.inspect: layer '${owner.name}' is not in model '${model.name}'.`);
    }
    const sym = owner.input;
    if (Array.isArray(sym)) throw new ValueError(`rnn.inspect: layer '${owner.name}' has several inputs; pass its input directly (without 'model').`);
    if (model.inputs.includes(sym)) return x.clone();
    const sub = tf.model({ inputs: model.inputs, outputs: sym });
    return sub.predict(x) as tf.Tensor;
  });
}

function toTensor(x: InputLike, what: string): tf.Tensor {
  if (x instanceof tf.Tensor) return x;
  if (!Array.isArray(x)) throw new ValueError(`rnn.inspect.gates: ${what} must be a tensor or a nested array, got ${typeof x}.`);
  return tf.tensor(x as number[][]);
}

function nest(data: Float32Array, B: number, T: number, u: number, stride: number, offset: number, reverse: boolean): number[][][] {
  const out: number[][][] = [];
  for (let b = 0; b < B; b++) {
    const rows: number[][] = [];
    for (let t = 0; t < T; t++) {
      const s = reverse ? T - 1 - t : t; // kernel step that read input position t
      const base = (b * T + s) * stride + offset;
      rows.push(Array.from(data.subarray(base, base + u)));
    }
    out.push(rows);
  }
  return out;
}

/** Runs one recurrent layer's fused kernel on its input and reads the tape. */
function traceLayer(layer: FusedRecurrent, input: tf.Tensor): GateTrace {
  if (!layer.built) throw new ValueError(`rnn.inspect.gates: layer '${layer.name}' is not built yet (add it to a model, or call the model once).`);
  if (input.rank !== 3) {
    throw new ValueError(`rnn.inspect.gates: layer '${layer.name}' expects an input of shape [batch, steps, features], got [${input.shape.join(', ')}].`);
  }
  const [B, T, D] = input.shape as [number, number, number];
  const u = layer.units;
  const cell = layer.cellKind;
  const G = gatesOf(cell) * u;
  const weights = layer.getWeights();
  const expectD = weights[0].shape[0];
  if (D !== expectD) {
    throw new ValueError(`rnn.inspect.gates: layer '${layer.name}' was built for ${expectD} input features, the input has ${D}.`);
  }
  const spec: SequenceSpec = {
    cell,
    batch: B,
    steps: T,
    inputDim: D,
    units: u,
    act: layer.actCode,
    ract: layer.ractCode,
    resetAfter: layer.resetAfter,
  };
  const xData = tf.tidy(() => {
    let x = input.toFloat();
    if (layer.goBackwards) x = tf.reverse(x, 1);
    return x.dataSync() as Float32Array;
  });
  const data = weights.map((w) => w.dataSync() as Float32Array);
  const biasLen = cell === 'gru' && layer.resetAfter ? 2 * G : G;
  const bias = layer.useBias ? data[2] : new Float32Array(biasLen);
  const impl = getKernels();
  const result = impl.forward(spec, xData, data[0], data[1], bias);
  const tape = readTape(impl, spec, result);
  const rev = layer.goBackwards;
  const values: Record<string, number[][][]> = {};
  if (cell === 'lstm') {
    ['i', 'f', 'candidate', 'o'].forEach((n, k) => (values[n] = nest(tape.gates, B, T, u, G, k * u, rev)));
    values.c = nest(tape.c!, B, T, u, u, 0, rev);
  } else if (cell === 'gru') {
    ['z', 'r', 'candidate'].forEach((n, k) => (values[n] = nest(tape.gates, B, T, u, G, k * u, rev)));
  }
  values.h = nest(tape.h, B, T, u, u, 0, rev);
  const gate = rangeOf(layer.ractCode);
  const act = rangeOf(layer.actCode);
  const ranges: Record<string, [number, number] | null> = { i: gate, f: gate, o: gate, z: gate, r: gate, candidate: act, c: null };
  // h = o·act(c) (LSTM), a convex mix of h_{t-1} and h̃ (GRU) or act(·) (SimpleRNN): act's range.
  ranges.h = act;
  const names = NAMES[cell];
  const labels: Record<string, string> = {};
  for (const n of names) labels[n] = n === 'candidate' ? (cell === 'lstm' ? 'candidate c̃' : 'candidate h̃') : LABELS[n];
  return {
    layer: layer.name,
    kerasClassName: layer.kerasClassName,
    cell,
    batch: B,
    steps: T,
    units: u,
    goBackwards: rev,
    kernels: impl.name,
    names,
    labels,
    ranges: Object.fromEntries(names.map((n) => [n, ranges[n] ?? null])),
    values,
  };
}

/**
 * Runs `layer` on `x` with the fused kernels and returns its gate activations per step (see
 * `GateTrace`). `layer` is an `rnn.lstm`, `rnn.gru` or `rnn.simpleRNN` layer (also one half
 * of a Bidirectional: `bi.forwardLayer`, `bi.backwardLayer`), or a Bidirectional, which
 * returns `{ forward, backward }`. With `{ model }`, `x` is the model's input.
 */
export function gates(layer: FusedRecurrent, x: InputLike, options?: GatesOptions): GateTrace;
export function gates(layer: Bidirectional, x: InputLike, options?: GatesOptions): { forward: GateTrace; backward: GateTrace };
export function gates(
  layer: FusedRecurrent | Bidirectional,
  x: InputLike,
  options: GatesOptions = {},
): GateTrace | { forward: GateTrace; backward: GateTrace } {
  if (!(layer instanceof FusedRecurrent) && !(layer instanceof Bidirectional)) {
    throw new ValueError(`rnn.inspect.gates: 'layer' must be a layer made by rnn.lstm, rnn.gru, rnn.simpleRNN or rnn.bidirectional, got ${describe(layer)}.`);
  }
  for (const key of Object.keys(options ?? {})) {
    if (key !== 'model') throw new ValueError(`rnn.inspect.gates: unknown option '${key}' (the only option is 'model').`);
  }
  const xt = toTensor(x, 'x');
  const owned = xt !== x;
  let input: tf.Tensor;
  try {
    if (options.model) {
      input = inputOfLayer(options.model, ownerInModel(options.model, layer), xt);
    } else {
      input = xt.rank === 2 ? tf.expandDims(xt, 0) : xt.clone();
    }
  } finally {
    if (owned) xt.dispose();
  }
  try {
    if (layer instanceof Bidirectional) {
      return { forward: traceLayer(layer.forwardLayer, input), backward: traceLayer(layer.backwardLayer, input) };
    }
    return traceLayer(layer, input);
  } finally {
    input.dispose();
  }
}

/**
 * The model's prediction after each step: the layers after `layer` applied to every h_t of
 * `trace` (for a sentiment model, the positive probability after each word). Returns
 * [batch][step][outputs]; at the last step it equals `model.predict(x)`.
 *
 * Only for a Sequential model in which `layer` itself (not inside a Bidirectional) returns
 * its last state (`returnSequences: false`), so that what follows it reads one h.
 */
export function stepPredictions(model: tf.LayersModel, layer: FusedRecurrent, trace: GateTrace): number[][][] {
  if (!(model instanceof tf.Sequential)) throw new ValueError('rnn.inspect.stepPredictions: needs a tf.sequential model.');
  const at = model.layers.indexOf(layer);
  if (at < 0) throw new ValueError(`rnn.inspect.stepPredictions: layer ${describe(layer)} is not one of model.layers.`);
  if (layer.returnSequences || layer.returnState) {
    throw new ValueError(`rnn.inspect.stepPredictions: layer '${layer.name}' returns sequences or states; the head after it does not read a single h_t.`);
  }
  if (trace.layer !== layer.name) throw new ValueError(`rnn.inspect.stepPredictions: the trace is of layer '${trace.layer}', not '${layer.name}'.`);
  const { batch: B, steps: T, units: u } = trace;
  const flat = new Float32Array(B * T * u);
  let k = 0;
  for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let j = 0; j < u; j++) flat[k++] = trace.values.h[b][t][j];
  const out = tf.tidy(() => {
    let y: tf.Tensor = tf.tensor2d(flat, [B * T, u]);
    for (const l of model.layers.slice(at + 1)) y = l.apply(y) as tf.Tensor;
    return y.reshape([B, T, -1]).arraySync() as number[][][];
  });
  return out;
}
