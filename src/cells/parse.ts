/**
 * Parses a cell with acorn. Like Observable Framework's parser, a cell is first tried as a
 * single expression (so `{a: 1, b: 2}` is an object, not a block with a label), then as a
 * program (module code: strict, top-level `await` allowed). Cells written in TypeScript are
 * parsed after sucrase strips their annotations; plain JavaScript never goes through sucrase,
 * so its error positions are acorn's own.
 *
 * sucrase (./typescript.ts, about 45 KB gzip) is loaded on demand: a cell that acorn cannot
 * parse throws `TypeScriptNotLoaded` until `loadTypeScript()` has run; callers (the kernel, the
 * page's cell) parse through `withTypeScript`, which loads it then and parses again. So a
 * reader who writes plain JavaScript never downloads it.
 */
import { Parser, tokTypes, type Expression, type Options, type Program } from 'acorn';
import { offsetToPosition, lineStarts, type Position } from './positions';
import type { StrippedTypeScript } from './typescript';

let stripTypes: ((source: string) => StrippedTypeScript) | null = null;

/**
 * Thrown by `parseCell` for a cell that is not plain JavaScript while sucrase is not loaded yet:
 * await `loadTypeScript()` and parse again.
 */
export class TypeScriptNotLoaded extends Error {
  constructor() {
    super('The TypeScript stripper is not loaded: await loadTypeScript() and parse again.');
    this.name = 'TypeScriptNotLoaded';
  }
}

/** Loads sucrase (./typescript.ts) for the cells acorn cannot parse; resolves at once when loaded. */
export async function loadTypeScript(): Promise<void> {
  stripTypes ??= (await import('./typescript')).stripTypes;
}

/**
 * Runs `parse` (anything that calls `parseCell`); when it throws TypeScriptNotLoaded, loads
 * sucrase and runs it once more. Other errors pass through.
 */
export async function withTypeScript<T>(parse: () => T): Promise<T> {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof TypeScriptNotLoaded)) throw e;
    await loadTypeScript();
    return parse();
  }
}

/** How acorn parses a cell: the latest syntax, as module code (strict, top-level `await`), with line/column locations. */
export const acornOptions: Options = {
  ecmaVersion: 'latest',
  sourceType: 'module',
  locations: true,
};

/** A syntax error in a cell, positioned in the cell's own source (1-based). */
export class CellSyntaxError extends SyntaxError {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
    this.name = 'SyntaxError';
  }
}

/** A parsed cell: its tree, the text that was parsed, and how to map TypeScript back. */
export interface ParsedCell {
  /** The source as written. */
  source: string;
  /** The JavaScript that was parsed (the source itself, or the source without TS types). */
  input: string;
  /** A Program, or a single Expression for expression cells. */
  root: Program | Expression;
  /** True when the whole cell is one expression (its value is the cell's value). */
  expression: boolean;
  /** Present when TypeScript syntax was stripped; maps positions in `input` back to `source`. */
  typescript?: StrippedTypeScript;
}

/**
 * Parses a cell, as an expression first, then as a program; throws CellSyntaxError positioned in
 * the cell, or TypeScriptNotLoaded (see the header).
 */
export function parseCell(source: string): ParsedCell {
  let jsError: unknown;
  try {
    return parseJavaScript(source, source);
  } catch (error) {
    jsError = error;
  }
  if (!stripTypes) throw new TypeScriptNotLoaded();
  let ts: StrippedTypeScript;
  try {
    ts = stripTypes(source);
  } catch (tsError) {
    // When sucrase gets further than acorn did, acorn most likely stopped at a type
    // annotation and sucrase's error is the real one.
    const further = ((tsError as { pos?: number }).pos ?? -1) > ((jsError as { pos?: number }).pos ?? -1);
    throw toCellError(further ? tsError : jsError, source);
  }
  if (ts.code === source) throw toCellError(jsError, source);
  try {
    return { ...parseJavaScript(source, ts.code), typescript: ts };
  } catch (error) {
    const e = toCellError(error, ts.code);
    const pos = ts.toSource({ line: e.line, column: e.column });
    throw new CellSyntaxError(e.message, pos.line, pos.column);
  }
}

function parseJavaScript(source: string, input: string): ParsedCell {
  const expression = maybeParseExpression(input);
  if (expression) return { source, input, root: expression, expression: true };
  const program = Parser.parse(input, acornOptions);
  for (const node of program.body) {
    if (node.type === 'ImportDeclaration') {
      throw positioned("Static import is not supported in a cell; use `await import('…')`", node.start);
    }
    if (node.type.startsWith('Export')) {
      throw positioned("Unexpected token 'export': cells share names without exporting them", node.start);
    }
  }
  return { source, input, root: program, expression: false };
}

/** Parses `input` as one expression; null when it is not exactly one expression. */
function maybeParseExpression(input: string): Expression | null {
  // The parser's constructor is not part of acorn's typed API, but it is public in practice.
  // preserveParens: the value of `({a: 1})` spans its parentheses.
  const parser = new (Parser as unknown as new (o: Options, s: string, p: number) => AcornParser)(
    { ...acornOptions, preserveParens: true },
    input,
    0,
  );
  try {
    parser.nextToken();
    // At the start of a statement `function`, `async function` and `class` begin a
    // declaration, so such a cell is a program even when the whole text would also read as
    // one expression (`function f() {}\n[f(1)]` is not a member access).
    if (parser.type === tokTypes._function || parser.type === tokTypes._class) return null;
    if (/^async\s+function\b/.test(input.slice(parser.start))) return null;
    const node = parser.parseExpression();
    if (parser.type !== tokTypes.eof) return null;
    return node;
  } catch {
    return null;
  }
}

interface AcornParser {
  nextToken(): void;
  start: number;
  parseExpression(): Expression;
  type: unknown;
}

class Positioned extends Error {
  constructor(message: string, readonly pos: number) {
    super(message);
  }
}

function positioned(message: string, pos: number): Positioned {
  return new Positioned(message, pos);
}

/** Turns an acorn error (message "Unexpected token (3:5)", `pos`) into a CellSyntaxError. */
function toCellError(error: unknown, input: string): CellSyntaxError {
  if (error instanceof CellSyntaxError) return error;
  const e = error as { message?: string; pos?: number };
  const message = String(e?.message ?? error)
    .replace(/^Error transforming [^:]*: /, '')
    .replace(/ \(\d+:\d+\)$/, '');
  const pos: Position =
    typeof e?.pos === 'number' ? offsetToPosition(lineStarts(input), e.pos) : { line: 1, column: 1 };
  return new CellSyntaxError(message, pos.line, pos.column);
}
