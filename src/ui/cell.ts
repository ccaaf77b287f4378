/**
 * One notebook cell on a lesson page. It enhances the server-rendered `<rnn-cell>` (see the
 * DOM contract in docs/ARCHITECTURE.md): adds Run / Stop / Edit / Reset buttons and a state
 * badge, swaps the Shiki listing for a CodeMirror editor when the reader edits or runs the
 * cell, keeps the reader's edits in localStorage, and renders the run's outputs.
 */
import type { DisplayMessage, InputRequest, StreamMessage } from '../kernel/protocol';
import { h } from './dom';
import type { CellEditor } from './editor';
import type { EditStore } from './edit-store';
import { iconButton } from './icons';
import type { KernelSession, RunHandle, RunOutcome, RunSink } from './kernel-session';
import { isInterrupt } from './output/error';
import { OutputArea } from './output/output-area';

export type CellState = 'idle' | 'queued' | 'running' | 'done' | 'error' | 'stopped' | 'cancelled';

const STATE_TEXT: Record<CellState, string> = {
  idle: '',
  queued: 'Queued',
  running: 'Running…',
  done: 'Done',
  error: 'Error',
  stopped: 'Stopped',
  cancelled: 'Cancelled',
};

/** What a cell needs from the page around it. */
export interface CellHost {
  readonly session: KernelSession;
  readonly store: EditStore;
  /** Moves focus to the cell after this one (Shift+Enter). */
  focusNext(cell: Cell): void;
  /** Called when a cell's state changes (the toolbar enables Stop). */
  changed(): void;
}

let editorModule: Promise<typeof import('./editor')> | null = null;
/** Loads CodeMirror once, on first use. */
function loadEditor(): Promise<typeof import('./editor')> {
  editorModule ??= import('./editor');
  return editorModule;
}

export class Cell {
  readonly id: string;
  readonly authored: string;
  readonly hash: string;
  readonly out: OutputArea;
  state: CellState = 'idle';
  private code: string;
  private editor: CellEditor | null = null;
  private editorLoading: Promise<CellEditor> | null = null;
  private handle: RunHandle | null = null;
  private promptText = 'In [ ]:';
  private lastPrompt = 'In [ ]:';
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private pendingError: { line: number; column?: number } | null = null;
  private readonly prompt: HTMLElement | null;
  private readonly codeBox: HTMLElement;
  private readonly listing: HTMLElement | null;
  private readonly badge: HTMLElement;
  private readonly editedTag: HTMLElement;
  private readonly buttons: Record<'run' | 'stop' | 'edit' | 'reset', HTMLButtonElement>;

  constructor(
    readonly el: HTMLElement,
    readonly index: number,
    private readonly host: CellHost,
  ) {
    this.id = el.dataset.cellId || `cell-${index}`;
    this.authored = el.dataset.source ?? el.querySelector('.cell-code pre')?.textContent ?? '';
    this.hash = el.dataset.sourceHash ?? '';
    this.code = this.authored;
    this.prompt = el.querySelector('.cell-prompt');
    this.codeBox = el.querySelector<HTMLElement>('.cell-code') ?? el.appendChild(h('div', { class: 'cell-code' }));
    this.listing = this.codeBox.querySelector('pre');
    const outputEl = el.querySelector<HTMLElement>('.cell-output') ?? el.appendChild(h('div', { class: 'cell-output', 'aria-live': 'polite' }));
    this.out = new OutputArea(outputEl);

    const n = ` cell ${index}`;
    this.buttons = {
      run: iconButton('run', 'Run', n, 'nb-run'),
      stop: iconButton('stop', 'Stop', n, 'nb-stop'),
      edit: iconButton('edit', 'Edit', n, 'nb-edit'),
      reset: iconButton('reset', 'Reset', n, 'nb-reset'),
    };
    this.buttons.run.title = 'Run this cell (Shift+Enter)';
    this.buttons.stop.title = 'Stop this cell';
    this.buttons.edit.title = 'Edit this cell';
    this.buttons.reset.title = 'Restore the code as written in the lesson';
    this.badge = h('span', { class: 'nb-cell-state', 'data-state': 'idle', role: 'status' });
    this.editedTag = h('span', { class: 'nb-edited', hidden: true }, 'edited');
    const actions = el.querySelector<HTMLElement>('.cell-actions') ?? el.querySelector('.cell-head')?.appendChild(h('div', { class: 'cell-actions' }));
    actions?.replaceChildren(this.badge, this.editedTag, this.buttons.run, this.buttons.stop, this.buttons.edit, this.buttons.reset);

    this.buttons.run.addEventListener('click', () => this.run());
    this.buttons.stop.addEventListener('click', () => this.stop());
    this.buttons.edit.addEventListener('click', () => void this.openEditor(true));
    this.buttons.reset.addEventListener('click', () => this.reset());
    this.makeListingActivatable();
    el.classList.add('nb-enhanced');
    this.restoreEdits();
    this.render();
  }

  /** The code that Run sends: the reader's version. */
  get source(): string {
    return this.editor ? this.editor.getCode() : this.code;
  }

  get busy(): boolean {
    return this.state === 'queued' || this.state === 'running';
  }

  /** Queues this cell in the kernel. Returns false when it is already queued or running. */
  run(): boolean {
    if (this.busy) return false;
    // Run does not load CodeMirror: the code runs from `source`; the editor loads on Edit.
    this.editor?.clearError();
    this.pendingError = null;
    this.setState('queued');
    this.setPrompt('In [*]:');
    this.handle = this.host.session.enqueue(this.id, this.source, this.sink());
    return true;
  }

  stop(): void {
    this.handle?.cancel();
  }

  /** Clears outputs and the prompt (Clear outputs). */
  clearOutput(): void {
    this.out.clear();
    if (!this.busy) {
      this.setPrompt('In [ ]:');
      this.setState('idle');
    }
  }

  /** Focuses the editor if open, else the code listing (Shift+Enter from the previous cell). */
  focus(): void {
    if (this.editor) this.editor.focus();
    else if (this.listing && !this.listing.hidden) this.listing.focus();
    else this.buttons.run.focus();
    this.el.scrollIntoView?.({ block: 'nearest' });
  }

  /** Resolves when the editor is mounted (tests and keyboard paths use it). */
  async openEditor(focus: boolean): Promise<CellEditor> {
    if (!this.editorLoading) {
      this.editorLoading = loadEditor().then((mod) => {
        const parent = h('div', { class: 'nb-editor' });
        this.codeBox.append(parent);
        const editor = mod.createEditor({
          parent,
          doc: this.code,
          label: `Code of cell ${this.index}`,
          onChange: (code) => this.changed(code),
          onRun: () => this.run(),
          onRunAndAdvance: () => {
            this.run();
            this.host.focusNext(this);
          },
          onEscape: () => this.buttons.run.focus(),
        });
        if (this.listing) this.listing.hidden = true;
        this.editor = editor;
        this.el.classList.add('nb-editing');
        if (this.pendingError) editor.markError(this.pendingError.line, this.pendingError.column);
        this.render();
        return editor;
      });
    }
    const editor = await this.editorLoading;
    if (focus) editor.focus();
    return editor;
  }

  /** Reset: the authored code comes back and the stored edit is forgotten. */
  reset(): void {
    this.code = this.authored;
    this.editor?.setCode(this.authored);
    this.host.store.remove(this.id);
    this.render();
  }

  /** Writes a pending edit to storage now (before the page goes away). */
  flushSave(): void {
    if (!this.saveTimer) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = null;
    this.host.store.save(this.id, this.hash, this.code, this.authored);
  }

  /* ---------------------------------------------------------------- internals */

  private changed(code: string): void {
    this.code = code;
    // No clearError() here: the editor drops its error mark on any edit itself, and a
    // dispatch from inside its update listener would cost a second update per keystroke.
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.host.store.save(this.id, this.hash, this.code, this.authored);
    }, 250);
    this.render();
  }

  private restoreEdits(): void {
    const loaded = this.host.store.load(this.id, this.hash, this.authored);
    if (loaded.kind === 'edit') {
      this.code = loaded.code;
      void this.openEditor(false);
    } else if (loaded.kind === 'stale') {
      this.showStaleNotice(loaded.code, loaded.savedAt);
    }
  }

  private showStaleNotice(code: string, savedAt: number): void {
    const when = Number.isFinite(savedAt) && savedAt > 0 ? ` (saved ${new Date(savedAt).toLocaleString()})` : '';
    const restore = h('button', { type: 'button', class: 'nb-btn nb-restore' }, 'Restore my edit');
    const discard = h('button', { type: 'button', class: 'nb-btn nb-discard' }, 'Discard my edit');
    const notice = h(
      'div',
      { class: 'nb-stale', role: 'note' },
      h('p', {}, `The lesson's code for this cell has changed since you edited it${when}. You are seeing the new version.`),
      h('div', { class: 'nb-stale-actions' }, restore, discard),
    );
    restore.addEventListener('click', async () => {
      notice.remove();
      this.host.store.discardStale(this.id);
      const editor = await this.openEditor(false);
      editor.setCode(code); // onChange saves it against the current authored hash
      this.changed(code);
      this.flushSave();
      editor.focus();
    });
    discard.addEventListener('click', () => {
      notice.remove();
      this.host.store.discardStale(this.id);
      this.buttons.run.focus();
    });
    this.codeBox.before(notice);
  }

  private makeListingActivatable(): void {
    const pre = this.listing;
    if (!pre) return;
    pre.tabIndex = 0;
    pre.setAttribute('role', 'group'); // a named, focusable group: the code, and how to edit it
    pre.setAttribute('aria-label', `Code of cell ${this.index}. Press Enter to edit, Shift+Enter to run.`);
    pre.classList.add('nb-listing');
    pre.addEventListener('click', () => {
      // Keep a selection the reader is making (to copy code) instead of opening the editor.
      if (String(window.getSelection?.() ?? '').length > 0) return;
      void this.openEditor(true);
    });
    pre.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      if (e.shiftKey) {
        this.run();
        this.host.focusNext(this);
      } else if (e.ctrlKey || e.metaKey) {
        this.run();
      } else {
        void this.openEditor(true);
      }
    });
  }

  private sink(): RunSink {
    return {
      started: () => {
        this.out.clear();
        this.setState('running');
      },
      message: (msg: StreamMessage | DisplayMessage | InputRequest) => {
        if (msg.type === 'stream') this.out.stream(msg);
        else if (msg.type === 'display') this.out.display(msg.bundle, msg.displayId);
        else this.out.fileRequest(msg, (file) => this.host.session.reply(msg.requestId, file));
      },
      finished: (o: RunOutcome) => this.finished(o),
    };
  }

  private finished(o: RunOutcome): void {
    this.handle = null;
    switch (o.kind) {
      case 'result':
        this.setPrompt(`In [${o.msg.executionCount}]:`);
        if (o.msg.bundle) this.out.result(o.msg.bundle);
        if (o.msg.interrupted) this.out.note('Stopped.');
        this.setState(o.msg.interrupted ? 'stopped' : 'done');
        break;
      case 'error': {
        const e = o.msg;
        this.setPrompt(`In [${e.executionCount}]:`);
        this.out.error(e);
        if (isInterrupt(e)) {
          this.setState('stopped');
        } else {
          this.setState('error');
          if (e.line !== undefined) {
            this.pendingError = { line: e.line, column: e.column };
            this.editor?.markError(e.line, e.column);
          }
        }
        break;
      }
      case 'cancelled':
        this.setPrompt(this.lastPrompt);
        this.setState('cancelled');
        break;
      case 'killed':
        this.setPrompt('In [ ]:');
        this.out.note(o.reason, 'warn');
        this.setState('stopped');
        break;
    }
    this.out.settle();
  }

  /** Sets the prompt; remembers the last real one, which a cancelled run puts back. */
  private setPrompt(text: string): void {
    if (text !== 'In [*]:') this.lastPrompt = text;
    else if (this.promptText !== 'In [*]:') this.lastPrompt = this.promptText;
    this.promptText = text;
    if (this.prompt) this.prompt.textContent = text;
  }

  private setState(s: CellState): void {
    this.state = s;
    this.el.dataset.state = s;
    this.badge.dataset.state = s;
    this.badge.textContent = STATE_TEXT[s];
    this.render();
    this.host.changed();
  }

  private render(): void {
    const edited = this.source !== this.authored;
    // Disabling the focused Stop button would drop keyboard focus to <body>.
    if (!this.busy && document.activeElement === this.buttons.stop) this.buttons.run.focus();
    this.buttons.stop.disabled = !this.busy;
    this.buttons.reset.disabled = !edited;
    this.buttons.edit.hidden = this.editor !== null;
    this.editedTag.hidden = !edited;
    this.el.classList.toggle('nb-is-edited', edited);
  }
}
