/**
 * The cell compiler beyond the golden files: sucrase keeps lines, positions in generated
 * code map back to the cell (JS and TS), and generated code behaves like the cell would.
 */
import { transform } from 'sucrase';
import { beforeAll, describe, expect, it } from 'vitest';
import { CellSyntaxError, compileCell, loadTypeScript, parseCell } from '../../src/cells/index';

beforeAll(loadTypeScript);

const opts = (known: string[] = []) => ({
  sourceURL: 'cell-t-1.js',
  known: (n: string) => known.includes(n),
  isGlobal: (n: string) => n in globalThis,
});

/** Runs a compiled cell against a scope object, like the kernel does (without tfjs). */
async function run(source: string, scope: Record<string, unknown>) {
  const c = compileCell(source, opts(Object.keys(scope)));
  const fn = (0, eval)(c.code) as (nb: unknown, rt: unknown) => Promise<unknown>;
  const rt = {
    ref: (name: string, forTypeof?: boolean) => {
      if (name in scope) return scope[name];
      if (forTypeof) return undefined;
      throw new ReferenceError(`${name} is not defined`);
    },
    wait: (v: unknown) => v,
    lock: () => {},
  };
  return fn(scope, rt);
}

describe('sucrase strips TypeScript without moving lines', () => {
  it('keeps every line of a cell with interfaces, generics and casts', () => {
    const src = [
      'interface A {',
      '  x: number;',
      '}',
      'type B = A | null;',
      'const a: A = { x: 1 };',
      'function f<T extends object>(v: T): T {',
      '  return v as T;',
      '}',
      'f<A>(a)!.x',
    ].join('\n');
    const out = transform(src, { transforms: ['typescript'], disableESTransforms: true }).code;
    expect(out.split('\n').length).toBe(src.split('\n').length);
    expect(out.split('\n')[4]).toBe('const a = { x: 1 };');
    expect(out.split('\n')[8]).toBe('f(a).x');
  });

  it('parses plain JavaScript without sucrase', () => {
    expect(parseCell('const a = 1;\na').typescript).toBeUndefined();
    expect(parseCell('const a: number = 1;\na').typescript).toBeDefined();
  });
});

describe('position mapping', () => {
  it('maps a generated position inside a rewritten name back to the cell', () => {
    const c = compileCell('const x = 1;\nmodel.fitt(x)', opts(['model']));
    const lines = c.code.split('\n');
    const col = lines[1].indexOf('fitt') + 1;
    expect(c.toCell({ line: 2, column: col })).toEqual({ line: 2, column: 7 });
    const xcol = lines[1].indexOf('__nb.x') + '__nb.'.length + 1;
    expect(c.toCell({ line: 2, column: xcol })).toEqual({ line: 2, column: 12 });
  });

  it('maps the first line despite the wrapper prefix', () => {
    const c = compileCell('foo.bar(1)', opts());
    const col = c.code.split('\n')[0].indexOf('bar') + 1;
    expect(c.toCell({ line: 1, column: col })).toEqual({ line: 1, column: 5 });
  });

  it('maps TypeScript columns through the stripped annotations', () => {
    const src = 'const a: number = 1, b: string = "s";\nnull.x';
    const c = compileCell(src, opts());
    const line1 = c.code.split('\n')[0];
    const col = line1.indexOf('"s"') + 1;
    expect(c.toCell({ line: 1, column: col })).toEqual({ line: 1, column: src.indexOf('"s"') + 1 });
  });

  it('reports syntax errors at the cell position, TS or JS', () => {
    const err = (src: string) => {
      try {
        compileCell(src, opts());
      } catch (e) {
        return e as CellSyntaxError;
      }
      throw new Error('no error');
    };
    const js = err('let a = 1;\n\nlet b = a +* 2;');
    expect(js).toBeInstanceOf(CellSyntaxError);
    expect([js.line, js.column]).toEqual([3, 12]); // the `*`
    const ts = err('let a: number = 1;\nlet b: number = a +* 2;');
    expect([ts.line, ts.column]).toEqual([2, 20]);
    const dup = err('const a = 1;\nconst a = 2;');
    expect(dup.message).toMatch(/already been declared/);
    expect(dup.line).toBe(2);
  });
});

describe('generated code behaves like the cell', () => {
  it('writes declarations (with destructuring) to the scope and returns the final value', async () => {
    const scope: Record<string, unknown> = {};
    const v = await run('const {a, b: [c, d = 4], ...rest} = {a: 1, b: [3], e: 5};\nlet z\n[a, c, d, rest, z]', scope);
    expect(v).toEqual([1, 3, 4, { e: 5 }, undefined]);
    expect(scope).toMatchObject({ a: 1, c: 3, d: 4, rest: { e: 5 } });
    expect('z' in scope).toBe(true);
  });

  it('hoists top-level functions and lets closures see later redefinitions', async () => {
    const scope: Record<string, unknown> = {};
    expect(await run('const n = twice(2);\nfunction twice(k) { return k * factor }\nvar factor = 10;\nn', scope)).toBeNaN();
    expect(await run('twice(2)', scope)).toBe(20);
    await run('factor = 3', scope);
    expect(await run('twice(2)', scope)).toBe(6);
  });

  it('treats a lone object literal as a value and a block as a block', async () => {
    expect(await run('{a: 1, b: 2}', {})).toEqual({ a: 1, b: 2 });
    expect(await run('{ let t = 1 }\n7', {})).toBe(7);
  });

  it('throws ReferenceError for unknown names only when they are read', async () => {
    await expect(run('nope + 1', {})).rejects.toThrow('nope is not defined');
    expect(await run('typeof nope', {})).toBe('undefined');
    const scope: Record<string, unknown> = {};
    expect(await run('made = 2; made * 2', scope)).toBe(4);
    expect(scope.made).toBe(2);
  });

  it('keeps local shadowing intact', async () => {
    const scope: Record<string, unknown> = {};
    await run('let lr = 1;\nfunction f() { const lr = 5; return lr }', scope);
    expect(await run('[f(), lr]', scope)).toEqual([5, 1]);
  });
});
