/**
 * display.gates / display.plot builders (src/kernel/gates-display.ts): a real trace of a
 * small model becomes a bounded bundle aligned to the words; bad arguments are refused with
 * errors that name them.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatesBundle, MAX_GATE_STEPS, MAX_GATE_UNITS, plotBundle } from '../../src/kernel/gates-display';
import * as rnn from '../../src/rnn/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tinyModel(units: number, steps: number) {
  const model = tf.sequential();
  model.add(rnn.embedding({ inputDim: 30, outputDim: 3, inputLength: steps }));
  const layer = rnn.lstm({ units });
  model.add(layer);
  model.add(rnn.dense({ units: 1, activation: 'sigmoid' }));
  const ids = [Array.from({ length: steps }, (_, t) => (t < 3 ? 0 : (t * 7) % 30))];
  const trace = rnn.inspect.gates(layer, ids, { model });
  return { model, layer, trace, preds: rnn.inspect.stepPredictions(model, layer, trace) };
}

describe('gatesBundle', () => {
  it('aligns the words to the end of the trace (after padding) and carries the values and predictions', () => {
    const { model, trace, preds } = tinyModel(4, 10);
    const words = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const b = gatesBundle(trace, { tokens: words, predictions: preds, predictionLabel: 'P(positive)' });
    expect(b.kind).toBe('gates');
    expect(b.tokens).toEqual(words);
    expect(b.rows.map((r) => r.name)).toEqual(['i', 'f', 'candidate', 'o', 'c', 'h']);
    expect(b.rows[1].values).toEqual(trace.values.f[0].slice(3));
    expect(b.rows[1].range).toEqual([0, 1]);
    const c = b.rows[4];
    expect(c.range[0]).toBe(-c.range[1]);
    expect(Math.max(...c.values.flat().map(Math.abs))).toBeLessThanOrEqual(c.range[1]);
    expect(b.prediction).toEqual(preds[0].slice(3).map((p) => p[0]));
    expect(b.note).toMatch(/3 padding steps/);
    expect(structuredClone(b)).toEqual(b);
    model.dispose();
  });

  it('bounds the size and says what it left out', () => {
    const { model, trace } = tinyModel(MAX_GATE_UNITS + 3, MAX_GATE_STEPS + 10);
    const b = gatesBundle(trace, { names: ['f', 'h'] });
    expect(b.tokens).toHaveLength(MAX_GATE_STEPS);
    expect(b.units).toBe(MAX_GATE_UNITS);
    expect(b.rows.map((r) => r.values[0].length)).toEqual([MAX_GATE_UNITS, MAX_GATE_UNITS]);
    expect(b.note).toMatch(new RegExp(`first ${MAX_GATE_STEPS} of ${MAX_GATE_STEPS + 10} words.*first ${MAX_GATE_UNITS} of ${MAX_GATE_UNITS + 3} units`));
    model.dispose();
  });

  it('refuses bad arguments, naming them', () => {
    const { model, trace } = tinyModel(2, 4);
    expect(() => gatesBundle({})).toThrow(/trace from rnn.inspect.gates/);
    expect(() => gatesBundle(trace, { token: ['a'] } as never)).toThrow(/unknown option 'token'/);
    expect(() => gatesBundle(trace, { tokens: ['a', 'b', 'c', 'd', 'e'] })).toThrow(/'tokens' must be .* at most 4/);
    expect(() => gatesBundle(trace, { names: ['z'] })).toThrow(/no value 'z' in this LSTM trace/);
    expect(() => gatesBundle(trace, { batch: 1 })).toThrow(/'batch' must be an integer in \[0, 0\]/);
    expect(() => gatesBundle(trace, { predictions: [1, 2] })).toThrow(/'predictions' must be/);
    expect(() => gatesBundle(trace, { predictionLabel: 'p' })).toThrow(/'predictionLabel' needs 'predictions'/);
    model.dispose();
  });
});

describe('plotBundle', () => {
  it('keeps the series, default x, groups; non-finite values become gaps', () => {
    const b = plotBundle({ series: [{ name: 'a', values: [1, Number.NaN, 3], group: 'g' }, { name: 'b', values: [2, 2, 2], dashed: true }], logY: true });
    expect(b.x).toEqual([1, 2, 3]);
    expect(b.series[0]).toEqual({ name: 'a', values: [1, null, 3], group: 'g' });
    expect(b.series[1].dashed).toBe(true);
    expect(b.logY).toBe(true);
  });
  it('refuses bad arguments, naming them', () => {
    expect(() => plotBundle({ series: [] })).toThrow(/'series' must be a non-empty array/);
    expect(() => plotBundle({ series: [{ name: 'a', values: [1] }], x: [1, 2] })).toThrow(/series 'a' has 1 values, x has 2/);
    expect(() => plotBundle({ series: [{ name: 'a', values: [1] }], logy: true } as never)).toThrow(/unknown option 'logy'/);
    expect(() => plotBundle({ series: [{ name: 'a', values: [1], colour: 'red' }] } as never)).toThrow(/series 'a' has an unknown key 'colour'/);
  });
  it('draws paths when every series brings its own x, and refuses a mix', () => {
    const b = plotBundle({ series: [{ name: 'p', x: [0, 1, Infinity], values: [2, 3, 4], group: 'positive' }, { name: 'q', x: [5], values: [6] }] });
    expect(b.x).toEqual([]);
    expect(b.series[0]).toEqual({ name: 'p', x: [0, 1, null], values: [2, 3, 4], group: 'positive' });
    expect(b.series[1]).toEqual({ name: 'q', x: [5], values: [6] });
    expect(() => plotBundle({ series: [{ name: 'p', x: [0], values: [1] }, { name: 'q', values: [1] }] })).toThrow(/series 'q' has no 'x'/);
    expect(() => plotBundle({ x: [1], series: [{ name: 'p', x: [0], values: [1] }] })).toThrow(/either once for all series or in every series/);
    expect(() => plotBundle({ series: [{ name: 'p', x: [0, 1], values: [1] }] })).toThrow(/series 'p' has 1 values and 2 x values/);
  });
});
