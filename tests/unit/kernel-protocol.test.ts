/**
 * The kernel's protocol behaviour: ordering of status/output/reply, exactly one reply per
 * execute, execution counts, shared scope across cells, redefinition, console capture.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKernel, type Harness } from './kernel-harness';
import type { ErrorMessage, ResultMessage } from '../../src/contract/protocol';

let h: Harness;
beforeAll(async () => {
  h = await startKernel({ rnn: false });
});
afterAll(() => h.dispose());

describe('protocol ordering', () => {
  it('answers busy, outputs, exactly one result, then idle with backend and numTensors', async () => {
    const start = h.messages.length;
    const out = await h.exec('console.log("a");\ndisplay("b");\nconsole.warn("c");\n42');
    const seq = h.messages.slice(start).map((m) => (m.type === 'status' ? `status:${m.state}` : m.type));
    expect(seq).toEqual(['status:busy', 'stream', 'display', 'stream', 'result', 'status:idle']);
    const idle = h.messages[h.messages.length - 1];
    expect(idle).toMatchObject({ type: 'status', state: 'idle', backend: 'cpu' });
    expect(typeof (idle as { numTensors?: number }).numTensors).toBe('number');
    expect(out.result?.bundle).toEqual({ kind: 'text', text: '42' });
  });

  it('sends starting before tfjs loads, once', () => {
    const starting = h.messages.filter((m) => m.type === 'status' && m.state === 'starting');
    expect(starting).toHaveLength(1);
    const firstBusy = h.messages.findIndex((m) => m.type === 'status' && m.state === 'busy');
    expect(h.messages.indexOf(starting[0])).toBeLessThan(firstBusy);
  });

  it('answers every execute of a burst exactly once, in order, with increasing counts', async () => {
    const ids = [h.send('1'), h.send('syntax error here'), h.send('null.x'), h.send('"ok"')];
    await h.kernel.whenIdle();
    const replies = h.messages.filter(
      (m): m is ResultMessage | ErrorMessage => (m.type === 'result' || m.type === 'error') && ids.includes(m.runId),
    );
    expect(replies.map((m) => [m.runId, m.type])).toEqual([
      [ids[0], 'result'],
      [ids[1], 'error'],
      [ids[2], 'error'],
      [ids[3], 'result'],
    ]);
    const counts = replies.map((m) => (m as { executionCount: number }).executionCount);
    expect(counts).toEqual([counts[0], counts[0] + 1, counts[0] + 2, counts[0] + 3]);
  });

  it('ignores interrupt when idle and stays usable', async () => {
    const before = h.messages.length;
    h.kernel.handle({ type: 'interrupt' });
    expect(h.messages.length).toBe(before);
    expect((await h.exec('2 + 2')).result?.bundle).toEqual({ kind: 'text', text: '4' });
  });
});

describe('console capture', () => {
  it('turns every console level into stream messages in call order', async () => {
    const out = await h.exec(
      'console.log("one", 1, [1, 2]);\nconsole.info("two");\nconsole.debug("three");\nconsole.warn("four");\nconsole.error("five", {a: 1});\nconsole.log("%s is %d", "x", 5)',
    );
    const streams = out.messages.filter((m) => m.type === 'stream');
    expect(streams.map((m) => m.type === 'stream' && [m.name, m.level, m.text])).toEqual([
      ['stdout', 'log', 'one 1 [1, 2]\n'],
      ['stdout', 'info', 'two\n'],
      ['stdout', 'debug', 'three\n'],
      ['stderr', 'warn', 'four\n'],
      ['stderr', 'error', 'five { a: 1 }\n'],
      ['stdout', 'log', 'x is 5\n'],
    ]);
  });
});

describe('shared scope', () => {
  it('makes top-level declarations visible to later cells', async () => {
    await h.exec('const base = 10;\nlet {p, q: [r]} = {p: 1, q: [2]};\nfunction addBase(v) { return v + base; }\nclass Box { constructor(v) { this.v = v; } }');
    const out = await h.exec('[addBase(p), r, new Box(3).v]');
    expect(out.result?.bundle).toEqual({ kind: 'text', text: '[11, 2, 3]' });
  });

  it('lets a re-run cell redefine its const names, and functions see the new value', async () => {
    await h.exec('const factor = 2;\nfunction scale(v) { return v * factor; }', 'def');
    expect((await h.exec('scale(5)')).result?.bundle).toEqual({ kind: 'text', text: '10' });
    await h.exec('const factor = 3;', 'def');
    expect((await h.exec('scale(5)')).result?.bundle).toEqual({ kind: 'text', text: '15' });
  });

  it('keeps const read-only for other cells', async () => {
    await h.exec('const frozen = 1;');
    const out = await h.exec('frozen = 2;');
    expect(out.error).toMatchObject({ ename: 'TypeError', evalue: 'Assignment to constant variable.', line: 1 });
    expect((await h.exec('let frozen = 5;\nfrozen')).result?.bundle).toEqual({ kind: 'text', text: '5' });
  });

  it('shows no value for a cell ending in a declaration or undefined', async () => {
    expect((await h.exec('const nothing = 1;')).result?.bundle).toBeUndefined();
    expect((await h.exec('undefined')).result?.bundle).toBeUndefined();
  });

  it('supports top-level await and awaits a returned promise', async () => {
    const out = await h.exec('const v = await new Promise((r) => setTimeout(() => r(7), 1));\nPromise.resolve(v * 6)');
    expect(out.result?.bundle).toEqual({ kind: 'text', text: '42' });
  });
});
