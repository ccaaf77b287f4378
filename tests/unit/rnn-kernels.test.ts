/**
 * The two fused kernel implementations agree: typed-array JS (the fallback) and
 * WebAssembly SIMD, on shapes larger than the golden fixtures, for every cell kind and
 * activation, forward and backward; the WASM vector math matches Math.exp/Math.tanh; the
 * Adam steps agree; the fast cpu kernels (GatherV2, UnsortedSegmentSum) match definitions.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as rnn from '../../src/rnn/index';
import { ACT_LINEAR, ACT_RELU, ACT_SIGMOID, ACT_TANH } from '../../src/rnn/kernels/activations';
import { jsKernels } from '../../src/rnn/kernels/js';
import type { SequenceSpec } from '../../src/rnn/kernels/types';
import { biasLength, gatesOf } from '../../src/rnn/kernels/types';
import { tryCompileWasmKernelsSync, instantiateWasmExports } from '../../src/rnn/kernels/wasm';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a * 1664525 + 1013904223) >>> 0;
    return a / 4294967296 - 0.5;
  };
}

function maxRelErr(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1e-2 + Math.abs(b[i])));
  return worst;
}

const wasm = tryCompileWasmKernelsSync();

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('WebAssembly SIMD kernels', () => {
  it('compile in Node', () => {
    expect(wasm).not.toBeNull();
    expect(wasm!.name).toBe('wasm-simd');
  });

  it('vector exp/tanh/sigmoid match Math to float32 precision', () => {
    const ex = instantiateWasmExports()!;
    const n = 4096;
    const ptr = (Number(ex.__heap_base.value) + 15) & ~15;
    if (ex.memory.buffer.byteLength < ptr + n * 4) ex.memory.grow(1);
    const xs = Float32Array.from({ length: n }, (_, i) => -20 + (40 * i) / n);
    for (const [code, ref] of [
      [ACT_TANH, Math.tanh],
      [ACT_SIGMOID, (x: number) => 1 / (1 + Math.exp(-x))],
      [ACT_RELU, (x: number) => Math.max(0, x)],
      [ACT_LINEAR, (x: number) => x],
    ] as const) {
      const buf = new Float32Array(ex.memory.buffer, ptr, n);
      buf.set(xs);
      ex.apply_activation(code, ptr, n);
      const out = new Float32Array(ex.memory.buffer, ptr, n);
      for (let i = 0; i < n; i++) expect(Math.abs(out[i] - ref(xs[i]))).toBeLessThan(3e-7 + 2e-7 * Math.abs(ref(xs[i])));
    }
  });

  const cases: [string, Partial<SequenceSpec>][] = [
    ['lstm tanh/sigmoid', { cell: 'lstm', units: 5, act: ACT_TANH, ract: ACT_SIGMOID }],
    ['lstm relu/sigmoid, 7 units', { cell: 'lstm', units: 7, act: ACT_RELU, ract: ACT_SIGMOID }],
    ['gru resetAfter', { cell: 'gru', units: 5, resetAfter: true, act: ACT_TANH, ract: ACT_SIGMOID }],
    ['gru resetBefore', { cell: 'gru', units: 5, resetAfter: false, act: ACT_TANH, ract: ACT_SIGMOID }],
    ['gru linear/tanh, 3 units', { cell: 'gru', units: 3, resetAfter: true, act: ACT_LINEAR, ract: ACT_TANH }],
    ['simple tanh', { cell: 'simple', units: 6, act: ACT_TANH, ract: ACT_SIGMOID }],
    ['simple relu, 11 units (gates over 8 vectors)', { cell: 'simple', units: 11, act: ACT_RELU, ract: ACT_SIGMOID }],
    ['lstm 9 units (G > 32: generic paths)', { cell: 'lstm', units: 9, act: ACT_TANH, ract: ACT_SIGMOID }],
  ];
  for (const [name, partial] of cases) {
    it(`agree with the JS kernels: ${name}`, () => {
      const spec: SequenceSpec = {
        cell: 'lstm',
        batch: 4,
        steps: 12,
        inputDim: 6,
        units: 5,
        act: ACT_TANH,
        ract: ACT_SIGMOID,
        resetAfter: true,
        ...partial,
      } as SequenceSpec;
      const r = rng(7);
      const G = gatesOf(spec.cell) * spec.units;
      const x = Float32Array.from({ length: spec.batch * spec.steps * spec.inputDim }, () => 2 * r());
      const k = Float32Array.from({ length: spec.inputDim * G }, () => r());
      const u = Float32Array.from({ length: spec.units * G }, () => r());
      const b = Float32Array.from({ length: biasLength(spec) }, () => 0.5 * r());
      const fj = jsKernels.forward(spec, x, k, u, b);
      const fw = wasm!.forward(spec, x, k, u, b);
      expect(maxRelErr(fw.output, fj.output)).toBeLessThan(5e-5);
      const dOut = Float32Array.from({ length: fj.output.length }, () => r());
      const gj = jsKernels.backward(spec, fj.tape, dOut);
      const gw = wasm!.backward(spec, fw.tape, dOut);
      expect(maxRelErr(gw.dx, gj.dx)).toBeLessThan(1e-4);
      expect(maxRelErr(gw.dKernel, gj.dKernel)).toBeLessThan(1e-4);
      expect(maxRelErr(gw.dRecurrent, gj.dRecurrent)).toBeLessThan(1e-4);
      expect(maxRelErr(gw.dBias, gj.dBias)).toBeLessThan(1e-4);
      // Backward passes may run in any order after several forwards (tapes are independent).
      const fw2 = wasm!.forward(spec, x.map((v) => -v), k, u, b);
      const gw1 = wasm!.backward(spec, fw.tape, dOut);
      expect(Array.from(gw1.dKernel)).toEqual(Array.from(gw.dKernel));
      expect(fw2.output).not.toEqual(fw.output);
    });
  }

  it('Adam steps agree (JS vs WASM, persistent moments)', () => {
    const n = 1003;
    const r = rng(3);
    const w0 = Float32Array.from({ length: n }, () => r());
    const wj = w0.slice();
    const ww = w0.slice();
    const sj = jsKernels.createAdamState(n);
    const sw = wasm!.createAdamState(n);
    for (let t = 1; t <= 5; t++) {
      const g = Float32Array.from({ length: n }, () => r());
      const alpha = (1e-2 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
      sj.step(wj, g, alpha, 0.9, 0.999, 1e-7);
      sw.step(ww, g, alpha, 0.9, 0.999, 1e-7);
    }
    // WASM works in float32 like Keras (1 - β2 rounds to 0.00099998713 there), the JS
    // fallback in float64: they differ by ~1e-5 relative in v.
    expect(maxRelErr(ww, wj)).toBeLessThan(1e-4);
    expect(maxRelErr(sw.read().v, sj.read().v)).toBeLessThan(1e-4);
    expect(maxRelErr(ww, w0)).toBeGreaterThan(1e-2);
    sw.dispose();
  });
});

describe('backend choice', () => {
  it('useFastestBackend selects the cpu backend and the WebAssembly kernels', async () => {
    await rnn.useFastestBackend();
    expect(tf.getBackend()).toBe(rnn.preferredBackend);
    expect(rnn.kernelImplementationName()).toBe('wasm-simd');
    rnn.setKernelImplementation('js');
    expect(rnn.kernelImplementationName()).toBe('js');
    rnn.setKernelImplementation('auto');
    expect(() => rnn.setKernelImplementation('gpu' as never)).toThrow(/setKernelImplementation/);
  });
});

describe('fast cpu kernels', () => {
  it('GatherV2 matches a direct row lookup, on any axis', () => {
    const x = tf.tensor3d(Array.from({ length: 2 * 5 * 3 }, (_, i) => i), [2, 5, 3]);
    const g1 = tf.gather(x, [4, 0, 4], 1);
    expect(g1.shape).toEqual([2, 3, 3]);
    const xv = x.arraySync();
    expect(g1.arraySync()).toEqual(xv.map((m) => [m[4], m[0], m[4]]));
    const g0 = tf.gather(tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], 'int32'), tf.tensor1d([2, 2, 0], 'int32'));
    expect(g0.dtype).toBe('int32');
    expect(g0.arraySync()).toEqual([[5, 6], [5, 6], [1, 2]]);
    expect(() => tf.gather(x, [9], 1).dataSync()).toThrow(/index 9/);
  });

  it('UnsortedSegmentSum is a scatter-add (the gradient of gather)', () => {
    const data = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const s = tf.unsortedSegmentSum(data, tf.tensor1d([2, 0, 2, 1], 'int32'), 4);
    expect(s.arraySync()).toEqual([[3, 4], [7, 8], [6, 8], [0, 0]]);
    const table = tf.variable(tf.ones([5, 2]));
    const grads = tf.variableGrads(() => tf.gather(table, [1, 1, 3]).sum() as tf.Scalar, [table]);
    expect(grads.grads[table.name].arraySync()).toEqual([[0, 0], [2, 2], [0, 0], [1, 1], [0, 0]]);
  });
});
