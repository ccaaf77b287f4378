import { describe, expect, it } from 'vitest';
import { parseTextDataset, TextDatasetError } from '../../src/rnn/data/text-dataset';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('parseTextDataset', () => {
  it('reads a CSV with a header, quotes, escaped quotes, CRLF and a BOM', () => {
    const csv = '\ufeffid,review,sentiment\r\n1,"Great, really ""great"" film",positive\r\n2,"multi\nline bad",negative\r\n';
    expect(parseTextDataset(bytes(csv), { name: 'r.csv' })).toEqual({
      texts: ['Great, really "great" film', 'multi\nline bad'],
      labels: [1, 0],
      labelNames: ['negative', 'positive'],
    });
  });

  it('reads headerless text,label and label<TAB>text files', () => {
    expect(parseTextDataset(bytes('good movie,1\nbad movie,0\n'), { name: 'a.csv' })).toEqual({ texts: ['good movie', 'bad movie'], labels: [1, 0] });
    expect(parseTextDataset(bytes('1\tgood, fine\n0\tawful\n'), { name: 'a.txt' })).toEqual({ texts: ['good, fine', 'awful'], labels: [1, 0] });
  });

  it('puts unquoted commas back into the text column', () => {
    expect(parseTextDataset(bytes('text,label\nslow, long, but good,1\n'), { name: 'a.csv' }).texts).toEqual(['slow, long, but good']);
  });

  it('numbers word labels in sorted order', () => {
    const out = parseTextDataset(bytes('text,label\na,sport\nb,news\nc,sport\n'), { name: 'a.csv' });
    expect(out.labels).toEqual([1, 0, 1]);
    expect(out.labelNames).toEqual(['news', 'sport']);
  });

  it('accepts a string too', () => {
    expect(parseTextDataset('x,0', { name: 's' }).labels).toEqual([0]);
  });

  it.each([
    ['empty file', '', /is empty/],
    ['only blanks', '  \n \n', /is empty/],
    ['one column', 'just some text\nmore text\n', /line 1 has 1 column; expected 2/],
    ['no label column', 'hello,world\nfoo,bar\n', /no label column/],
    ['header without label', 'text,author\nhi,me\n', /needs both a text column/],
    ['header only', 'text,label\n', /no data rows/],
    ['empty label', 'text,label\nhi, \n', /line 2 has an empty label/],
    ['unclosed quote', 'text,label\n"hi,1\n', /never closed/],
    ['too many columns mid-row', 'label,text,extra\n1,a,b,c\n', /needs both|columns/],
  ])('explains a bad file: %s', (_, content, message) => {
    expect(() => parseTextDataset(bytes(content), { name: 'f.csv' })).toThrow(message);
  });

  it('rejects non-UTF-8 bytes and says where', () => {
    const latin1 = Uint8Array.from([...bytes('caf'), 0xe9, ...bytes(',1\n')]);
    let err: unknown;
    try {
      parseTextDataset(latin1, { name: 'latin.csv' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TextDatasetError);
    expect((err as Error).message).toMatch(/latin\.csv is not UTF-8 text \(invalid byte near offset 3\)/);
  });
});
