/**
 * The cheat sheet's data (src/site/cheatsheet.ts) against the lessons: each cell's equations are
 * found in its lesson's MDX, and the parameter formula gives the counts the lessons print.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CELLS, compactEquation, findEquation, findEquationBlocks, joinEquations, recurrentParams } from '../../src/site/cheatsheet';

const body = (slug: string) => readFileSync(resolve(__dirname, '../../content/lessons', `${slug}.mdx`), 'utf8');

describe('cheat sheet data', () => {
  for (const cell of CELLS) {
    it(`${cell.keras}: equations come from content/lessons/${cell.lesson}.mdx`, () => {
      const blocks = findEquationBlocks(body(cell.lesson), cell.lesson, cell.match);
      for (const tex of blocks) expect(body(cell.lesson)).toContain(tex);
      const tex = findEquation(body(cell.lesson), cell.lesson, cell.match);
      for (const re of cell.match) expect(tex).toMatch(re);
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

  it('joins a run of one-equation display blocks into one aligned block, labels in their own column', () => {
    const md = ['$$', 'f_t = \\sigma(a) \\allowbreak\\qquad \\text{forget gate}', '$$', '', '$$', 'c_t = f_t \\odot c_{t-1}', '$$', '', 'Text.', '', '$$', 'y = 1', '$$'].join('\n');
    expect(findEquationBlocks(md, 'x', [/\\sigma/, /\\odot/])).toEqual(['f_t = \\sigma(a) \\allowbreak\\qquad \\text{forget gate}', 'c_t = f_t \\odot c_{t-1}']);
    expect(findEquation(md, 'x', [/\\sigma/, /\\odot/])).toBe('\\begin{aligned}\nf_t &= \\sigma(a) && \\text{forget gate} \\\\\nc_t &= f_t \\odot c_{t-1}\n\\end{aligned}');
    expect(compactEquation(findEquation(md, 'x', [/f_t/]))).toBe('f_t = \\sigma(a)');
    // Blocks with prose between them are not one run.
    expect(() => findEquationBlocks(md, 'x', [/c_t/, /y = 1/])).toThrow(/content\/lessons\/x\.mdx/);
  });

  it('fails loudly, naming the lesson, when an equation block is missing', () => {
    expect(() => findEquation('no maths here', 'gru', [/z_t/])).toThrow(/content\/lessons\/gru\.mdx/);
  });
});
