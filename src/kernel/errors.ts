/**
 * Runtime errors, mapped back to the cells. Every compiled cell carries
 * `//# sourceURL=cell-<id>-<run>.js`, so V8 (and Firefox, Safari) name it in stack frames;
 * frames in any cell are mapped through that cell's position map, every other frame (tfjs,
 * the kernel, the bundler) is dropped. Messages lose the compiler's rewrites. The format of
 * generated code is defined once, in src/cells/generated.ts.
 */
import { CELL_FUNCTION, cleanGeneratedNames, parseCellFrame, type Position } from '../cells/index';
import { inspect } from './inspect';

/** A compiled cell the kernel has run, for mapping stack frames. */
export interface ScriptInfo {
  cellId: string;
  toCell(pos: Position): Position | undefined;
}

/**
 * A runtime error as the page shows it: class name, message, 1-based line and column in the cell
 * when known, and the traceback frames mapped into cells.
 */
export interface MappedError {
  ename: string;
  evalue: string;
  line?: number;
  column?: number;
  traceback: string[];
}

/**
 * Where an `await` was when the awaited promise rejected: the kernel stores a stack captured
 * at the `await` under this key on the error, for errors born outside the cell (a rejected
 * file request, an error deep in tfjs) whose own stack has no cell frame.
 */
export const AWAIT_SITE = Symbol.for('rnn-notebook.await-site');


function frameName(line: string): string | undefined {
  const v8 = /^\s*at\s+(?:async\s+)?(?:new\s+)?([^\s(]+)\s+\(/.exec(line);
  // A cell function called as `__nb.f()` shows up as `Object.f`.
  if (v8) return v8[1].replace(/^Object\./, '');
  const gecko = /^([^@\s]*)@/.exec(line);
  if (gecko && gecko[1]) return gecko[1];
  return undefined;
}

/**
 * Maps an error thrown while running cell `currentURL`. The error's line/column is the
 * top-most frame inside that cell; the traceback lists every cell frame, innermost first.
 */
export function mapRuntimeError(
  error: unknown,
  scripts: Map<string, ScriptInfo>,
  currentURL: string,
  isLockedConst: (name: string) => boolean = () => false,
): MappedError {
  // Every property read is guarded: a cell may throw an object whose getters throw (or a
  // Proxy), and the kernel must still answer the run.
  const get = (key: PropertyKey): unknown => {
    try {
      return (error as Record<PropertyKey, unknown>)[key];
    } catch {
      return undefined;
    }
  };
  let isError = false;
  try {
    isError = error instanceof Error || (typeof error === 'object' && error !== null && 'stack' in error);
  } catch {
    isError = false;
  }
  // tfjs's ValueError and friends keep name 'Error'; their class says more.
  const ctorValue = isError ? get('constructor') : undefined;
  let ctor: string | undefined;
  try {
    ctor = typeof ctorValue === 'function' ? String((ctorValue as { name?: unknown }).name ?? '') : undefined;
  } catch {
    ctor = undefined;
  }
  const nameValue = isError ? get('name') : undefined;
  const name = typeof nameValue === 'string' ? nameValue : '';
  const ename = !isError ? 'Error' : name && name !== 'Error' ? name : ctor && /Error$/.test(ctor) ? ctor : 'Error';
  let evalue: string;
  try {
    evalue = isError ? cleanGeneratedNames(String(get('message') ?? '')) : inspect(error);
  } catch {
    evalue = '(the thrown value could not be shown)';
  }
  const traceback: string[] = [];
  let line: number | undefined;
  let column: number | undefined;
  const stackValue = isError ? get('stack') : undefined;
  let stack = typeof stackValue === 'string' ? stackValue : '';
  const site = isError ? get(AWAIT_SITE) : undefined;
  if (typeof site === 'string' && !stack.includes(`${currentURL}:`)) stack += `\n${site}`;
  for (const raw of stack.split('\n')) {
    const m = parseCellFrame(raw);
    if (!m) continue;
    const script = scripts.get(m.url);
    if (!script) continue;
    const pos = script.toCell({ line: m.line, column: m.column });
    if (!pos) continue;
    const name = frameName(raw);
    const where = m.url === currentURL ? '<cell>' : `<cell ${script.cellId}>`;
    const loc = `${where}:${pos.line}:${pos.column}`;
    traceback.push(!name || name === CELL_FUNCTION || name === 'eval' ? `at ${loc}` : `at ${name} (${loc})`);
    if (line === undefined && m.url === currentURL) {
      line = pos.line;
      column = pos.column;
    }
  }
  // Writing a read-only scope property is how a top-level `const` refuses reassignment.
  const readOnly = /^Cannot assign to read only property '([^']+)' of object '[^']*'$/.exec(evalue);
  const message = ename === 'TypeError' && readOnly && isLockedConst(readOnly[1]) ? 'Assignment to constant variable.' : evalue;
  return { ename, evalue: message, line, column, traceback };
}
