// Bad arguments fail with the error class Keras raises for them (src/rnn/errors.ts), so that a
// reader of a Keras course recognises them: ValueError for a bad value, TypeError for an
// unrecognized keyword argument. The messages are unchanged (their own tests match them).
import { describe, expect, it } from 'vitest';
import { mapRuntimeError } from '../../src/kernel/errors';
import * as rnn from '../../src/rnn/index';
import { applyKerasOptions } from '../../src/rnn/data/imdb-pipeline';
import { ValueError } from '../../src/rnn/errors';

function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

const raw = { train: { reviews: [[1, 2, 3]], labels: [1] }, test: { reviews: [[4, 5]], labels: [0] } };

describe('Keras error classes for bad arguments', () => {
  it.each([
    ['padSequences padding', () => rnn.padSequences([[1]], { padding: 'middle' as 'pre' }), /Padding type "middle" not understood/],
    ['padSequences truncating', () => rnn.padSequences([[1]], { truncating: 'x' as 'pre' }), /Truncating type "x" not understood/],
    ['padSequences not a list', () => rnn.padSequences(5 as unknown as number[][]), /expects an array of sequences/],
    ['padSequences non-iterable item', () => rnn.padSequences([[1], 7 as unknown as number[]]), /must be a list of iterables/],
    ['padSequences maxlen', () => rnn.padSequences([[1]], { maxlen: -1 }), /maxlen must be a non-negative integer/],
    ['padSequences dtype', () => rnn.padSequences([[1]], { dtype: 'int8' as 'int32' }), /supports dtype/],
    ['padSequences ragged steps', () => rnn.padSequences([[[1, 2], [3]]] as unknown as number[][]), /is different from expected shape/],
    ['regularizer name', () => rnn.lstm({ units: 2, kernelRegularizer: 'l3' as 'l1' }), /could not interpret regularizer identifier 'l3'/],
    ['negative penalty', () => rnn.lstm({ units: 2, kernelRegularizer: { className: 'L2', config: { l2: -1 } } as never }), /invalid value for argument l2/],
    ['constraint name', () => rnn.gru({ units: 2, kernelConstraint: 'maxnorms' as never }), /could not interpret constraint identifier 'maxnorms'/],
    ['unsupported value', () => rnn.lstm({ units: 2, dtype: 'float64' } as never), /argument 'dtype' = "float64" is not supported/],
    ['imdb limit', () => applyKerasOptions(raw as never, { limit: -2 }), /limit must be a non-negative integer/],
    ['datasets option', () => rnn.datasets.longRangeMemory({ numSamples: 4, gap: 0.5 }), /gap must be an integer/],
    ['recurrent units', () => rnn.lstm({ units: -1 }), /argument 'units' must be a positive integer/],
    ['dropout not a number', () => rnn.gru({ units: 2, dropout: 'half' as never }), /argument 'dropout' must be a number between 0 and 1/], // 1.5 is clamped to 1, as Keras does
    ['embedding inputDim', () => rnn.embedding({ inputDim: 0, outputDim: 2 }), /argument 'inputDim' must be a positive integer/],
    ['adam clipping', () => rnn.adam({ clipnorm: 1, clipvalue: 1 }), /only one of 'clipnorm', 'globalClipnorm' and 'clipvalue'/],
    ['initializer name', () => rnn.lstm({ units: 2, kernelInitializer: 'glorotUniformish' as never }), /Unknown/],
    ['inspect layer', () => rnn.inspect.inputGradientNorms({} as never, [[1]]), /'layer' must be made by rnn.lstm/],
  ])('%s: ValueError', (_name, call, message) => {
    const e = thrownBy(call);
    expect(e).toBeInstanceOf(ValueError);
    expect((e as Error).name).toBe('ValueError');
    expect((e as Error).message).toMatch(message);
  });

  it('an unrecognized keyword argument is a TypeError, as in Keras', () => {
    const e = thrownBy(() => rnn.lstm({ units: 2, unit: 5 } as never));
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toMatch(/unrecognized keyword argument 'unit'/);
  });

  it('the notebook kernel reports it by its Keras name (what the reader sees in the cell output)', () => {
    const e = thrownBy(() => rnn.padSequences([[1]], { padding: 'no' as 'pre' }));
    const mapped = mapRuntimeError(e, new Map(), 'cell-x-1.js');
    expect(mapped.ename).toBe('ValueError');
    expect(mapped.evalue).toMatch(/^Padding type "no" not understood/);
  });
});
