/**
 * Checks the code of a lesson's live cells at build time, so that readers never meet a
 * mistake the build could have seen:
 *
 * - a syntax error: each cell is parsed with the notebook's own parser (`parseCell` of
 *   src/cells, with TypeScript support loaded, exactly as the notebook kernel compiles a cell
 *   through `withTypeScript(() => compileCell(…))`: plain JavaScript first, then with the
 *   TypeScript annotations stripped, whether the fence says `js` or `ts`), so the build rejects
 *   exactly the cells the kernel would reject, and nothing it would run. The position is the
 *   error's place inside the lesson file: the fence's line plus the error's line in the cell.
 * - a cell without a ```python keras twin (not checked in drafts, which are never built): the
 *   Jupyter notebook of the lesson would skip a step (the same rule src/site/notebook-export.ts
 *   applies, here with the cell's line).
 */
import type { Code } from 'mdast';
import { CellSyntaxError, loadTypeScript, parseCell } from '../cells/parse';
import { problemAt, type LessonProblem } from './lesson-problems';
import type { CellFence } from './remark-cells';

// Loaded now, while Astro loads astro.config.mjs and its plugins: `loadTypeScript` is a dynamic
// `import()`, which fails once Astro has closed the module runner that loaded the config
// ("Vite module runner has been closed").
await loadTypeScript();

/** Where line `line`, column `column` (1-based) of a fence's code is in the lesson file. */
export function cellPositionInLesson(fence: Code, line: number, column: number): { line: number; column: number } {
  const start = fence.position?.start;
  if (!start) return { line: 0, column: 0 };
  // The code starts on the line after the opening fence; an indented fence (in a list, a
  // blockquote or JSX) has its indentation taken off every code line.
  return { line: start.line + line, column: column + start.column - 1 };
}

/** The syntax error of every cell that does not parse (malformed fences are skipped: remark-cells reports them). */
export function cellSyntaxProblems(cells: CellFence[]): LessonProblem[] {
  const problems: LessonProblem[] = [];
  for (const cell of cells) {
    if (!cell.valid) continue;
    try {
      parseCell(cell.node.value);
    } catch (e) {
      if (!(e instanceof CellSyntaxError)) throw e;
      const at = cellPositionInLesson(cell.node, e.line, e.column);
      problems.push(
        problemAt(
          at,
          `cell "${cell.id}" has a syntax error: ${e.message.replace(/\.$/, '')} (line ${e.line}, column ${e.column} of the cell). ` +
            'Readers would only see it when they press Run; fix the code.',
        ),
      );
    }
  }
  return problems;
}

/** A problem for every well-formed cell that has no ```python keras fence right after it. */
export function missingTwinProblems(cells: CellFence[]): LessonProblem[] {
  return cells
    .filter((c) => c.valid && !c.keras)
    .map((c) =>
      problemAt(
        c.node.position?.start,
        `cell "${c.id}" has no \`\`\`python keras twin, so the Jupyter notebook would skip a step. Add a \`\`\`python keras fence directly after the cell.`,
      ),
    );
}
