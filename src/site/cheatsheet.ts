/**
 * Build-time data for the cheat sheet (`src/pages/cheatsheet.astro`): the cell equations are taken
 * from the lessons' own MDX (so the sheet and the lessons cannot disagree), and the parameter
 * counts are computed from the formulas here, for the course's sizes (d = 32 inputs, u = 5 units),
 * numbers the lessons also print. Pure; unit-tested in tests/unit/cheatsheet-data.test.ts.
 */

/** A recurrent cell type as Keras names it, with what its parameter count depends on. */
export interface CellFacts {
  keras: 'SimpleRNN' | 'LSTM' | 'GRU';
  /** The lesson whose MDX holds the cell's equations. */
  lesson: string;
  /** How to recognise the equation block in that lesson (every pattern must match the TeX). */
  match: RegExp[];
  /** Number of blocks (gates + candidate): 1, 4, 3. */
  blocks: number;
  /** Bias vectors per block: 2 for Keras's default GRU (`reset_after=True`), else 1. */
  biasesPerBlock: number;
  /** Keras's weight names and shapes, d inputs and u units. */
  weights: string;
  /** The block order inside the packed kernels. */
  order: string;
}

/** The three cells, in course order. */
export const CELLS: CellFacts[] = [
  {
    keras: 'SimpleRNN',
    lesson: 'simple-rnn',
    match: [/h_t\s*=\s*\\tanh/],
    blocks: 1,
    biasesPerBlock: 1,
    weights: 'kernel [d, u], recurrent_kernel [u, u], bias [u]',
    order: 'one block',
  },
  {
    keras: 'LSTM',
    lesson: 'lstm',
    match: [/f_t/, /i_t/, /o_t/, /c_t\s*&?=/, /h_t\s*&?=/],
    blocks: 4,
    biasesPerBlock: 1,
    weights: 'kernel [d, 4u], recurrent_kernel [u, 4u], bias [4u]',
    order: 'i, f, c, o',
  },
  {
    keras: 'GRU',
    lesson: 'gru',
    match: [/z_t/, /r_t/, /\\tilde\{h\}_t/, /h_t\s*&?=/],
    blocks: 3,
    biasesPerBlock: 2,
    weights: 'kernel [d, 3u], recurrent_kernel [u, 3u], bias [2, 3u]',
    order: 'z, r, h',
  },
];

/** Keras's parameter count of a recurrent layer: blocks · u · (d + u + biasesPerBlock). */
export function recurrentParams(cell: Pick<CellFacts, 'blocks' | 'biasesPerBlock'>, d: number, u: number): number {
  return cell.blocks * u * (d + u + cell.biasesPerBlock);
}

/**
 * The display-maths blocks (`$$ … $$`) of an MDX body as TeX, in runs of consecutive blocks
 * (nothing but blank lines between them): the lessons write a block of gate equations as one
 * display per equation, so that each can wrap on a phone.
 */
export function displayRuns(body: string): string[][] {
  const runs: string[][] = [];
  let end = -1;
  for (const m of body.matchAll(/^\$\$\s*\n([\s\S]*?)\n\s*\$\$\s*$/gm)) {
    const tex = m[1].trim();
    if (runs.length > 0 && body.slice(end, m.index).trim() === '') runs[runs.length - 1]!.push(tex);
    else runs.push([tex]);
    end = m.index + m[0].length;
  }
  return runs;
}

/**
 * The source blocks of the first equation that matches every pattern: a single display block,
 * or else a run of consecutive blocks that matches as a whole. Throws, naming the lesson, when
 * there is none: the cheat sheet must not silently lose an equation.
 */
export function findEquationBlocks(body: string, lesson: string, match: RegExp[]): string[] {
  const runs = displayRuns(body);
  const matches = (tex: string) => match.every((re) => re.test(tex));
  for (const run of runs) for (const tex of run) if (matches(tex)) return [tex];
  for (const run of runs) if (run.length > 1 && matches(joinEquations(run))) return run;
  throw new Error(
    `cheat sheet: no $$ … $$ block in content/lessons/${lesson}.mdx matches ${match.map(String).join(' and ')}. ` +
      'Keep the cell equations in that lesson, or update CELLS in src/site/cheatsheet.ts.',
  );
}

/**
 * Display blocks `lhs = rhs \allowbreak\qquad \text{label}` as one `aligned` block, aligned on
 * each line's first `=`, the label in its own column (`&& \text{…}`, as compactEquation expects).
 */
export function joinEquations(blocks: string[]): string {
  if (blocks.length === 1) return blocks[0]!;
  const line = (tex: string) =>
    tex
      .replace(/\s*\\allowbreak\s*\\qquad\s*(\\text\{[^}]*\})\s*$/, ' && $1')
      .replace(/\s=\s/, ' &= ');
  return `\\begin{aligned}\n${blocks.map(line).join(' \\\\\n')}\n\\end{aligned}`;
}

/** The TeX of the first equation that matches every pattern (findEquationBlocks, joined). */
export function findEquation(body: string, lesson: string, match: RegExp[]): string {
  return joinEquations(findEquationBlocks(body, lesson, match));
}

/**
 * Drops the annotations (`&& \text{…}` in an aligned block, `\allowbreak\qquad \text{…}` at the
 * end of a one-line display): too wide for a phone or a half page.
 */
export function compactEquation(tex: string): string {
  return tex.replace(/\s*&&\s*\\text\{[^}]*\}/g, '').replace(/\s*\\allowbreak\s*\\qquad\s*\\text\{[^}]*\}\s*$/, '');
}
