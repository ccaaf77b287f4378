/**
 * A lesson page as a notebook: finds the server-rendered cells, builds the toolbar, and owns
 * the one kernel session the cells share.
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
  readonly cells: Cell[];
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
      restart: () => this.session.restart('Kernel restarted.'),
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
    this.cells = elements.map((el, i) => new Cell(el, i + 1, this));
    addEventListener('pagehide', () => this.cells.forEach((c) => c.flushSave()));
    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => this.cells.forEach((c) => c.out.markScrollable()), 300);
    });
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
    // Before the constructor has finished, the session may report its first status.
    if (!this.cells) return;
    this.toolbar.setActive(this.session.active || this.cells.some((c) => c.busy));
  }

  cell(id: string): Cell | undefined {
    return this.cells.find((c) => c.id === id);
  }
}
