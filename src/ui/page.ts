/**
 * A lesson page as a notebook: finds the server-rendered cells, builds the toolbar, and owns
 * the one kernel session the cells share.
 *
 * Cells are enhanced one per task, in page order, not all in the constructor: enhancing a cell
 * (its buttons, copy buttons, restored edits and outputs) costs about 3 ms of main thread on a
 * fast machine, 12 ms on a mid-range phone, and a lesson has up to 17 cells, so doing them in
 * one task blocked input for 150-200 ms during load (Lighthouse's total blocking time). Anything
 * that needs every cell (`cells`, Run all, Shift+Enter to the next cell...) finishes the
 * remaining ones first, synchronously, so no caller ever sees a half-enhanced page. When the
 * last cell is enhanced, `<html data-notebook="ready">` says so (the browser tests wait for it).
 */
import { Cell, type CellHost } from './cell';
import { EditStore, pageKey, type StorageLike } from './edit-store';
import { h } from './dom';
import { KernelSession, type WorkerLike } from './kernel-session';
import { OutputStore } from './output-store';
import { Toolbar } from './toolbar';

/**
 * How a NotebookPage is set up: how to create the kernel's worker, the site base and Stop's grace
 * period (ms).
 */
export interface NotebookOptions {
  createWorker: () => WorkerLike;
  /** Site base URL ending in '/'. */
  base: string;
  graceMs?: number;
}

/**
 * A lesson page's notebook: its cells, the shared kernel session, the edit and output stores, and
 * the toolbar.
 */
export class NotebookPage implements CellHost {
  /** The cells enhanced so far, in page order (see the file's header). */
  private readonly enhanced: Cell[] = [];
  /** The `<rnn-cell>` elements not enhanced yet, in page order. */
  private readonly pending: HTMLElement[];
  readonly session: KernelSession;
  readonly store: EditStore;
  /** Each cell's last outputs, kept across reloads (see output-store.ts). */
  readonly outputs: OutputStore;
  private readonly toolbar: Toolbar;

  constructor(elements: HTMLElement[], opts: NotebookOptions) {
    let storage: StorageLike | null = null;
    try {
      storage = window.localStorage;
    } catch {
      storage = null; // blocked storage: edits last for this visit only
    }
    // Storage full, or another tab saving edits of this lesson: said in the notebook bar.
    this.store = new EditStore(storage, pageKey(location.pathname), { warn: (text) => this.toolbar?.say(text, 'warn') });
    addEventListener('storage', (ev) => {
      const e = ev as StorageEvent;
      if (e.storageArea === storage) this.store.foreignChange(e.key, e.newValue);
    });
    this.outputs = new OutputStore(storage, pageKey(location.pathname));

    let bar = document.getElementById('notebook-bar');
    if (!bar) {
      bar = h('div', { id: 'notebook-bar', class: 'notebook-bar' });
      elements[0]!.before(bar);
    }
    this.toolbar = new Toolbar(bar, {
      runAll: () => this.runAll(),
      stop: () => this.session.stop(),
      // As Jupyter does, ask first when there is something to lose (a kernel that has run).
      restart: () => {
        const ask = 'Restart the kernel? Every definition, a trained model included, is lost. Outputs stay; Run all brings the definitions back.';
        if (this.session.status.state !== 'off' && !window.confirm(ask)) return;
        this.session.restart('Kernel restarted.');
      },
      clear: () => this.cells.forEach((c) => c.clearOutput()),
    });
    this.session = new KernelSession(
      opts.createWorker,
      opts.base,
      {
        status: (s) => {
          this.toolbar.setStatus(s);
          this.changed();
        },
        notice: (text, kind) => this.toolbar.say(text, kind),
      },
      { graceMs: opts.graceMs },
    );
    this.pending = [...elements];
    this.enhanceNext();
    void this.enhanceRest();
    // Only enhanced cells can have an edit waiting to be saved: leaving need not enhance the rest.
    addEventListener('pagehide', () => this.enhanced.forEach((c) => c.flushSave()));
    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => this.cells.forEach((c) => c.out.markScrollable()), 300);
    });
  }

  /** Every cell of the page, in order; enhances the ones not enhanced yet first. */
  get cells(): readonly Cell[] {
    while (this.pending.length > 0) this.enhanceNext();
    return this.enhanced;
  }

  /** Enhances the next pending cell; marks the page ready after the last one. */
  private enhanceNext(): void {
    const el = this.pending.shift();
    if (!el) return;
    this.enhanced.push(new Cell(el, this.enhanced.length + 1, this));
    if (this.pending.length === 0) document.documentElement.dataset.notebook = 'ready';
  }

  /**
   * The rest of the cells, one per task, so input and rendering get in between. A timer, not a
   * MessageChannel: the 4 ms clamp of nested timers costs a 17-cell lesson about 60 ms in all,
   * spread over the load, and timers yield to input and rendering.
   */
  private async enhanceRest(): Promise<void> {
    while (this.pending.length > 0) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      this.enhanceNext();
    }
  }

  runAll(): void {
    for (const c of this.cells) c.run();
  }

  /** Jupyter's "Run All Above": queues every cell above `cell`, in order (then `cell` if asked). */
  runAbove(cell: Cell, andThis = false): void {
    const i = this.cells.indexOf(cell);
    for (const c of this.cells.slice(0, i)) c.run();
    if (andThis) cell.run();
  }

  focusNext(cell: Cell): void {
    const next = this.cells[this.cells.indexOf(cell) + 1];
    if (next) next.focus();
  }

  changed(): void {
    // The session may report its first status from its own constructor, before `session` is
    // set; cells not enhanced yet cannot be busy.
    if (!this.session) return;
    this.toolbar.setActive(this.session.active || this.enhanced.some((c) => c.busy));
  }

  cell(id: string): Cell | undefined {
    return this.cells.find((c) => c.id === id);
  }
}
