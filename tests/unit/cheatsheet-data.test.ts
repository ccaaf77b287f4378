/**
 * The cheat sheet's data (src/site/cheatsheet.ts) against the lessons: each cell's equations are
 * found in its lesson's MDX, and the parameter formula gives the counts the lessons print.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CELLS, compactEquation, findEquation, recurrentParams } from '../../src/site/cheatsheet';

const body = (slug: string) => readFileSync(resolve(__dirname, '../../content/lessons', `${slug}.mdx`), 'utf8');

describe('cheat sheet data', () => {
  for (const cell of CELLS) {
    it(`${cell.keras}: equations come from content/lessons/${cell.lesson}.mdx`, () => {
      const tex = findEquation(body(cell.lesson), cell.lesson, cell.match);
      expect(body(cell.lesson)).toContain(tex);
      expect(compactEquation(tex)).not.toMatch(/\\text\{/);
    });
  }

  it('parameter formulas give the counts the lessons print (d = 32, u = 5)', () => {
    const [simple, lstm, gru] = CELLS;
    expect(recurrentParams(simple, 32, 5)).toBe(190);
    expect(recurrentParams(lstm, 32, 5)).toBe(760);
    expect(recurrentParams(gru, 32, 5)).toBe(585);
    expect(recurrentParams({ blocks: 3, biasesPerBlock: 1 }, 32, 5)).toBe(570);
    expect(body('lstm')).toMatch(/\b760\b/);
    expect(body('gru')).toMatch(/\b585\b/);
    expect(body('gru')).toMatch(/\b570\b/);
    expect(recurrentParams(simple, 1, 32)).toBe(1088);
    expect(body('simple-rnn')).toContain('1{,}088');
  });

  it('fails loudly, naming the lesson, when an equation block is missing', () => {
    expect(() => findEquation('no maths here', 'gru', [/z_t/])).toThrow(/content\/lessons\/gru\.mdx/);
  });
});
