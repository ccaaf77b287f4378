/**
 * One cell's output area. Outputs are appended in the order the kernel sends them; displays
 * with a displayId replace their earlier version in place. DOM work is batched into one
 * update per animation frame (and at most ~10 a second), and repeated updates of the same
 * display (a progress line after every batch) collapse into the latest one, so a fast
 * training loop cannot flood the page.
 */
import type { DisplayBundle, ErrorMessage, HistoryBundle, InputRequest, PickedFile, StreamMessage } from '../../contract/protocol';
import { h } from '../dom';
import { renderError, renderNote } from './error';
import { renderFileRequest } from './file-request';
import { renderGates } from './gates';
import { HistoryView, prefetchHistoryChart } from './history';
import { LoadView } from './load';
import { PlotView } from './plot';
import { ProgressView } from './progress';
import { renderSummary } from './summary';
import { renderPagedTable, renderText } from './bounded';
import { renderDownload } from './download';

interface View {
  el: HTMLElement;
  kind: DisplayBundle['kind'];
  update(b: DisplayBundle): void;
  /** Applies a deferred update now. */
  settle?(): void;
  destroy?(): void;
}

/** Wraps a bundle in a view that can be updated in place. */
function createView(b: DisplayBundle): View {
  switch (b.kind) {
    case 'progress': {
      // A fit started: its history chart will be wanted when the first epoch ends.
      void prefetchHistoryChart().catch(() => {});
      const v = new ProgressView();
      return { el: v.el, kind: b.kind, update: (x) => v.update(x as typeof b) };
    }
    case 'history': {
      const v = new HistoryView();
      return { el: v.el, kind: b.kind, update: (x) => v.update(x as typeof b), settle: () => v.settle(), destroy: () => v.destroy() };
    }
    case 'load': {
      const v = new LoadView();
      return { el: v.el, kind: b.kind, update: (x) => v.update(x as typeof b) };
    }
    case 'plot': {
      const v = new PlotView();
      return { el: v.el, kind: b.kind, update: (x) => v.update(x as typeof b), destroy: () => v.destroy() };
    }
    default: {
      const box = h('div', { class: 'nb-display' });
      return {
        el: box,
        kind: b.kind,
        update: (x) => box.replaceChildren(renderStatic(x)),
      };
    }
  }
}

function renderStatic(b: DisplayBundle): HTMLElement {
  switch (b.kind) {
    case 'summary':
      return renderSummary(b);
    case 'table':
      return renderPagedTable(b);
    case 'text':
      return renderText(b);
    case 'gates':
      return renderGates(b);
    case 'download':
      return renderDownload(b);
    default:
      return h('pre', { class: 'nb-text' }, JSON.stringify(b));
  }
}

/** True when two histories show the same epochs and values (to 4 decimals, as displayed). */
export function sameHistory(a: HistoryBundle, b: HistoryBundle): boolean {
  if (a.epochs.join() !== b.epochs.join()) return false;
  const names = Object.keys(a.metrics).sort();
  if (names.join() !== Object.keys(b.metrics).sort().join()) return false;
  return names.every((n) => {
    const x = a.metrics[n]!;
    const y = b.metrics[n]!;
    return x.length === y.length && x.every((v, i) => Math.abs(v - y[i]!) < 5e-5 || (Number.isNaN(v) && Number.isNaN(y[i]!)));
  });
}

/** Minimum time between two DOM updates of one output area. */
const MIN_FLUSH_INTERVAL_MS = 100;

/** Most epoch lines kept in a progress log box. */
const LOG_LIMIT = 200;

/** Longest stream text kept per block; older text is trimmed with a note. */
const STREAM_LIMIT = 200_000;

/** Most stream blocks (runs of one level: log, warn…) per output area; later ones are counted. */
export const MAX_STREAM_BLOCKS = 100;
/** Most stream characters per output area; later output is counted, not shown. */
export const MAX_STREAM_CHARS = 1_000_000;

/** One cell's output area, as described above. */
export class OutputArea {
  private readonly views = new Map<string, View>();
  private readonly all: View[] = [];
  private ops: (() => void)[] = [];
  private latest = new Map<string, DisplayBundle>();
  private frame = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushedAt = -Infinity;
  private log: HTMLElement | null = null;
  private lastHistory: HistoryBundle | null = null;
  private lastStream: { pre: HTMLElement; key: string; length: number } | null = null;
  private pendingStream: { key: string; text: string; msg: StreamMessage } | null = null;
  /** Key of the stream block the next same-level stream text joins (null after other outputs). */
  private streamKey: string | null = null;
  private streamBlocks = 0;
  private streamChars = 0;
  private dropped = 0;
  private limitNote: HTMLElement | null = null;

  constructor(readonly root: HTMLElement) {}

  /** Removes every output (and pending update). */
  clear(): void {
    this.ops = [];
    this.latest.clear();
    this.pendingStream = null;
    for (const v of this.all) v.destroy?.();
    this.all.length = 0;
    this.views.clear();
    this.lastStream = null;
    this.log = null;
    this.lastHistory = null;
    this.streamKey = null;
    this.streamBlocks = 0;
    this.streamChars = 0;
    this.dropped = 0;
    this.limitNote = null;
    this.root.replaceChildren();
    this.root.classList.remove('has-output');
  }

  stream(msg: StreamMessage): void {
    const text = msg.text.endsWith('\n') ? msg.text : `${msg.text}\n`;
    const key = `${msg.name}:${msg.level}`;
    // Bounded per output area, in blocks and characters: 200,000 alternating log/warn calls
    // would otherwise make 200,000 <pre> elements. What is dropped is counted in one note.
    const newBlock = key !== this.streamKey;
    if ((newBlock && this.streamBlocks >= MAX_STREAM_BLOCKS) || this.streamChars >= MAX_STREAM_CHARS) {
      this.countDropped();
      return;
    }
    if (newBlock) this.streamBlocks++;
    this.streamChars += text.length;
    if (this.pendingStream && this.pendingStream.key === key) {
      this.pendingStream.text += text;
      return;
    }
    const pending = { key, text, msg };
    this.push(() => {
      if (this.pendingStream === pending) this.pendingStream = null;
      this.writeStream(pending.key, pending.text, pending.msg);
    });
    this.pendingStream = pending;
    this.streamKey = key;
  }

  /** Counts one output not shown; one note at the end of the area says how many. */
  private countDropped(): void {
    this.dropped++;
    if (this.dropped > 1) return; // the queued update below shows the latest count
    this.push(() => {
      if (!this.limitNote) {
        this.limitNote = h('p', { class: 'nb-truncated nb-output-limit', role: 'note' });
        this.root.append(this.limitNote);
      }
      this.updateLimitNote();
    });
  }

  private updateLimitNote(): void {
    if (!this.limitNote) return;
    const n = this.dropped;
    this.limitNote.textContent = `… ${n.toLocaleString('en-US')} more output${n === 1 ? '' : 's'} not shown (output limit of this cell).`;
    this.root.append(this.limitNote); // keep it last
  }

  display(bundle: DisplayBundle, displayId?: string): void {
    if (displayId === undefined) {
      this.push(() => this.addView(bundle));
      return;
    }
    const queued = this.latest.has(displayId);
    this.latest.set(displayId, bundle);
    if (queued) return; // the queued op will render the newest bundle
    this.push(() => {
      const b = this.latest.get(displayId);
      this.latest.delete(displayId);
      if (!b) return;
      if (b.kind === 'history') this.lastHistory = b;
      const existing = this.views.get(displayId);
      if (existing && existing.kind === b.kind) {
        existing.update(b);
      } else if (existing) {
        const fresh = createView(b);
        fresh.update(b);
        existing.el.replaceWith(fresh.el);
        existing.destroy?.();
        this.views.set(displayId, fresh);
        this.all.push(fresh);
      } else {
        this.views.set(displayId, this.addView(b));
      }
    });
  }

  /**
   * The value of the cell's last expression (`Out [n]`). A History equal to the one the fit
   * has just shown live (`await model.fit(...)` as the last line) is not shown twice.
   */
  result(bundle: DisplayBundle): void {
    this.push(() => {
      if (bundle.kind === 'history' && this.lastHistory && sameHistory(bundle, this.lastHistory)) return;
      const v = this.addView(bundle);
      v.el.classList.add('nb-result');
    });
  }

  error(msg: ErrorMessage): void {
    this.push(() => this.addElement(renderError(msg)));
  }

  note(text: string, kind: 'note' | 'warn' = 'note'): void {
    this.push(() => this.addElement(renderNote(text, kind)));
  }

  fileRequest(req: InputRequest, answer: (file: PickedFile | undefined) => void): void {
    this.push(() => {
      const box = renderFileRequest(req, answer);
      this.addElement(box);
      box.querySelector<HTMLElement>('.nb-dropzone')?.scrollIntoView?.({ block: 'nearest' });
    });
  }

  /** The run has ended: applies every pending and deferred update, then marks scroll boxes. */
  settle(): void {
    this.flush();
    for (const v of this.all) v.settle?.();
    this.markScrollable();
  }

  /**
   * Gives every output box that scrolls (a wide table, a long line) a tab stop and a name, so
   * keyboard users can scroll it; boxes that fit lose them again. It reads layout, so it runs
   * once a run has finished (and on resize), not on every update.
   */
  markScrollable(): void {
    for (const box of this.root.querySelectorAll<HTMLElement>('pre, .nb-scroll, .nb-progress-log')) {
      if (box.matches('.nb-progress-log pre')) continue; // the log box itself is the scroller
      const scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute('tabindex')) {
        // A live training log has its tab stop from the start; a restored one (outputs from an
        // earlier run lose their tab stops in storage) keeps its name.
        box.tabIndex = 0;
        box.setAttribute('role', 'group');
        if (!box.hasAttribute('aria-label')) box.setAttribute('aria-label', box.matches('pre') ? 'Output (scrolls)' : 'Table (scrolls)');
      } else if (!scrolls && box.getAttribute('role') === 'group' && box.tabIndex === 0) {
        box.removeAttribute('tabindex');
        box.removeAttribute('role');
        box.removeAttribute('aria-label');
      }
    }
  }

  /** Applies pending updates now (e.g. before the run's final state is shown). */
  flush(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    if (this.timer) clearTimeout(this.timer);
    this.frame = 0;
    this.timer = null;
    this.flushedAt = performance.now();
    const ops = this.ops;
    this.ops = [];
    for (const op of ops) op();
    if (this.dropped) this.updateLimitNote();
  }

  private push(op: () => void): void {
    // Anything queued after a stream block ends it, so later text cannot jump ahead.
    this.pendingStream = null;
    this.streamKey = null;
    this.ops.push(op);
    if (this.frame || this.timer) return;
    // At most one DOM update per animation frame, and no more than ~10 a second: every update
    // costs the page a layout and paint, and the reader cannot follow faster anyway.
    const wait = this.flushedAt + MIN_FLUSH_INTERVAL_MS - performance.now();
    const schedule = () => {
      this.timer = null;
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.flush();
      });
    };
    if (wait > 0) this.timer = setTimeout(schedule, wait);
    else schedule();
  }

  private addView(b: DisplayBundle): View {
    const v = createView(b);
    v.update(b);
    this.all.push(v);
    if (b.kind === 'progress') this.addToLog(v.el);
    else this.addElement(v.el, b.kind === 'history');
    if (b.kind === 'history') this.lastHistory = b;
    return v;
  }

  /**
   * Progress lines of consecutive epochs share one scrolling log box, like a terminal: the
   * page around it does not move while a long fit prints. The box is a reversed flex column
   * (see notebook.css), so the browser keeps the newest line in view by itself — unless the
   * reader has scrolled up — without the script reading layout on every update.
   */
  private addToLog(el: HTMLElement): void {
    let log = this.log;
    if (!log) {
      log = h('div', {});
      this.addElement(h('div', { class: 'nb-progress-log', tabindex: '0', role: 'log', 'aria-label': 'Training progress' }, log));
      this.log = log;
    }
    log.append(el);
    // A very long fit keeps only its last LOG_LIMIT epoch lines (the history table has all).
    const first = log.firstElementChild as HTMLElement;
    const hasNote = first.classList.contains('nb-log-trimmed');
    if (log.childElementCount - (hasNote ? 1 : 0) > LOG_LIMIT) {
      const note = hasNote ? first : h('pre', { class: 'nb-note nb-log-trimmed', 'data-trimmed': '0' });
      if (!hasNote) log.prepend(note);
      note.nextElementSibling?.remove();
      const trimmed = Number(note.dataset.trimmed) + 1;
      note.dataset.trimmed = String(trimmed);
      note.textContent = `… ${trimmed} earlier epoch${trimmed === 1 ? '' : 's'} not shown (the history table lists every epoch)`;
    }
  }

  /** Appends an output; anything but the history of the same fit ends the current log box. */
  private addElement(el: HTMLElement, keepLog = false): void {
    if (!keepLog) this.log = null;
    this.lastStream = null;
    this.root.append(el);
    this.root.classList.add('has-output');
  }

  private writeStream(key: string, text: string, msg: StreamMessage): void {
    let s = this.lastStream;
    if (!s || s.key !== key) {
      const cls = `nb-stream nb-${msg.name}${msg.level === 'warn' || msg.level === 'error' ? ` nb-${msg.level}` : ''}`;
      const pre = h('pre', { class: cls, 'data-level': msg.level });
      this.addElement(pre);
      s = this.lastStream = { pre, key, length: 0 };
    }
    s.pre.append(text);
    s.length += text.length;
    if (s.length > STREAM_LIMIT) {
      const keep = (s.pre.textContent ?? '').slice(-STREAM_LIMIT / 2);
      s.pre.textContent = `… (earlier output trimmed)\n${keep}`;
      s.length = s.pre.textContent.length;
    }
  }
}
