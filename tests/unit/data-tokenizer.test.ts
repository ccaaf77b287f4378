import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KERAS_FILTERS, textToWordSequence, Tokenizer } from '../../src/rnn/data/tokenizer';

const golden = JSON.parse(readFileSync(new URL('../fixtures/data/golden.json', import.meta.url), 'utf8'));

describe('Tokenizer (golden against Keras Tokenizer)', () => {
  it.each(golden.tokenizer.map((c: { options: object }) => [JSON.stringify(c.options), c]) as [string, any][])('%s', (_, c) => {
    const opts = c.options as { num_words?: number; oov_token?: string };
    const tok = new Tokenizer({ numWords: opts.num_words, oovToken: opts.oov_token });
    tok.fitOnTexts(golden.tokenizer_texts);
    expect(tok.wordIndex).toEqual(c.word_index);
    // Same keys in the same order (Python dicts keep insertion order).
    expect(Object.keys(tok.wordIndex)).toEqual(Object.keys(c.word_index));
    expect(Object.fromEntries(tok.wordCounts)).toEqual(c.word_counts);
    expect(tok.textsToSequences(golden.tokenizer_queries)).toEqual(c.sequences);
  });

  it('uses the Keras default filter and lower-casing', () => {
    expect(KERAS_FILTERS).toBe('!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n');
    expect(textToWordSequence("Hello, World! It's   A\ttest\n")).toEqual(['hello', 'world', "it's", 'a', 'test']);
    expect(textToWordSequence('Keep CASE', { lower: false })).toEqual(['Keep', 'CASE']);
  });

  it('ranks ties by first appearance and counts documents', () => {
    const tok = new Tokenizer().fitOnTexts(['b a', 'c b a', 'd']);
    expect(tok.wordIndex).toEqual({ b: 1, a: 2, c: 3, d: 4 });
    expect(tok.documentCount).toBe(3);
    expect(tok.wordDocs.get('a')).toBe(2);
    expect(tok.indexWord[3]).toBe('c');
  });

  it('maps back to text, with the OOV token for dropped words', () => {
    const tok = new Tokenizer({ numWords: 3, oovToken: '<OOV>' }).fitOnTexts(['x x x y y z']);
    expect(tok.wordIndex).toEqual({ '<OOV>': 1, x: 2, y: 3, z: 4 });
    expect(tok.textsToSequences(['x y z w'])).toEqual([[2, 1, 1, 1]]);
    expect(tok.sequencesToTexts([[2, 3, 4, 99]])).toEqual(['x <OOV> <OOV> <OOV>']);
  });

  it('supports character level tokens', () => {
    const tok = new Tokenizer({ charLevel: true }).fitOnTexts(['abca']);
    expect(tok.wordIndex).toEqual({ a: 1, b: 2, c: 3 });
    expect(tok.textsToSequences(['cab!'])).toEqual([[3, 1, 2]]);
  });

  it('does not confuse words with Object properties', () => {
    const tok = new Tokenizer().fitOnTexts(['constructor toString']);
    expect(tok.textsToSequences(['constructor hasOwnProperty'])).toEqual([[1]]);
  });
});
