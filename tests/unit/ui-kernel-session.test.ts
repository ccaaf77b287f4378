/**
 * The page-side kernel session with a fake worker: lazy start, one run at a time, routing by
 * runId, Stop (interrupt, then terminate after the grace period), Restart, and errors
 * cancelling the queue.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PROTOCOL_VERSION, type FromKernel, type ToKernel } from '../../src/contract/protocol';
import { KernelSession, type RunOutcome, type RunSink, type SessionStatus, type WorkerLike } from '../../src/ui/kernel-session';

class FakeWorker implements WorkerLike {
  sent: ToKernel[] = [];
  transfers: Transferable[][] = [];
  terminated = false;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onerror: ((ev: ErrorEvent) => unknown) | null = null;
  postMessage(m: ToKernel, transfer: Transferable[] = []) {
    this.sent.push(m);
    this.transfers.push(transfer);
  }
  terminate() {
    this.terminated = true;
  }
  reply(m: FromKernel) {
    this.onmessage?.({ data: m } as MessageEvent);
  }
  executes() {
    return this.sent.filter((m) => m.type === 'execute') as Extract<ToKernel, { type: 'execute' }>[];
  }
}

function recorder() {
  const log: string[] = [];
  const outcomes: RunOutcome[] = [];
  const sink: RunSink = {
    started: (id) => log.push(`started ${id}`),
    message: (m) => log.push(m.type),
    finished: (o) => {
      outcomes.push(o);
      log.push(`finished ${o.kind}`);
    },
  };
  return { log, outcomes, sink };
}

const flush = () => new Promise<void>((r) => queueMicrotask(r));

describe('KernelSession', () => {
  let workers: FakeWorker[];
  let statuses: SessionStatus[];
  let notices: string[];
  let session: KernelSession;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    workers = [];
    statuses = [];
    notices = [];
    session = new KernelSession(
      () => {
        const w = new FakeWorker();
        workers.push(w);
        return w;
      },
      '/rnn-notebook/',
      { status: (s) => statuses.push(s), notice: (t) => notices.push(t) },
      { graceMs: 2000 },
    );
  });
  afterEach(() => vi.useRealTimers());

  it('creates the worker on the first run only, and sends init first', async () => {
    expect(workers).toHaveLength(0);
    const a = recorder();
    session.enqueue('a', '1 + 1', a.sink);
    await flush();
    expect(workers).toHaveLength(1);
    expect(workers[0]!.sent[0]).toEqual({ type: 'init', base: '/rnn-notebook/', version: PROTOCOL_VERSION });
    expect(workers[0]!.sent[1]).toMatchObject({ type: 'execute', cellId: 'a', code: '1 + 1' });
  });

  it('says so when the kernel answers init with another protocol version (a stale cached worker)', async () => {
    session.enqueue('a', '1', recorder().sink);
    await flush();
    workers[0]!.reply({ type: 'status', state: 'idle', protocolVersion: PROTOCOL_VERSION });
    expect(notices).toEqual([]);
    workers[0]!.reply({ type: 'status', state: 'idle', protocolVersion: PROTOCOL_VERSION - 1 });
    expect(notices).toEqual([expect.stringMatching(/different versions of the site.*Reload the page/)]);
  });

  it('runs one cell at a time and routes messages by runId', async () => {
    const a = recorder();
    const b = recorder();
    session.enqueue('a', 'A', a.sink);
    session.enqueue('b', 'B', b.sink);
    await flush();
    const w = workers[0]!;
    expect(w.executes()).toHaveLength(1);
    const runA = w.executes()[0]!.runId;
    w.reply({ type: 'stream', runId: runA, name: 'stdout', level: 'log', text: 'hi' });
    w.reply({ type: 'stream', runId: 999, name: 'stdout', level: 'log', text: 'stray' });
    w.reply({ type: 'status', state: 'idle', backend: 'cpu', numTensors: 3 });
    w.reply({ type: 'result', runId: runA, executionCount: 1, numTensors: 4 });
    expect(a.log).toEqual([`started ${runA}`, 'stream', 'finished result']);
    expect(w.executes()).toHaveLength(2);
    const runB = w.executes()[1]!.runId;
    expect(runB).not.toBe(runA);
    expect(b.log).toEqual([`started ${runB}`]);
    expect(session.status).toMatchObject({ backend: 'cpu', numTensors: 4 });
  });

  it('an error cancels the queued cells', async () => {
    const a = recorder();
    const b = recorder();
    session.enqueue('a', 'throw 1', a.sink);
    session.enqueue('b', 'B', b.sink);
    await flush();
    const w = workers[0]!;
    const runA = w.executes()[0]!.runId;
    w.reply({ type: 'error', runId: runA, executionCount: 1, ename: 'Error', evalue: '1', traceback: [], numTensors: 0 });
    expect(a.outcomes[0]!.kind).toBe('error');
    expect(b.outcomes[0]!.kind).toBe('cancelled');
    expect(w.executes()).toHaveLength(1);
  });

  it('Stop cancels the queue and interrupts; a run that ends in time keeps the worker', async () => {
    const a = recorder();
    const b = recorder();
    session.enqueue('a', 'fit', a.sink);
    session.enqueue('b', 'B', b.sink);
    await flush();
    const w = workers[0]!;
    session.stop();
    expect(b.outcomes[0]!.kind).toBe('cancelled');
    expect(w.sent.at(-1)).toEqual({ type: 'interrupt' });
    vi.advanceTimersByTime(500);
    w.reply({ type: 'result', runId: w.executes()[0]!.runId, executionCount: 1, numTensors: 0, interrupted: true });
    vi.advanceTimersByTime(5000);
    expect(w.terminated).toBe(false);
    expect(workers).toHaveLength(1);
    expect(a.outcomes[0]).toMatchObject({ kind: 'result' });
  });

  it('Stop on code that never yields terminates the worker after the grace period', async () => {
    const a = recorder();
    session.enqueue('a', 'while (true) {}', a.sink);
    await flush();
    const w = workers[0]!;
    session.stop();
    vi.advanceTimersByTime(1999);
    expect(w.terminated).toBe(false);
    vi.advanceTimersByTime(1);
    expect(w.terminated).toBe(true);
    expect(a.outcomes[0]!.kind).toBe('killed');
    expect(workers).toHaveLength(2); // a fresh kernel
    expect(workers[1]!.sent[0]).toEqual({ type: 'init', base: '/rnn-notebook/', version: PROTOCOL_VERSION });
    expect(notices.at(-1)).toMatch(/did not stop within 2 s.*Run all restores them/);
    // Late messages of the dead worker are ignored; the new kernel runs the next cell.
    const b = recorder();
    session.enqueue('b', '1', b.sink);
    await flush();
    expect(workers[1]!.executes()).toHaveLength(1);
  });

  it('Stop waits for a call the kernel cannot stop midway, then gives a fresh grace period', async () => {
    const a = recorder();
    session.enqueue('a', 'model.evaluate(x, y)', a.sink);
    await flush();
    const w = workers[0]!;
    const runId = w.executes()[0]!.runId;
    w.reply({ type: 'busy', runId, what: 'model.evaluate on 25,000 samples' });
    expect(a.log).toEqual([`started ${runId}`]); // not shown in the cell
    session.stop();
    vi.advanceTimersByTime(9000);
    expect(w.terminated).toBe(false);
    expect(notices.filter((n) => /Stopping once model\.evaluate on 25,000 samples returns/.test(n))).toHaveLength(1);
    // The call returned: the kernel now has a whole grace period to reach its next await.
    w.reply({ type: 'busy', runId, what: null });
    vi.advanceTimersByTime(1999);
    expect(w.terminated).toBe(false);
    vi.advanceTimersByTime(1);
    expect(w.terminated).toBe(true);
    expect(a.outcomes[0]!.kind).toBe('killed');
    expect(notices.at(-1)).toMatch(/did not stop within 1\d s/);
  });

  it('Stop during such a call ends well when the run answers, and gives up after the limit', async () => {
    const a = recorder();
    session.enqueue('a', 'model.predict(x)', a.sink);
    await flush();
    const w = workers[0]!;
    const runA = w.executes()[0]!.runId;
    w.reply({ type: 'busy', runId: runA, what: 'model.predict on 25,000 samples' });
    session.stop();
    vi.advanceTimersByTime(5000);
    w.reply({ type: 'busy', runId: runA, what: null });
    w.reply({ type: 'result', runId: runA, executionCount: 1, numTensors: 0, interrupted: true });
    vi.advanceTimersByTime(5000);
    expect(w.terminated).toBe(false);
    expect(a.outcomes[0]).toMatchObject({ kind: 'result' });

    // A call that never returns (busyLimitMs, 120 s by default) is ended by a restart.
    const b = recorder();
    session.enqueue('b', 'model.predict(x)', b.sink);
    await flush();
    const runB = w.executes()[1]!.runId;
    w.reply({ type: 'busy', runId: runB, what: 'model.predict on 25,000 samples' });
    session.stop();
    vi.advanceTimersByTime(119_000);
    expect(w.terminated).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(w.terminated).toBe(true);
    expect(b.outcomes[0]!.kind).toBe('killed');
    expect(notices.at(-1)).toMatch(/did not stop within 120 s/);
  });

  it("a cell's own Stop removes it from the queue, or interrupts it when it runs", async () => {
    const a = recorder();
    const b = recorder();
    const c = recorder();
    const ha = session.enqueue('a', 'A', a.sink);
    const hb = session.enqueue('b', 'B', b.sink);
    session.enqueue('c', 'C', c.sink);
    await flush();
    const w = workers[0]!;
    hb.cancel();
    expect(b.outcomes).toEqual([{ kind: 'cancelled', reason: 'Cancelled by Stop.' }]);
    expect(c.outcomes).toEqual([]);
    ha.cancel();
    expect(w.sent.at(-1)).toEqual({ type: 'interrupt' });
    w.reply({ type: 'result', runId: w.executes()[0]!.runId, executionCount: 1, numTensors: 0, interrupted: true });
    // The next queued cell (c) runs; b never does.
    expect(w.executes().map((e) => e.cellId)).toEqual(['a', 'c']);
  });

  it('Stop answers a pending file request with a cancel', async () => {
    const a = recorder();
    session.enqueue('a', 'await files.pick()', a.sink);
    await flush();
    const w = workers[0]!;
    const runId = w.executes()[0]!.runId;
    w.reply({ type: 'input_request', runId, requestId: 7, prompt: 'pick', accept: '.txt' });
    session.stop();
    expect(w.sent.slice(-2)).toEqual([{ type: 'interrupt' }, { type: 'input_reply', requestId: 7, file: undefined }]);
  });

  it('transfers the bytes of a picked file', async () => {
    const a = recorder();
    session.enqueue('a', 'x', a.sink);
    await flush();
    const bytes = new ArrayBuffer(8);
    session.reply(3, { name: 'a.txt', type: 'text/plain', bytes });
    const w = workers[0]!;
    expect(w.sent.at(-1)).toMatchObject({ type: 'input_reply', requestId: 3 });
    expect(w.transfers.at(-1)).toEqual([bytes]);
  });

  it('Restart kills the running cell and starts a fresh worker; before any run it starts none', async () => {
    session.restart();
    expect(workers).toHaveLength(0);
    const a = recorder();
    session.enqueue('a', 'x', a.sink);
    await flush();
    session.restart();
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(a.outcomes[0]!.kind).toBe('killed');
    expect(statuses.at(-1)!.state).toBe('starting');
  });

  it('a crashed worker fails the running cell and the next run starts a new one', async () => {
    const a = recorder();
    session.enqueue('a', 'x', a.sink);
    await flush();
    workers[0]!.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
    expect(a.outcomes[0]).toMatchObject({ kind: 'killed' });
    expect(session.status.state).toBe('off');
    session.enqueue('b', 'y', recorder().sink);
    await flush();
    expect(workers).toHaveLength(2);
  });

  it('routes output that arrives after a run finished to its cell, until the cell runs again', async () => {
    const a = recorder();
    session.enqueue('a', 'setTimeout(...)', a.sink);
    await flush();
    const w = workers[0]!;
    w.reply({ type: 'status', state: 'idle' });
    const id = w.executes()[0]!.runId;
    w.reply({ type: 'result', runId: id, executionCount: 1, numTensors: 0 });
    w.reply({ type: 'stream', runId: id, name: 'stderr', level: 'error', text: 'Uncaught error in a setTimeout callback' });
    expect(a.log).toEqual([`started ${id}`, 'finished result', 'stream']);
    const a2 = recorder();
    session.enqueue('a', '1', a2.sink);
    await flush();
    w.reply({ type: 'stream', runId: id, name: 'stdout', level: 'log', text: 'late' });
    expect(a.log.at(-1)).toBe('stream'); // the superseded run's late output is dropped
    expect(a.log.length).toBe(3);
  });

  it('declares a kernel that does not answer an execute dead, restarts it and says so', async () => {
    const a = recorder();
    session.enqueue('a', '1', a.sink);
    await flush();
    const w = workers[0]!;
    w.reply({ type: 'status', state: 'idle' }); // it loaded and answered init
    w.reply({ type: 'result', runId: w.executes()[0]!.runId, executionCount: 1, numTensors: 0 });
    const b = recorder();
    session.enqueue('b', '2', b.sink); // the worker has closed itself: silence
    await flush();
    vi.advanceTimersByTime(7_900);
    expect(b.outcomes).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(b.outcomes).toEqual([{ kind: 'killed', reason: 'The kernel stopped answering (no reply within 8 s), so it was restarted. Earlier definitions are gone; Run all restores them.' }]);
    expect(w.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(notices.at(-1)).toMatch(/stopped answering/);
  });

  it('says a Stop the kernel honoured kept the definitions (replacing a "did not stop" warning)', async () => {
    const a = recorder();
    session.enqueue('a', 'await sleep()', a.sink);
    await flush();
    const w = workers[0]!;
    w.reply({ type: 'status', state: 'busy' });
    session.stop();
    w.reply({ type: 'result', runId: w.executes()[0]!.runId, executionCount: 1, numTensors: 0, interrupted: true });
    expect(notices.at(-1)).toBe('Stopped. The kernel kept every definition.');
  });
});
