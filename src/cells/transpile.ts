/**
 * Turns a parsed cell into a script that evaluates to an async function
 * `(__nb, __rt) => value`. `__nb` is the notebook scope shared by all cells; `__rt` is the
 * kernel's runtime helpers. The rewrite, done in place so every line stays where it was:
 *
 * - top-level declarations become properties of `__nb`: `const {a, b: [c]} = o` turns into
 *   `;({a: __nb.a, b: [__nb.c]} = o)`; `class C {}` into `__nb.C = class C {}`; a top-level
 *   `function f` stays (it is hoisted) and `__nb.f = f` runs first;
 * - names the notebook knows (a previous cell's declarations, `tf`, `rnn`…) and names the cell
 *   assigns without declaring are read and written as `__nb.name`;
 * - other free names that are not globals are read through `__rt.ref("name")`, which looks
 *   them up when the code runs (a function may use a name a later cell defines) and throws
 *   `ReferenceError: name is not defined` otherwise;
 * - `await x` becomes `await __rt.wait(x)`, the point where a Stop request lands;
 * - the value of a final expression statement is returned: `return (expr)`;
 * - after a top-level `const`, `__rt.lock("a", …)` makes those names read-only until a cell
 *   declares them again (re-running a cell re-declares them, as in Jupyter).
 */
import type { AnyNode, Expression, Node, Program, VariableDeclaration } from 'acorn';
import { ancestor } from 'acorn-walk';
import { EditList } from './edits';
import type { ParsedCell } from './parse';
import { lineStarts, offsetToPosition, positionToOffset, type Position } from './positions';
import { CELL_FUNCTION, RUNTIME_PARAM as RT, SCOPE_PARAM as NB } from './generated';
import { analyzeScope, patternIdentifiers, type ScopeInfo } from './scope';

/** What the transpiler needs from the kernel: the script's URL and which names are notebook names or globals. */
export interface TranspileOptions {
  /** Used in `//# sourceURL=`; must be unique per compiled run, e.g. `cell-lstm-build-3.js`. */
  sourceURL: string;
  /** Names present in the notebook scope when the cell is compiled. */
  known(name: string): boolean;
  /** Names that resolve to globals (Math, console, …) when not in the notebook scope. */
  isGlobal(name: string): boolean;
}

/** The generated script of one cell and its position map back to the cell. */
export interface TranspiledCell {
  /** A script whose completion value is the cell's async function. */
  code: string;
  sourceURL: string;
  /** Maps a 1-based position in `code` to the cell source; undefined outside the cell's text. */
  toCell(pos: Position): Position | undefined;
}

const STATEMENT_LISTS = new Set(['Program', 'BlockStatement', 'StaticBlock', 'SwitchCase']);

/**
 * Rewrites a parsed cell (see the module comment). `scope` is the cell's scope analysis when
 * the caller already has it (`compileCell` does), so that it is not computed twice.
 */
export function transpileCell(cell: ParsedCell, options: TranspileOptions, scope?: ScopeInfo): TranspiledCell {
  const { root, input } = cell;
  const info = scope ?? analyzeScope(root);
  const edits = new EditList(input);

  for (const use of info.uses) {
    const name = use.node.name;
    let text: string;
    if (use.binding === 'top' || use.write || options.known(name)) text = `${NB}.${name}`;
    else if (options.isGlobal(name)) continue;
    else text = `${RT}.ref(${JSON.stringify(name)}${use.typeofOperand ? ', true' : ''})`;
    if (use.shorthand) text = `${name}: ${text}`;
    edits.replace(use.node.start, use.node.end, text);
  }

  const functions: string[] = [];
  if (root.type === 'Program') {
    rewriteDeclarations(root, edits, functions);
  }

  ancestor(root, {
    AwaitExpression(node, _state, parents) {
      edits.open(node.argument.start, `${RT}.wait(`, parents.length);
      edits.close(node.argument.end, ')', parents.length);
    },
  });

  const final = finalExpression(root);
  if (final) {
    const range = finalRange(root, input);
    edits.open(range.start, 'return (', 0);
    edits.close(range.end, ')', 0);
  }

  const hoisted = functions.map((f) => `${NB}.${f} = ${f}; `).join('');
  edits.open(0, `(async function ${CELL_FUNCTION}(${NB}, ${RT}) {"use strict"; ${hoisted}`, -2);
  edits.close(input.length, `\n})\n//# sourceURL=${options.sourceURL}\n`, -2);

  const { code, toSource } = edits.apply();
  const genStarts = lineStarts(code);
  const inputStarts = lineStarts(input);
  const bodyEnd = code.lastIndexOf('\n})\n//# sourceURL=');
  return {
    code,
    sourceURL: options.sourceURL,
    toCell(pos) {
      const g = positionToOffset(genStarts, pos);
      if (g < 0 || g > bodyEnd) return undefined;
      const p = offsetToPosition(inputStarts, toSource(g));
      return cell.typescript ? cell.typescript.toSource(p) : p;
    },
  };
}

/** The expression whose value the cell shows, or null. */
export function finalExpression(root: Program | Expression): Expression | null {
  if (root.type !== 'Program') return root;
  const last = root.body[root.body.length - 1];
  if (last?.type === 'ExpressionStatement' && !('directive' in last && last.directive)) {
    return last.expression;
  }
  return null;
}

/**
 * Where `return (` … `)` go: around the whole final statement (without its `;`), so that
 * parentheses around the expression, which acorn leaves out of the node, stay inside.
 */
function finalRange(root: Program | Expression, input: string): { start: number; end: number } {
  if (root.type !== 'Program') return { start: root.start, end: root.end };
  const stmt = root.body[root.body.length - 1];
  return { start: stmt.start, end: input[stmt.end - 1] === ';' ? stmt.end - 1 : stmt.end };
}

/** Rewrites declarations whose names live at the top level (see the module comment). */
function rewriteDeclarations(program: Program, edits: EditList, functions: string[]): void {
  for (const stmt of program.body) {
    if (stmt.type === 'FunctionDeclaration' && stmt.id) functions.push(stmt.id.name);
    if (stmt.type === 'ClassDeclaration' && stmt.id) {
      edits.open(stmt.start, `;${NB}.${stmt.id.name} = `, 0);
      edits.close(stmt.end, ';', 0);
    }
  }
  ancestor(program, {
    VariableDeclaration(node, _state, parents) {
      const parent = parents[parents.length - 2];
      const insideFunction = parents.some(
        (p) =>
          p.type === 'FunctionDeclaration' ||
          p.type === 'FunctionExpression' ||
          p.type === 'ArrowFunctionExpression',
      );
      const topLevel = parent === program || (node.kind === 'var' && !insideFunction);
      if (topLevel) rewriteVariableDeclaration(node, parent, edits);
    },
  });
}

function rewriteVariableDeclaration(node: VariableDeclaration, parent: AnyNode, edits: EditList): void {
  const keywordEnd = node.start + node.kind.length;
  const isHead =
    (parent.type === 'ForStatement' && parent.init === node) ||
    ((parent.type === 'ForInStatement' || parent.type === 'ForOfStatement') && parent.left === node);
  const inList = STATEMENT_LISTS.has(parent.type);
  edits.replace(node.start, keywordEnd, inList ? ';' : '');
  if (isHead) return;
  for (const d of node.declarations) {
    edits.open(d.start, '(', 1);
    if (!d.init && d.id.type === 'Identifier') {
      edits.close(d.id.end, node.kind === 'var' ? ` = ${NB}.${d.id.name}` : ' = undefined', 2);
    }
    edits.close(d.end, ')', 1);
  }
  if (!inList) return;
  const source = edits.source;
  if (source[node.end - 1] !== ';') edits.close(node.end, ';', 0);
  if (node.kind === 'const') {
    const names = node.declarations.flatMap((d) => patternIdentifiers(d.id)).map((id) => JSON.stringify(id.name));
    edits.close(node.end, ` ${RT}.lock(${names.join(', ')});`, -1);
  }
}

/** True when the cell awaits at its top level (outside any function). */
export function hasTopLevelAwait(root: Node): boolean {
  let found = false;
  ancestor(root, {
    AwaitExpression(_node, _state, parents) {
      if (!parents.some(isFunctionNode)) found = true;
    },
    ForOfStatement(node, _state, parents) {
      if (node.await && !parents.some(isFunctionNode)) found = true;
    },
  });
  return found;
}

function isFunctionNode(n: AnyNode): boolean {
  return n.type === 'FunctionDeclaration' || n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression';
}
