/**
 * The shape of the code the compiler generates, as the kernel must know it: one home for the
 * names and the source-URL format, so that `src/kernel` imports them instead of spelling them.
 *
 * A compiled cell is a script whose completion value is
 * `async function __cell__(__nb, __rt) { … }` followed by `//# sourceURL=cell-<id>-<run>.js`:
 * - `__nb` ({@link SCOPE_PARAM}) is the notebook scope shared by all cells;
 * - `__rt` ({@link RUNTIME_PARAM}) holds the runtime helpers: `ref(name, typeofOperand?)`
 *   looks up a free name when the code runs, `wait(x)` is every `await` (where Stop lands),
 *   `lock(...names)` makes top-level `const`s read-only;
 * - `__cell__` ({@link CELL_FUNCTION}) names the function, so stack frames can be recognised;
 * - the source URL makes V8, Firefox and Safari name the script in stack frames, which is how
 *   an error's line is mapped back to the cell ({@link parseCellFrame}).
 */

/** Parameter name of the notebook scope in generated code. */
export const SCOPE_PARAM = '__nb';
/** Parameter name of the runtime helpers in generated code. */
export const RUNTIME_PARAM = '__rt';
/** The name of a compiled cell's own function (it appears in stack frames). */
export const CELL_FUNCTION = '__cell__';

/** A safe `sourceURL` file name for run `run` of cell `cellId`, e.g. `cell-lstm-build-3.js`. */
export function cellSourceURL(cellId: string, run: number): string {
  return `cell-${cellId.replace(/[^A-Za-z0-9_-]/g, '_')}-${run}.js`;
}

/** A stack frame that points into a compiled cell: its source URL and 1-based line, column. */
export interface CellFrame {
  url: string;
  line: number;
  column: number;
}

const FRAME = /(cell-[A-Za-z0-9_-]+-\d+\.js):(\d+):(\d+)/;

/** Finds the compiled-cell location in one line of a stack trace (V8 or Gecko format). */
export function parseCellFrame(stackLine: string): CellFrame | undefined {
  const m = FRAME.exec(stackLine);
  return m ? { url: m[1]!, line: Number(m[2]), column: Number(m[3]) } : undefined;
}

/**
 * Removes the compiler's rewrites from an error message, so a reader sees
 * `model.fitt is not a function`, not `__nb.model.fitt is not a function`.
 */
export function cleanGeneratedNames(message: string): string {
  return message
    .replace(new RegExp(`${RUNTIME_PARAM}\\.ref\\("([^"]+)"(?:, true)?\\)`, 'g'), '$1')
    .replace(new RegExp(`${RUNTIME_PARAM}\\.(?:ref|wait)\\(\\.\\.\\.\\)`, 'g'), '(intermediate value)')
    .replace(new RegExp(`\\b${SCOPE_PARAM}\\.`, 'g'), '');
}
