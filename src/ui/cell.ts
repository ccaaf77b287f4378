/**
 * One notebook cell on a lesson page. It enhances the server-rendered `<rnn-cell>` (see the
 * DOM contract in docs/ARCHITECTURE.md): adds Run / Stop / Edit / Reset buttons and a state
 * badge, swaps the Shiki listing for a CodeMirror editor when the reader edits or runs the
 * cell, keeps the reader's edits in localStorage, and renders the run's outputs.
 *
 * Jupyter habits it keeps:
 * - the last outputs survive a reload (output-store.ts), dimmed and marked as from an earlier
 *   run until the cell runs again;
 * - Copy buttons on the code (either tab) and on the outputs, announced as "Copied";
 * - Run always runs the TensorFlow.js code: from the "Keras (Python)" tab it switches back to
 *   the TensorFlow.js tab first and says so in the output;
 * - a `ReferenceError: x is not defined` says which cell defines `x` (a link to it) and offers
 *   "Run cells above"; Ctrl+Shift+Enter (Cmd+Shift+Enter) runs every cell above this one.
 */
import type { DisplayMessage, InputRequest, StreamMessage } from '../contract/protocol';
import { h } from './dom';
import type { CellEditor } from './editor';
import type { EditStore } from './edit-store';
import { iconButton } from './icons';
import type { KernelSession, RunHandle, RunOutcome, RunSink } from './kernel-session';
import { isInterrupt } from './output/error';
import { OutputArea } from './output/output-area';
import { restoreNodes, type OutputStore } from './output-store';

/**
 * What a cell's badge shows: idle, queued, running, done, error, stopped (interrupted) or
 * cancelled (never ran).
 */
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
  /** Every cell of the page, in order (to find which cell defines a name). */
  readonly cells: readonly Cell[];
  /** Runs every cell above `cell` (Jupyter's "Run All Above"); then `cell` too when `andThis`. */
  runAbove(cell: Cell, andThis?: boolean): void;
  /** Where each cell's last outputs are kept across reloads (null: not kept). */
  readonly outputs?: OutputStore | null;
}

/** `model is not defined` -> `model` (V8, SpiderMonkey and JavaScriptCore wordings). */
export function undefinedName(ename: string, evalue: string): string | null {
  if (ename !== 'ReferenceError') return null;
  const m = /^(?:Can't find variable: )?([A-Za-z_$][\w$]*)(?: is not defined)?$/.exec(evalue.trim());
  return m && (/is not defined$/.test(evalue.trim()) || evalue.startsWith("Can't find variable")) ? m[1]! : null;
}

/** Top-level names a cell declares, from its source; [] when it does not parse. */
async function declarationsOf(source: string): Promise<string[]> {
  // Loaded only when a ReferenceError needs it: the parser is not part of the page's first load.
  const [{ parseCell, withTypeScript }, { analyzeScope }] = await Promise.all([import('../cells/parse'), import('../cells/scope')]);
  try {
    return await withTypeScript(() => analyzeScope(parseCell(source).root).declarations);
  } catch {
    return [];
  }
}

/** Copies text, with a fallback for pages where the async clipboard is not allowed. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = h('textarea', { class: 'nb-visually-hidden', 'aria-hidden': 'true', readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

let editorModule: Promise<typeof import('./editor')> | null = null;
/** Loads CodeMirror once, on first use. */
function loadEditor(): Promise<typeof import('./editor')> {
  editorModule ??= import('./editor');
  return editorModule;
}

/** One enhanced `<rnn-cell>`: its source (authored or edited), editor, buttons, state and output area. */
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
  private readonly outputEl: HTMLElement;
  private readonly copyOutput: HTMLButtonElement;
  private readonly copyStatus: HTMLElement;
  private switchedFromKeras = false;

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
    this.outputEl = outputEl;

    const n = ` cell ${index}`;
    this.buttons = {
      run: iconButton('run', 'Run', n, 'nb-run'),
      stop: iconButton('stop', 'Stop', n, 'nb-stop'),
      edit: iconButton('edit', 'Edit', n, 'nb-edit'),
      reset: iconButton('reset', 'Reset', n, 'nb-reset'),
    };
    this.buttons.run.title = 'Run this cell (Shift+Enter); Ctrl+Shift+Enter runs the cells above it';
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

    // Copy: the code of each tab, and the outputs; one polite status announces "Copied".
    this.copyStatus = h('span', { class: 'nb-visually-hidden nb-copy-status', role: 'status' });
    el.append(this.copyStatus);
    this.addCopyButton(this.codeBox, `code of cell ${index}`, () => this.source);
    const keras = el.querySelector<HTMLElement>('.cell-keras');
    if (keras) this.addCopyButton(keras, `Keras code of cell ${index}`, () => keras.querySelector('pre')?.textContent ?? '');
    this.copyOutput = this.copyButton(`output of cell ${index}`, () => this.outputText());
    this.copyOutput.classList.add('nb-copy-output');
    this.copyOutput.hidden = true;
    outputEl.before(this.copyOutput);

    el.addEventListener('cell-tab-change', () => this.render());
    // Ctrl/Cmd+Shift+Enter anywhere in the cell (editor included): run every cell above it.
    // Shift+Enter / Ctrl+Enter on the tabs or in the Keras (Python) panel run the cell as its
    // Run button does there (the TensorFlow.js twin; the tab switches back and the output says
    // so); the listing and the editor handle those keys themselves.
    el.addEventListener(
      'keydown',
      (e) => {
        if (e.key !== 'Enter' || e.altKey) return;
        const mod = e.ctrlKey || e.metaKey;
        const target = e.target instanceof Element ? e.target : null;
        if (e.shiftKey && mod) {
          e.preventDefault();
          e.stopPropagation();
          this.host.runAbove(this);
        } else if ((e.shiftKey || mod) && target?.closest('.cell-keras, .cell-tabs')) {
          e.preventDefault();
          e.stopPropagation();
          if (e.shiftKey) this.runAndAdvance();
          else this.run();
        }
      },
      true,
    );
    el.classList.add('nb-enhanced');
    this.restoreEdits();
    this.restoreOutputs();
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
    this.switchedFromKeras = this.showCodeTab();
    // Run does not load CodeMirror: the code runs from `source`; the editor loads on Edit.
    this.editor?.clearError();
    this.pendingError = null;
    this.setState('queued');
    this.setPrompt('In [*]:');
    this.handle = this.host.session.enqueue(this.id, this.source, this.sink());
    return true;
  }

  /** Shift+Enter, wherever it is pressed in the cell: run, then move to the next cell. */
  private runAndAdvance(): void {
    this.run();
    this.host.focusNext(this);
  }

  stop(): void {
    this.handle?.cancel();
  }

  /** Clears outputs and the prompt (Clear outputs); the kept copy is forgotten too. */
  clearOutput(): void {
    this.out.clear();
    this.host.outputs?.remove(this.id);
    this.el.classList.remove('nb-output-earlier');
    this.copyOutput.hidden = true;
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
          onRunAndAdvance: () => this.runAndAdvance(),
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
        this.runAndAdvance();
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
        this.el.classList.remove('nb-output-earlier');
        if (this.switchedFromKeras) {
          this.out.note('Ran the TensorFlow.js code of this cell (the tab above switched to it). The Keras (Python) tab shows the same steps in Python, to read and compare.');
        }
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
        const missing = undefinedName(e.ename, e.evalue);
        if (missing) void this.explainMissing(missing);
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
    this.copyOutput.hidden = !this.outputEl.hasChildNodes();
    if (o.kind !== 'cancelled') this.keepOutputs();
  }

  /** Stores the finished run's outputs (best effort, bounded; see output-store.ts). */
  private keepOutputs(): void {
    const store = this.host.outputs;
    if (!store) return;
    if (!store.save(this.id, this.outputEl, this.state) && this.outputEl.hasChildNodes()) {
      // Too large to keep: say so now, so a reload showing nothing is no surprise.
      this.outputEl.dataset.notKept = 'true';
    }
  }

  /** Shows the outputs kept from an earlier visit, dimmed and labelled, until the cell runs. */
  private restoreOutputs(): void {
    const kept = this.host.outputs?.load(this.id);
    if (!kept) return;
    const when = new Date(kept.at);
    const label = h(
      'p',
      { class: 'nb-earlier-label' },
      h('strong', {}, 'From an earlier run'),
      ` (${when.toLocaleString()}), not run in this visit. Run the cell to refresh it.`,
    );
    const box = h('div', { class: 'nb-earlier' });
    box.append(restoreNodes(kept.html));
    // Not announced: these outputs are not news. The live region is restored once they are in.
    const live = this.outputEl.getAttribute('aria-live');
    this.outputEl.removeAttribute('aria-live');
    this.outputEl.replaceChildren(label, box);
    this.outputEl.classList.add('has-output');
    this.el.classList.add('nb-output-earlier');
    this.copyOutput.hidden = false;
    requestAnimationFrame(() => {
      if (live) this.outputEl.setAttribute('aria-live', live);
    });
    // Storage dropped the boxes' tab stops. Which boxes scroll is known only once they are laid
    // out: mark them when the outputs first come near the screen (no layout forced at load, when
    // most sections are not rendered at all).
    if ('IntersectionObserver' in window) {
      const seen = new IntersectionObserver((entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        seen.disconnect();
        this.out.markScrollable();
      });
      seen.observe(this.outputEl);
    } else {
      this.out.markScrollable();
    }
  }

  /** The outputs as text (what Copy output copies), without the earlier-run label. */
  private outputText(): string {
    const copy = this.outputEl.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('.nb-earlier-label, .nb-hint button').forEach((n) => n.remove());
    for (const cell of copy.querySelectorAll('td, th')) cell.append('\t');
    for (const row of copy.querySelectorAll('tr, p, pre, div, caption')) row.append('\n');
    return (copy.textContent ?? '').replace(/\t\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  }

  private copyButton(what: string, text: () => string): HTMLButtonElement {
    const btn = h(
      'button',
      { type: 'button', class: 'nb-btn nb-copy', title: `Copy the ${what}` },
      h('span', { class: 'nb-btn-text' }, 'Copy'),
      h('span', { class: 'nb-visually-hidden' }, ` ${what}`),
    );
    const label = btn.querySelector('.nb-btn-text')!;
    let timer: ReturnType<typeof setTimeout> | undefined;
    btn.addEventListener('click', async () => {
      const ok = await copyText(text());
      label.textContent = ok ? 'Copied' : 'Copy failed';
      // Re-set the text so a second copy is announced again.
      this.copyStatus.textContent = '';
      requestAnimationFrame(() => (this.copyStatus.textContent = ok ? 'Copied' : 'Copy failed: select the text and copy it by hand'));
      clearTimeout(timer);
      timer = setTimeout(() => (label.textContent = 'Copy'), 2000);
    });
    return btn;
  }

  private addCopyButton(panel: HTMLElement, what: string, text: () => string): void {
    const btn = this.copyButton(what, text);
    btn.classList.add('nb-copy-code');
    panel.classList.add('nb-has-copy');
    panel.prepend(btn);
  }

  /** The JS tab when the Keras tab is showing: selects it. Returns true when it switched. */
  private showCodeTab(): boolean {
    const jsTab = this.codeBox.id ? this.el.querySelector<HTMLElement>(`[role="tab"][aria-controls="${this.codeBox.id}"]`) : null;
    if (!jsTab || jsTab.getAttribute('aria-selected') === 'true') return false;
    for (const t of this.el.querySelectorAll<HTMLElement>('.cell-tabs [role="tab"]')) {
      const on = t === jsTab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(t.getAttribute('aria-controls') ?? '');
      if (panel) panel.hidden = !on;
    }
    this.el.dispatchEvent(new CustomEvent('cell-tab-change', { bubbles: true, detail: { tab: jsTab.id } }));
    return true;
  }

  /** True when the Keras (Python) tab is the one showing. */
  private get kerasShowing(): boolean {
    const keras = this.el.querySelector<HTMLElement>('.cell-keras');
    return !!keras && !keras.hidden && this.codeBox.hidden;
  }

  /**
   * After `x is not defined`: names the cell that defines `x` (nearest above, else the first
   * below) with a link to it, and offers to run the cells above. Says nothing when no cell
   * defines it (a typo, or a name the reader meant to define).
   */
  private async explainMissing(name: string): Promise<void> {
    const cells = this.host.cells;
    const me = cells.indexOf(this);
    const order = [...cells.slice(0, me).reverse(), ...cells.slice(me + 1)];
    let owner: Cell | undefined;
    for (const c of order) {
      if ((await declarationsOf(c.source)).includes(name)) {
        owner = c;
        break;
      }
    }
    if (!owner || this.state !== 'error') return;
    const above = owner.index < this.index;
    const link = h('a', { href: `#${owner.codeBox.id || ''}`, class: 'nb-hint-link' }, `cell ${owner.index}`);
    const target = owner;
    link.addEventListener('click', (e) => {
      e.preventDefault();
      target.focus();
      target.el.scrollIntoView?.({ block: 'start' });
    });
    const hint = h(
      'p',
      { class: 'nb-hint', role: 'note' },
      h('code', {}, name),
      ' is defined in ',
      link,
      above ? '. Run the cells above first (they build on each other), then this one.' : ', below this one. Run that cell first.',
    );
    if (above) {
      const runAbove = h('button', { type: 'button', class: 'nb-btn nb-run-above' }, 'Run cells above, then this one');
      runAbove.title = `Run cells 1–${this.index - 1} in order, then cell ${this.index} (Ctrl+Shift+Enter runs the cells above)`;
      runAbove.addEventListener('click', () => this.host.runAbove(this, true));
      hint.append(' ', runAbove);
    }
    this.out.flush();
    this.outputEl.append(hint);
    this.copyOutput.hidden = false;
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
    this.buttons.run.title = this.kerasShowing
      ? 'Run the TensorFlow.js version of this cell (the Keras tab is Python, to read)'
      : 'Run this cell (Shift+Enter); Ctrl+Shift+Enter runs the cells above it';
    this.editedTag.hidden = !edited;
    this.el.classList.toggle('nb-is-edited', edited);
  }
}
