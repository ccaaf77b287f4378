/**
 * The kernel's run loop always answers (see the invariants in src/kernel/kernel.ts), Stop
 * lands in await loops and on unawaited promises, callback errors are attributed to the run
 * that scheduled them (callbacks.ts), output is bounded per run, and the kernel's memory of
 * compiled cells stays bounded over a long session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardCallbacks, type GuardedGlobal } from '../../src/kernel/callbacks';
import { MAX_STREAM_MESSAGES } from '../../src/kernel/kernel';
import { collect, startKernel, type Harness } from './kernel-harness';

let h: Harness;
beforeAll(async () => {
  h = await startKernel({ rnn: false });
});
afterAll(() => h.dispose());

async function stopAfter(code: string, ms: number) {
  const id = h.send(code);
  await new Promise((r) => setTimeout(r, ms));
  const t0 = performance.now();
  h.kernel.handle({ type: 'interrupt' });
  await h.kernel.whenIdle();
  return { out: collect(h.messages, id), ms: performance.now() - t0 };
}

describe('Stop', () => {
  it('lands in `for (;;) { await 0 }` and keeps the state', async () => {
    await h.exec('const keep = 7');
    const { out, ms } = await stopAfter('for (;;) { await 0 }', 200);
    expect(out.result?.interrupted).toBe(true);
    expect(ms).toBeLessThan(500);
    expect((await h.exec('keep')).result?.bundle).toEqual({ kind: 'text', text: '7' });
  });

  it('ends a run whose last line is a promise it never awaited', async () => {
    const { out, ms } = await stopAfter('new Promise((r) => setTimeout(r, 60000))', 100);
    expect(out.result?.interrupted).toBe(true);
    expect(ms).toBeLessThan(500);
  });
});

describe('bounded output', () => {
  it('sends at most MAX_STREAM_MESSAGES console outputs per run and says how many were left out', async () => {
    const out = await h.exec('for (let i = 0; i < 20000; i++) console.log(i); "end"');
    const streams = out.messages.filter((m) => m.type === 'stream');
    expect(streams.length).toBe(MAX_STREAM_MESSAGES + 1);
    expect(streams.at(-1)).toMatchObject({ name: 'stderr', text: expect.stringMatching(/^… 15,000 more console outputs not shown/) });
    expect(out.result?.bundle).toEqual({ kind: 'text', text: 'end' });
  });

  it('cuts long text and tables, saying how much was left out', async () => {
    const t = await h.exec('"ab".repeat(1e6)');
    expect(t.result?.bundle).toMatchObject({ kind: 'text', omittedChars: 1_000_000 });
    expect((t.result?.bundle as { text: string }).text.length).toBe(1_000_000);
    const tb = await h.exec('display.table({ columns: ["i"], rows: Array.from({ length: 6000 }, (_, i) => [i]) })');
    const d = tb.messages.find((m) => m.type === 'display');
    expect(d && d.type === 'display' && d.bundle).toMatchObject({ kind: 'table', omittedRows: 1000 });
    expect(tb.result?.bundle).toBeUndefined(); // no `true` after display.table
  });
});

describe('memory over a long session', () => {
  it('remembers a bounded number of compiled cells', async () => {
    for (let i = 0; i < 120; i++) await h.exec(`${i}`, `cell-${i % 5}`);
    expect(h.kernel.rememberedScripts).toBeLessThanOrEqual(32 + 5);
  });
});

describe('callback guards', () => {
  it('attribute callbacks to the run that scheduled them and report their errors there', async () => {
    const timers: Array<() => void> = [];
    const listeners = new Map<string, (e: Event) => void>();
    const g: GuardedGlobal = {
      setTimeout: (fn) => timers.push(fn as () => void),
      setInterval: (fn) => timers.push(fn as () => void),
      queueMicrotask: (fn) => timers.push(fn),
      addEventListener: (type, fn) => void listeners.set(type, fn),
    };
    let current: number | undefined = 1;
    const errors: Array<[unknown, number | undefined, string]> = [];
    const seen: Array<number | undefined> = [];
    guardCallbacks(g, {
      runId: () => current,
      within: (id, fn) => {
        const saved = current;
        current = id;
        try {
          return fn();
        } finally {
          current = saved;
        }
      },
      error: (e, id, where) => errors.push([e, id, where]),
      rejection: () => {},
    });
    g.setTimeout(() => {
      seen.push(current);
      throw new Error('boom');
    }, 10);
    g.queueMicrotask!(() => {
      throw 42;
    });
    current = 2;
    for (const t of timers) expect(() => t()).not.toThrow();
    expect(seen).toEqual([1]);
    expect(errors.map(([e, id, where]) => [String(e), id, where])).toEqual([
      ['Error: boom', 1, 'a setTimeout callback'],
      ['42', 1, 'a queueMicrotask callback'],
    ]);
    let prevented = false;
    listeners.get('error')!({ preventDefault: () => (prevented = true), error: new Error('other') } as unknown as Event);
    expect(prevented).toBe(true);
    expect(errors.at(-1)?.[1]).toBe(2);
  });

  it('the kernel shows a callback error on stderr of the run that scheduled it', async () => {
    const id = h.send('const later = 1; 0');
    await h.kernel.whenIdle();
    h.kernel.callbackHost().error(new Error('timer boom'), id, 'a setTimeout callback');
    const out = collect(h.messages, id);
    expect(out.text).toMatch(/^Uncaught error in a setTimeout callback: Error: timer boom\n$/);
    expect((await h.exec('later')).result?.bundle).toEqual({ kind: 'text', text: '1' });
  });
});
