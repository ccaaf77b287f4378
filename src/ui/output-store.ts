/**
 * Each cell's last outputs, kept in localStorage so they survive a reload, as a Jupyter
 * notebook's saved outputs do. The page shows them dimmed and marked "from an earlier run"
 * until the cell runs again; the kernel state they came from is gone, so nothing in them is
 * live (buttons, file pickers and charts are dropped, tables and text are kept).
 *
 * Invariants:
 * - Only what the output area rendered is stored, as sanitized HTML built by our own
 *   renderers (text nodes, never reader-supplied markup); stored HTML is parsed into an inert
 *   `<template>` and scrubbed again before it is shown.
 * - Size is bounded: a cell's snapshot above `MAX_CELL_CHARS` is not kept (a note says so),
 *   and a page keeps at most `MAX_PAGE_CHARS` in total (the oldest snapshots go first).
 * - Storage that is blocked or full never breaks a run: saving is best effort.
 */
import type { StorageLike } from './edit-store';

/** What is stored per cell. */
export interface StoredOutput {
  /** Scrubbed HTML of the output area. */
  html: string;
  /** When the run ended (ms since epoch). */
  at: number;
  /** The run's final state ('done', 'error', 'stopped'). */
  state: string;
}

const PREFIX = 'rnn-notebook:output:';
/** Largest snapshot kept for one cell (characters of HTML). */
export const MAX_CELL_CHARS = 64_000;
/** Largest total kept for one page. */
export const MAX_PAGE_CHARS = 400_000;

/** Elements that only make sense while the kernel that made them is alive. */
const DROP = 'button, input, select, textarea, canvas, script, style, iframe, object, embed, .nb-dropzone, .nb-file-request';

/**
 * Removes what must not come back from storage: live controls, charts (a canvas has no
 * stored pixels), ids (they would collide with the page's), inline handlers, alert roles (a
 * restored error must not be announced as new) and tab stops.
 */
export function scrubOutput(root: ParentNode): void {
  for (const el of [...root.querySelectorAll(DROP)]) {
    const chart = el.matches('canvas') ? el.closest('figure, .nb-chart') ?? el : el;
    chart.remove();
  }
  for (const el of [...root.querySelectorAll('*')]) {
    for (const a of [...el.attributes]) {
      if (/^on/i.test(a.name) || a.name === 'id' || a.name === 'tabindex' || a.name === 'aria-live' || a.name === 'aria-controls') el.removeAttribute(a.name);
      else if ((a.name === 'href' || a.name === 'src') && /^\s*javascript:/i.test(a.value)) el.removeAttribute(a.name);
    }
    if (el.getAttribute('role') === 'alert' || el.getAttribute('role') === 'status' || el.getAttribute('role') === 'log') el.removeAttribute('role');
  }
}

/**
 * The saved outputs of one page's cells, kept as described above; storage may be null, and then
 * nothing is kept.
 */
export class OutputStore {
  constructor(
    private readonly storage: StorageLike | null,
    private readonly page: string,
  ) {}

  private key(cellId: string): string {
    return `${PREFIX}${this.page}#${cellId}`;
  }

  /** The stored outputs of a cell, or null. */
  load(cellId: string): StoredOutput | null {
    try {
      const raw = this.storage?.getItem(this.key(cellId));
      if (!raw) return null;
      const v = JSON.parse(raw) as StoredOutput;
      return typeof v?.html === 'string' && typeof v.at === 'number' ? v : null;
    } catch {
      return null;
    }
  }

  /**
   * Keeps a snapshot of `root`'s outputs. Returns false when it was not kept (too large,
   * storage blocked or full); an older snapshot of the cell is then removed, never shown stale.
   */
  save(cellId: string, root: HTMLElement, state: string): boolean {
    if (!this.storage) return false;
    const copy = root.cloneNode(true) as HTMLElement;
    scrubOutput(copy);
    const html = copy.innerHTML.trim();
    if (!html) {
      this.remove(cellId);
      return true;
    }
    if (html.length > MAX_CELL_CHARS) {
      this.remove(cellId);
      return false;
    }
    const value: StoredOutput = { html, at: Date.now(), state };
    try {
      this.makeRoom(cellId, html.length);
      this.storage.setItem(this.key(cellId), JSON.stringify(value));
      return true;
    } catch {
      this.remove(cellId);
      return false;
    }
  }

  remove(cellId: string): void {
    try {
      this.storage?.removeItem(this.key(cellId));
    } catch {
      /* blocked storage: nothing was kept */
    }
  }

  /** Drops this page's oldest snapshots until `incoming` more characters fit in the page budget. */
  private makeRoom(cellId: string, incoming: number): void {
    const s = this.storage as (StorageLike & { length?: number; key?(i: number): string | null }) | null;
    if (!s || typeof s.length !== 'number' || typeof s.key !== 'function') return;
    const mine = `${PREFIX}${this.page}#`;
    const entries: { key: string; size: number; at: number }[] = [];
    for (let i = 0; i < s.length; i++) {
      const k = s.key(i);
      if (!k || !k.startsWith(mine) || k === this.key(cellId)) continue;
      const raw = s.getItem(k) ?? '';
      let at = 0;
      try {
        at = (JSON.parse(raw) as StoredOutput).at ?? 0;
      } catch {
        /* unreadable: oldest */
      }
      entries.push({ key: k, size: raw.length, at });
    }
    let total = entries.reduce((n, e) => n + e.size, 0) + incoming;
    entries.sort((a, b) => a.at - b.at);
    for (const e of entries) {
      if (total <= MAX_PAGE_CHARS) break;
      s.removeItem(e.key);
      total -= e.size;
    }
  }
}

/** Turns stored HTML into scrubbed nodes, through an inert template (no scripts, no loads). */
export function restoreNodes(html: string): DocumentFragment {
  const t = document.createElement('template');
  t.innerHTML = html;
  scrubOutput(t.content);
  return t.content;
}
