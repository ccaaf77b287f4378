/**
 * Golden tests of the cell compiler: every file in tests/golden/cells/input is compiled and
 * the result (declarations, references, final expression, generated code, or the syntax
 * error with its position) compared with tests/golden/cells/output/<name>.json. On a
 * mismatch the actual result is written next to it as <name>-changed.json and the test
 * fails; review the diff, then rename the file over the expected one (see the README).
 * `UPDATE_GOLDEN=1` writes expected files directly.
 */
import { existsSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CellSyntaxError, compileCell, loadTypeScript } from '../../src/cells/index';

beforeAll(loadTypeScript);

const root = join(import.meta.dirname, '../golden/cells');
const inputs = readdirSync(join(root, 'input')).filter((f) => /\.(js|ts)$/.test(f)).sort();

/** The notebook scope the fixtures are compiled against: the builtins plus a `model`. */
export const KNOWN = new Set(['tf', 'rnn', 'imdb', 'datasets', 'padSequences', 'Tokenizer', 'files', 'display', 'model']);
/** A fixed list of globals, so the output does not depend on the runtime. */
export const GLOBALS = new Set(['console', 'Math', 'JSON', 'Promise', 'Array', 'Object', 'undefined', 'NaN', 'Infinity']);

function compileFixture(name: string, source: string): unknown {
  try {
    const c = compileCell(source, {
      sourceURL: `cell-${name.replace(/\W/g, '_')}-1.js`,
      known: (n) => KNOWN.has(n),
      isGlobal: (n) => GLOBALS.has(n),
    });
    return {
      declarations: c.declarations,
      references: c.references,
      finalExpression: c.finalExpression,
      topLevelAwait: c.topLevelAwait,
      typescript: c.typescript,
      code: c.code.split('\n'),
    };
  } catch (e) {
    if (!(e instanceof CellSyntaxError)) throw e;
    return { syntaxError: { message: e.message, line: e.line, column: e.column } };
  }
}

describe('cell compiler golden files', () => {
  it('has fixtures', () => {
    expect(inputs.length).toBeGreaterThan(10);
  });
  for (const file of inputs) {
    it(file, () => {
      const source = readFileSync(join(root, 'input', file), 'utf8');
      const actual = `${JSON.stringify(compileFixture(file, source), null, 2)}\n`;
      const expectedPath = join(root, 'output', `${file}.json`);
      const changedPath = join(root, 'output', `${file}-changed.json`);
      if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, actual);
      const expected = existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : undefined;
      if (actual !== expected) writeFileSync(changedPath, actual);
      else if (existsSync(changedPath)) unlinkSync(changedPath);
      expect(actual).toBe(expected);
    });
  }
});
