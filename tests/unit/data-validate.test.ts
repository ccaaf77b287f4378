// The data generators' numeric options fail one way: a ValueError naming the option, its range
// and the value received (src/rnn/data/validate.ts).
import { describe, expect, it } from 'vitest';
import { addingProblem } from '../../src/rnn/data/adding-problem';
import { longRangeMemory } from '../../src/rnn/data/long-range-memory';
import { toySentiment } from '../../src/rnn/data/toy-sentiment';
import { ValueError } from '../../src/rnn/errors';
import { integerOption } from '../../src/rnn/data/validate';

describe('data generator options', () => {
  it('accepts integers in range and returns them', () => {
    expect(integerOption('n', 3, 1)).toBe(3);
    expect(integerOption('n', 5, 1, 5)).toBe(5);
  });

  it.each([
    ['toySentiment numSamples', () => toySentiment({ numSamples: 0 }), /numSamples must be an integer in \[1, ∞\), got 0/],
    ['toySentiment vocabSize', () => toySentiment({ vocabSize: 39 }), /vocabSize must be an integer in \[40, ∞\), got 39/],
    ['toySentiment maxlen', () => toySentiment({ maxlen: 5.5 }), /maxlen must be an integer in \[6, ∞\), got 5.5/],
    ['addingProblem length', () => addingProblem({ length: 1 }), /length must be an integer in \[2, ∞\), got 1/],
    ['addingProblem numSamples', () => addingProblem({ numSamples: 2.5 }), /numSamples must be an integer in \[1, ∞\), got 2.5/],
    ['longRangeMemory gap', () => longRangeMemory({ gap: 0 }), /gap must be an integer in \[1, ∞\), got 0/],
    ['longRangeMemory minGap', () => longRangeMemory({ gap: 5, minGap: 6 }), /minGap \(at most gap\) must be an integer in \[1, 5\], got 6/],
    ['longRangeMemory keyRate', () => longRangeMemory({ keyRate: 1 }), /keyRate must be a number in \[0, 1\), got 1/],
    ['longRangeMemory numClasses', () => longRangeMemory({ numClasses: 1 }), /numClasses must be an integer in \[2, ∞\), got 1/],
    ['longRangeMemory vocabSize', () => longRangeMemory({ numClasses: 3, vocabSize: 4 }), /vocabSize \(at least numClasses \+ 2\) must be an integer in \[5, ∞\), got 4/],
    ['longRangeMemory numTest', () => longRangeMemory({ numTest: -1 }), /numTest must be an integer in \[0, ∞\), got -1/],
  ])('%s: a ValueError that names the option', (_name, call, message) => {
    let thrown: unknown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ValueError);
    expect((thrown as Error).name).toBe('ValueError');
    expect((thrown as Error).message).toMatch(message);
  });
});
