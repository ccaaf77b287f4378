/**
 * What both golden generators (generate.ts, generate-regularized.ts) share: the seeded PRNG,
 * drawing a model's weights in Keras `get_weights()` order, and the central difference they
 * check gradients with. The draws happen in a fixed order, so a case's numbers depend only on
 * its seed: changing the order here changes every fixture's bytes.
 */
import { recurrentWeightShapes, type LayerSpec, type Weight } from './reference';

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform draw in [lo, hi) from a PRNG. */
export type Uniform = (lo: number, hi: number) => number;

/** A `Uniform` over mulberry32 with the given seed. */
export function seededUniform(seed: number): Uniform {
  const rand = mulberry32(seed);
  return (lo, hi) => lo + (hi - lo) * rand();
}

/** Features per step (or per sample) a layer passes to the next one. */
export function outputDim(spec: LayerSpec): number {
  if (spec.type === 'bidirectional') return spec.mergeMode === 'concat' ? 2 * spec.layer.units : spec.layer.units;
  return spec.units;
}

/**
 * The recurrent layers' weights, layer by layer in Keras order (Bidirectional: the forward
 * copy's three, then the backward copy's), each value in U(-0.7, 0.7); and the width of the
 * last layer's output (the Dense layer's input).
 */
export function drawRecurrentWeights(layers: LayerSpec[], inputDim: number, uniform: Uniform): { weights: Weight[][]; outDim: number } {
  const weights: Weight[][] = [];
  let dim = inputDim;
  for (const spec of layers) {
    const shapes =
      spec.type === 'bidirectional'
        ? [...recurrentWeightShapes(spec.layer, dim), ...recurrentWeightShapes(spec.layer, dim)]
        : recurrentWeightShapes(spec, dim);
    weights.push(shapes.map((shape) => ({ shape, values: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => uniform(-0.7, 0.7)) })));
    dim = outputDim(spec);
  }
  return { weights, outDim: dim };
}

/** The Dense(1) head's kernel [inDim, 1] in U(-1, 1) and bias [1] in U(-0.2, 0.2). */
export function drawDenseWeights(inDim: number, uniform: Uniform): Weight[] {
  return [
    { shape: [inDim, 1], values: Array.from({ length: inDim }, () => uniform(-1, 1)) },
    { shape: [1], values: [uniform(-0.2, 0.2)] },
  ];
}

/** The step of every central difference: (f(v + h) - f(v - h)) / 2h. */
export const FD_STEP = 1e-6;

/**
 * Evaluates `f` with `values[i]` moved to `values[i] + FD_STEP`, then to `values[i] - FD_STEP`,
 * and restores it; returns both results.
 */
export function perturbed<T>(values: number[], i: number, f: () => T): [plus: T, minus: T] {
  const orig = values[i];
  values[i] = orig + FD_STEP;
  const plus = f();
  values[i] = orig - FD_STEP;
  const minus = f();
  values[i] = orig;
  return [plus, minus];
}

/** The relative error the generators bound (1e-5): |numeric - analytic| / max(1e-3, |numeric|). */
export function relError(numeric: number, analytic: number): number {
  return Math.abs(numeric - analytic) / Math.max(1e-3, Math.abs(numeric));
}
