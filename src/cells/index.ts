/**
 * The cell compiler: no DOM, no tfjs. `compileCell` parses a cell (JavaScript, or TypeScript
 * whose annotations are stripped first), reports what it declares and what it uses, and
 * transpiles it into a script the kernel evaluates (see transpile.ts for the rewrite rules).
 */
import { parseCell, CellSyntaxError, loadTypeScript, TypeScriptNotLoaded, withTypeScript, type ParsedCell } from './parse';
import type { Position } from './positions';
import { analyzeScope } from './scope';
export { CELL_FUNCTION, RUNTIME_PARAM, SCOPE_PARAM, cellSourceURL, cleanGeneratedNames, parseCellFrame, type CellFrame } from './generated';
import { finalExpression, hasTopLevelAwait, transpileCell, type TranspileOptions } from './transpile';

export { CellSyntaxError, loadTypeScript, parseCell, TypeScriptNotLoaded, withTypeScript };
export type { ParsedCell, Position, TranspileOptions };

/** What `compileCell` returns: the runnable script plus what the kernel needs to know about the cell. */
export interface CompiledCell {
  /** Names the cell declares at its top level, in source order. */
  declarations: string[];
  /** Free names the cell uses (neither declared in it nor local), in order of first use. */
  references: string[];
  /** The final expression's source text, when the cell ends with one; its value is shown. */
  finalExpression: string | null;
  /** True when the cell awaits at its top level. */
  topLevelAwait: boolean;
  /** True when TypeScript annotations were stripped. */
  typescript: boolean;
  /** The generated script (evaluates to `async function (__nb, __rt)`). */
  code: string;
  sourceURL: string;
  /** Maps a 1-based position in `code` back to the cell source. */
  toCell(pos: Position): Position | undefined;
}

/** Compiles a cell. Throws CellSyntaxError (with the cell's line and column) on bad syntax. */
export function compileCell(source: string, options: TranspileOptions): CompiledCell {
  const parsed = parseCell(source);
  const scope = analyzeScope(parsed.root);
  const references: string[] = [];
  for (const use of scope.uses) {
    if (use.binding === 'free' && !references.includes(use.node.name)) references.push(use.node.name);
  }
  const final = finalExpression(parsed.root);
  const out = transpileCell(parsed, options, scope);
  return {
    declarations: scope.declarations,
    references,
    finalExpression: final ? parsed.input.slice(final.start, final.end) : null,
    topLevelAwait: hasTopLevelAwait(parsed.root),
    typescript: parsed.typescript !== undefined,
    code: out.code,
    sourceURL: out.sourceURL,
    toCell: out.toCell,
  };
}
