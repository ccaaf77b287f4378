/**
 * The page's side of the kernel: owns the Web Worker, queues cell runs and sends them one at
 * a time, routes every reply to the cell that asked, and implements Stop and Restart.
 *
 * - The worker is created on the first run only, so a lesson page loads no kernel code (and
 *   no TensorFlow.js) until the reader runs something.
 * - Runs are queued here, not in the worker, so Stop can cancel queued cells instantly.
 * - Stop sends `interrupt`; if the running cell has not finished after a grace period
 *   (code that never yields, like `while (true) {}`), the worker is terminated and a fresh
 *   one started. That works on any static host: no SharedArrayBuffer, no COOP/COEP headers.
 * - An error cancels the cells queued after it, like Jupyter's Run all.
 * - Output that arrives after a run has finished (a timer or callback the cell left behind,
 *   including errors the kernel caught in it) still goes to that cell, as in Jupyter, until
 *   the cell runs again or the kernel restarts.
 * - No run is left "running" without an answer: every job that was posted either gets its
 *   reply, or is finished as `killed` by Restart, by a worker error, by the Stop grace period,
 *   or by the answer deadline — a worker that has not said anything within `ackMs` of an
 *   `execute` (the kernel always answers one at once with a status) has stopped answering
 *   (closed, or stuck in code a callback left running) and is replaced, and the page says so.
 * - A Stop that the kernel honours keeps every definition; the notice says so, replacing an
 *   earlier "did not stop" warning.
 * - While the kernel says it is in a call it cannot stop midway (`busy`: `model.evaluate` on
 *   25,000 samples, one synchronous task in tfjs), the grace period does not run out: Stop
 *   waits for the call, up to `busyLimitMs`, and the notice says what it waits for. The grace
 *   period starts again when the call returns.
 *
 * The worker is injected (`createWorker`) so this logic runs in Node tests with a fake.
 */
import type {
  DisplayMessage,
  ErrorMessage,
  FromKernel,
  InputReply,
  InputRequest,
  KernelState,
  ResultMessage,
  StreamMessage,
  ToKernel,
} from '../contract/protocol';
import { PROTOCOL_VERSION, isFromKernel } from '../contract/protocol';

/** What the page shows as the kernel's state; `off` until the first run creates the worker. */
export type SessionState = 'off' | KernelState;

/** How a run ended: the kernel's result or error, cancelled before it ran, or killed with the worker. */
export type RunOutcome =
  | { kind: 'result'; msg: ResultMessage }
  | { kind: 'error'; msg: ErrorMessage }
  /** Removed from the queue before it ran (Stop, Restart, or an earlier cell's error). */
  | { kind: 'cancelled'; reason: string }
  /** The worker was terminated while this cell ran. */
  | { kind: 'killed'; reason: string };

/** Where one run's messages go (a cell). */
export interface RunSink {
  started(runId: number): void;
  message(msg: StreamMessage | DisplayMessage | InputRequest): void;
  finished(outcome: RunOutcome): void;
}

/** The parts of a Worker the session uses (a fake one in tests). */
export interface WorkerLike {
  postMessage(message: ToKernel, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onerror: ((ev: ErrorEvent) => unknown) | null;
}

/**
 * What the toolbar shows: the kernel's state ('off' while no worker runs), backend, tensor count
 * and queue length.
 */
export interface SessionStatus {
  state: SessionState;
  backend?: string;
  numTensors?: number;
  /** Runs waiting in the queue (not counting the one running). */
  queued: number;
}

/** Where the session reports status changes and notices (the page's toolbar). */
export interface SessionEvents {
  status(s: SessionStatus): void;
  notice(text: string, kind: 'info' | 'warn'): void;
}

/** Timeouts of a session, in milliseconds. */
export interface SessionOptions {
  /** How long Stop waits for the running cell before terminating the worker. */
  graceMs?: number;
  /** How long Stop waits for a call the kernel said it cannot stop midway (`busy`) before terminating the worker. */
  busyLimitMs?: number;
  /** How long an `execute` may go without any message from the kernel before it is declared dead. */
  ackMs?: number;
}

/** A queued or running cell's run, returned by `enqueue`. */
export interface RunHandle {
  readonly cellId: string;
  /** Removes the run if queued, interrupts it if running. */
  cancel(): void;
}

interface Job {
  cellId: string;
  code: string;
  sink: RunSink;
  runId: number;
  inputRequests: Set<number>;
}

/** Appended to every notice that says the kernel was restarted or died. */
export const RESTART_NOTICE = 'Earlier definitions are gone; Run all restores them.';

/** Said when a Stop was honoured by the kernel (replaces an earlier "did not stop" warning). */
export const CLEAN_STOP_NOTICE = 'Stopped. The kernel kept every definition.';

/** Finished runs whose late output (timers, callbacks) is still routed to their cell. */
const LATE_RUNS = 64;

/** The page's kernel session described above: `enqueue` a cell's run, `stop`, `restart`, and its `status`. */
export class KernelSession {
  private worker: WorkerLike | null = null;
  private queue: Job[] = [];
  private current: Job | null = null;
  private nextRunId = 1;
  private graceTimer: ReturnType<typeof setTimeout> | null = null;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly graceMs: number;
  private readonly busyLimitMs: number;
  private readonly ackMs: number;
  /** runId -> sink of finished runs, newest per cell, for output that arrives late. */
  private readonly late = new Map<number, { cellId: string; sink: RunSink }>();
  private stopRequested = false;
  /** What the running job's kernel said it cannot stop midway (`busy`), or null. */
  private busyWhat: string | null = null;
  /** The pending Stop's grace timer: how long it has waited before this timer, and whether the wait was explained. */
  private grace = { waited: 0, told: false };
  /** True once the current worker has sent anything (it loaded and runs). */
  private heard = false;
  private st: SessionStatus = { state: 'off', queued: 0 };

  constructor(
    private readonly createWorker: () => WorkerLike,
    private readonly base: string,
    private readonly events: SessionEvents,
    opts: SessionOptions = {},
  ) {
    this.graceMs = opts.graceMs ?? 2000;
    this.busyLimitMs = opts.busyLimitMs ?? 120_000;
    this.ackMs = opts.ackMs ?? 8000;
  }

  get status(): SessionStatus {
    return { ...this.st };
  }

  /** True while a run is executing or waiting. */
  get active(): boolean {
    return this.current !== null || this.queue.length > 0;
  }

  /** Queues a run of `code` for `cellId`; messages about it go to `sink`. */
  enqueue(cellId: string, code: string, sink: RunSink): RunHandle {
    const job: Job = { cellId, code, sink, runId: 0, inputRequests: new Set() };
    this.queue.push(job);
    this.emit();
    queueMicrotask(() => this.pump());
    return { cellId, cancel: () => this.cancelJob(job) };
  }

  /** Stop: cancels every queued run and interrupts the running one. */
  stop(): void {
    this.cancelQueued('Cancelled by Stop.');
    if (this.current) this.interrupt(this.current);
    this.emit();
  }

  /** Terminates the worker (if any) and starts a fresh kernel; queued runs are cancelled. */
  restart(reason = 'Kernel restarted.', kind: 'info' | 'warn' = 'info'): void {
    this.cancelQueued(`Cancelled: ${reason}`);
    const running = this.current;
    const hadWorker = this.worker !== null;
    this.killWorker();
    // The cell that was running says it too: its definitions, and every other cell's, are gone.
    const told = `${reason} ${RESTART_NOTICE}`;
    if (running) running.sink.finished({ kind: 'killed', reason: told });
    // Before the first run there is nothing to restart, and no reason to load the kernel yet.
    if (hadWorker) this.startWorker();
    this.events.notice(told, kind);
    this.emit();
  }

  /** Answers a kernel `input_request` (a picked file, or undefined when cancelled). */
  reply(requestId: number, file?: InputReply['file']): void {
    this.current?.inputRequests.delete(requestId);
    const msg: InputReply = { type: 'input_reply', requestId, file };
    this.worker?.postMessage(msg, file ? [file.bytes] : []);
  }

  /* ---------------------------------------------------------------- internals */

  private emit(patch: Partial<SessionStatus> = {}): void {
    this.st = { ...this.st, ...patch, queued: this.queue.length };
    this.events.status(this.status);
  }

  private startWorker(): WorkerLike {
    const w = this.createWorker();
    this.heard = false;
    w.onmessage = (ev) => {
      if (this.worker === w && isFromKernel(ev.data)) {
        this.heard = true;
        this.onMessage(ev.data);
      }
    };
    w.onerror = (ev) => {
      if (this.worker === w) this.onWorkerError(ev);
    };
    this.worker = w;
    this.emit({ state: 'starting', backend: undefined, numTensors: undefined });
    w.postMessage({ type: 'init', base: this.base, version: PROTOCOL_VERSION });
    return w;
  }

  private killWorker(): void {
    this.clearGrace();
    this.clearAck();
    this.late.clear();
    if (this.worker) {
      this.worker.onmessage = null;
      this.worker.onerror = null;
      this.worker.terminate();
    }
    this.worker = null;
    this.current = null;
    this.busyWhat = null;
    this.emit({ state: 'off', backend: undefined, numTensors: undefined });
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    const worker = this.worker ?? this.startWorker();
    job.runId = this.nextRunId++;
    this.current = job;
    this.emit({ state: this.st.state === 'idle' ? 'busy' : this.st.state });
    // The cell's earlier run is superseded: its late output must not land in the new one.
    for (const [id, l] of this.late) if (l.cellId === job.cellId) this.late.delete(id);
    job.sink.started(job.runId);
    this.stopRequested = false;
    worker.postMessage({ type: 'execute', runId: job.runId, cellId: job.cellId, code: job.code });
    this.armAck(worker, job);
  }

  /** Declares the kernel dead when it does not answer an execute at all within `ackMs`. */
  private armAck(worker: WorkerLike, job: Job): void {
    this.clearAck();
    // A worker still loading its script (slow network or device) is not judged: one that
    // fails to load reports through onerror. Only a kernel that has answered before can go quiet.
    if (!this.heard) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null;
      if (this.worker !== worker || this.current !== job) return;
      const secs = Math.round(this.ackMs / 100) / 10;
      this.restart(`The kernel stopped answering (no reply within ${secs} s), so it was restarted.`, 'warn');
    }, this.ackMs);
  }

  private clearAck(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
  }

  private onMessage(msg: FromKernel): void {
    this.clearAck(); // any message shows the kernel is alive
    if (msg.type === 'status') {
      if (msg.protocolVersion !== undefined && msg.protocolVersion !== PROTOCOL_VERSION) {
        this.events.notice(
          'This page and its kernel come from different versions of the site (an old copy in the browser cache?). Reload the page before running cells.',
          'warn',
        );
      }
      this.emit({
        state: msg.state,
        backend: msg.backend ?? this.st.backend,
        numTensors: msg.numTensors ?? this.st.numTensors,
      });
      return;
    }
    const job = this.current;
    if (!job || msg.runId !== job.runId) {
      // Output of a finished run (a timer it left behind) goes to its cell; else it is dropped.
      const late = this.late.get(msg.runId);
      if (late && (msg.type === 'stream' || msg.type === 'display')) late.sink.message(msg);
      return;
    }
    switch (msg.type) {
      case 'busy':
        this.busyWhat = msg.what;
        // The call returned during a Stop: the kernel gets a whole grace period from here.
        if (msg.what === null && this.graceTimer) {
          this.clearGrace();
          this.armGrace(job, this.graceMs, this.grace.waited, this.grace.told);
        }
        return;
      case 'stream':
      case 'display':
        job.sink.message(msg);
        return;
      case 'input_request':
        job.inputRequests.add(msg.requestId);
        job.sink.message(msg);
        return;
      case 'result':
      case 'error': {
        this.clearGrace();
        this.current = null;
        this.busyWhat = null;
        this.late.set(job.runId, { cellId: job.cellId, sink: job.sink });
        if (this.late.size > LATE_RUNS) this.late.delete(this.late.keys().next().value!);
        this.emit({ numTensors: msg.numTensors });
        const interrupted = msg.type === 'result' ? msg.interrupted === true : msg.ename === 'KeyboardInterrupt';
        if (interrupted && this.stopRequested) this.events.notice(CLEAN_STOP_NOTICE, 'info');
        this.stopRequested = false;
        if (msg.type === 'result') job.sink.finished({ kind: 'result', msg });
        else {
          if (msg.ename !== 'KeyboardInterrupt') this.cancelQueued(`Not run: cell "${job.cellId}" raised ${msg.ename}.`);
          job.sink.finished({ kind: 'error', msg });
        }
        this.emit();
        this.pump();
        return;
      }
    }
  }

  private onWorkerError(ev: ErrorEvent): void {
    ev.preventDefault?.();
    const what = ev.message || 'the kernel failed to start or crashed';
    const running = this.current;
    this.cancelQueued(`Cancelled: ${what}`);
    this.killWorker();
    running?.sink.finished({ kind: 'killed', reason: `Kernel error: ${what}` });
    this.events.notice(`Kernel error: ${what}. A fresh kernel starts on the next Run. ${RESTART_NOTICE}`, 'warn');
  }

  private cancelJob(job: Job): void {
    const i = this.queue.indexOf(job);
    if (i >= 0) {
      this.queue.splice(i, 1);
      job.sink.finished({ kind: 'cancelled', reason: 'Cancelled by Stop.' });
      this.emit();
    } else if (job === this.current) {
      this.interrupt(job);
    }
  }

  private cancelQueued(reason: string): void {
    const jobs = this.queue;
    this.queue = [];
    for (const j of jobs) j.sink.finished({ kind: 'cancelled', reason });
  }

  private interrupt(job: Job): void {
    this.stopRequested = true;
    this.worker?.postMessage({ type: 'interrupt' });
    // A pending file picker would otherwise keep the run waiting forever.
    for (const id of job.inputRequests) this.reply(id, undefined);
    if (this.graceTimer) return;
    this.armGrace(job, this.graceMs, 0, false);
  }

  /**
   * After `ms`, restarts the kernel if `job` still runs, unless the kernel is in a call it
   * cannot stop midway and the Stop has waited less than `busyLimitMs`: then it says what Stop
   * waits for (once) and looks again. `waited`: the Stop's wait before this timer.
   */
  private armGrace(job: Job, ms: number, waited: number, told: boolean): void {
    this.grace = { waited, told };
    this.graceTimer = setTimeout(() => {
      this.graceTimer = null;
      if (this.current !== job) return;
      const total = waited + ms;
      if (this.busyWhat !== null && total < this.busyLimitMs) {
        if (!told) {
          this.events.notice(
            `Stopping once ${this.busyWhat} returns: it runs as one step and cannot be stopped midway. Restart kernel ends it at once, losing every definition.`,
            'info',
          );
        }
        this.armGrace(job, this.graceMs, total, true);
        return;
      }
      const secs = told ? Math.round(total / 1000) : Math.round(this.graceMs / 100) / 10;
      this.restart(`The running code did not stop within ${secs} s, so the kernel was restarted.`, 'warn');
    }, ms);
  }

  private clearGrace(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    this.graceTimer = null;
  }
}
