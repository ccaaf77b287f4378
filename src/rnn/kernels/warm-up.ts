/**
 * Runs every hot WebAssembly kernel on small made-up inputs, so that the engine has
 * optimized them before the first real batch.
 *
 * Why: V8 (Chromium) compiles WebAssembly in two tiers. A function first runs as quick
 * baseline code (Liftoff); once it has run enough, it is recompiled by the optimizing
 * compiler (TurboFan) on a background thread. Without a warm-up that happens during the
 * reader's first training run: traced on the LSTM lesson (1 epoch of 25,000 reviews, 2
 * cores), about 350 ms of background compiling in the first 0.7 s of the epoch, on a core the
 * page and the worker need, while the early batches run the slower baseline code. Warmed up
 * when the kernel loads tfjs, the compiling overlaps the data cell's downloads instead.
 *
 * The inputs are zeros and small constants in blocks of our own WebAssembly memory; no model,
 * tfjs tensor, layer name or random generator is touched, and every block is freed. The
 * shapes are small, so the baseline code runs them in tens of milliseconds (measured with a
 * trace and the page bench: BENCHMARKS.md).
 */
import type { WasmKernels } from './wasm';
import { ACT_SIGMOID, ACT_TANH } from './activations';
import { biasLength, gatesOf, outputSteps, type SequenceSpec } from './types';

/**
 * Rounds of the whole warm-up. One round already runs each kernel's loops past V8's tier-up
 * budget (`--wasm-tiering-budget`, about 1.8 MB of executed code per function); the second is
 * a margin.
 */
const ROUNDS = 2;

/** One forward + backward pass of each cell kind, with and without a mask. */
function sequences(k: WasmKernels): void {
  const base = { batch: 8, steps: 40, inputDim: 16, units: 8, act: ACT_TANH, ract: ACT_SIGMOID };
  const specs: SequenceSpec[] = [
    { ...base, cell: 'lstm', resetAfter: false },
    { ...base, cell: 'gru', resetAfter: true },
    { ...base, cell: 'gru', resetAfter: false },
    { ...base, cell: 'simple', resetAfter: false },
  ];
  for (const spec of specs) {
    const G = gatesOf(spec.cell) * spec.units;
    const x = new Float32Array(spec.batch * spec.steps * spec.inputDim).fill(0.1);
    const kernel = new Float32Array(spec.inputDim * G).fill(0.01);
    const recurrent = new Float32Array(spec.units * G).fill(0.01);
    const bias = new Float32Array(biasLength(spec));
    const mask = new Uint8Array(spec.batch * spec.steps).fill(1);
    const dOut = new Float32Array(spec.batch * outputSteps(spec) * spec.units).fill(0.01);
    for (const extras of [{}, { mask }]) {
      const { tape } = k.forwardResident(spec, x, kernel, recurrent, bias, extras);
      k.backward(spec, tape, dOut);
      k.releaseTape(tape);
    }
  }
}

/** The embedding's gather and scatter-add, and both Adam formulas. */
function tables(k: WasmKernels): void {
  const V = 64;
  const E = 16;
  const ids = new Int32Array(512).map((_, i) => i % V);
  const table = new Float32Array(V * E).fill(0.1);
  const out = k.heap.alloc(ids.length * E);
  const grad = k.heap.alloc(V * E);
  try {
    k.gather(ids, table, V, E, out);
    k.scatterAdd(ids, new Float32Array(ids.length * E).fill(0.01), V, E, grad, true);
  } finally {
    k.heap.free(out);
    k.heap.free(grad);
  }
  const n = 16384;
  const adam = k.createAdamState(n);
  try {
    const w = new Float32Array(n).fill(0.1);
    const g = new Float32Array(n).fill(0.01);
    adam.step(w, g, 1e-3, 0.9, 0.999, 1e-7);
    adam.stepTfjs(w, g, 1e-3, 0.9, 0.999, 1e-7, 10, 1000);
  } finally {
    adam.dispose();
  }
}

/**
 * Runs the warm-up (see the header) and returns the milliseconds it took on this thread.
 * Call it once, where a pause of tens of milliseconds goes unnoticed (the kernel worker
 * calls it right after loading tfjs).
 */
export function warmUpWasmKernels(k: WasmKernels, rounds = ROUNDS): number {
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    sequences(k);
    tables(k);
  }
  return performance.now() - t0;
}
