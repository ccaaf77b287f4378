/**
 * Errors as the reader sees them: syntax errors at the cell's line and column, runtime errors
 * at the top-most frame inside the cell, tracebacks with cell frames only, messages without
 * the transpiler's `__nb.` prefixes, and a kernel that keeps working afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKernel, type Harness } from './kernel-harness';

let h: Harness;
beforeAll(async () => {
  h = await startKernel({ rnn: false });
});
afterAll(() => h.dispose());

describe('syntax errors', () => {
  it('are positioned in the cell source', async () => {
    const out = await h.exec('const a = 1;\nconst b = (a + ;');
    expect(out.error).toMatchObject({ ename: 'SyntaxError', evalue: 'Unexpected token', line: 2, column: 16, traceback: [] });
  });

  it('are positioned in TypeScript cells too', async () => {
    const out = await h.exec('const a: number = 1;\nconst b: number = (a + ;');
    expect(out.error).toMatchObject({ ename: 'SyntaxError', line: 2 });
    expect(out.error?.column).toBe(24);
  });
});

describe('runtime errors', () => {
  it('report the line and column of the failing expression in the cell', async () => {
    const out = await h.exec('const x = 1;\n\nconst y = x.foo.bar;');
    expect(out.error).toMatchObject({ ename: 'TypeError', line: 3, column: 17 });
    expect(out.error?.evalue).toBe("Cannot read properties of undefined (reading 'bar')");
    expect(out.error?.traceback).toEqual(['at <cell>:3:17']);
  });

  it('list only cell frames, naming functions, across cells', async () => {
    await h.exec('function inner(v) {\n  return v.missing();\n}', 'helpers');
    const out = await h.exec('function outer() {\n  return inner({});\n}\nouter()', 'main');
    expect(out.error?.ename).toBe('TypeError');
    expect(out.error?.evalue).toBe('v.missing is not a function');
    expect(out.error?.traceback).toEqual([
      'at inner (<cell helpers>:2:12)',
      'at outer (<cell>:2:10)',
      'at <cell>:4:1',
    ]);
    // The error's position is the top-most frame inside the cell that ran.
    expect([out.error?.line, out.error?.column]).toEqual([2, 10]);
    for (const frame of out.error!.traceback) expect(frame).not.toMatch(/kernel|node_modules|\.ts:/);
  });

  it('strip the scope prefix from messages', async () => {
    await h.exec('const thing = {};');
    const out = await h.exec('thing.fitt(1)');
    expect(out.error?.evalue).toBe('thing.fitt is not a function');
  });

  it('name unknown variables like JavaScript does', async () => {
    const out = await h.exec('const z = 2;\nundefinedThing + z');
    expect(out.error).toMatchObject({ ename: 'ReferenceError', evalue: 'undefinedThing is not defined', line: 2, column: 1 });
  });

  it('map TypeScript cells back through stripped annotations', async () => {
    const out = await h.exec('const n: number = 1;\nconst s: string = (null as any).x;');
    expect(out.error).toMatchObject({ ename: 'TypeError', line: 2 });
    expect(out.error?.column).toBe('const s: string = (null as any).x'.indexOf('.x') + 2);
  });

  it('report thrown non-errors and errors after an await', async () => {
    const a = await h.exec('throw "plain"');
    expect(a.error).toMatchObject({ ename: 'Error', evalue: "'plain'" });
    const b = await h.exec('await null;\nthrow new RangeError("late")');
    expect(b.error).toMatchObject({ ename: 'RangeError', evalue: 'late', line: 2, column: 7 });
  });

  it('point at the await for errors raised deep inside tfjs', async () => {
    const out = await h.exec(
      "const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });\nm.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });\nconst wrong = tf.ones([4, 2]);\nawait m.fit(wrong, tf.ones([4, 1]));",
    );
    expect(out.error?.ename).toBe('ValueError');
    expect(out.error?.evalue).toMatch(/input expected a batch of elements where each example has shape \[3\]/);
    // The cell's own frame (the call of `m.fit`) survives tfjs's deep stack: the kernel raises
    // V8's stack trace limit, so the error points at the call, not only at the await.
    expect([out.error?.line, out.error?.column]).toEqual([4, 9]);
    expect(out.error?.traceback).toEqual(['at <cell>:4:9']);
  });

  it('are answered even when the error\'s getters throw, or the final value cannot be inspected', async () => {
    const a = await h.exec('const e = new Error("m"); Object.defineProperty(e, "name", { get() { throw new Error("getter") } }); throw e;');
    expect(a.error).toMatchObject({ ename: 'Error', evalue: 'm' });
    const b = await h.exec('const px = new Proxy({}, { ownKeys() { throw new Error("trap") } }); px');
    expect(b.error).toMatchObject({ ename: 'Error', evalue: 'trap' });
    const c = await h.exec('throw new Proxy({}, { get() { throw new Error("get trap") }, getPrototypeOf() { throw new Error("proto trap") } })');
    expect(c.reply.type).toBe('error');
    expect((await h.exec('typeof px')).result?.bundle).toEqual({ kind: 'text', text: 'object' });
  });

  it('leave the kernel usable', async () => {
    expect((await h.exec('1 + 1')).result?.bundle).toEqual({ kind: 'text', text: '2' });
  });
});
