/**
 * Big outputs, shown in pages as Jupyter does: a long text shows its first PAGE_CHARS
 * characters (or PAGE_LINES lines) and a "Show more" button; a long table its first
 * PAGE_ROWS rows. Each click adds one more page, so no single DOM update is large enough to
 * freeze the page, and what the kernel did not send at all (kernel/display.ts `boundBundle`)
 * is stated under the output.
 */
import type { TableBundle, TextBundle } from '../../contract/protocol';
import { h } from '../dom';
import { renderTable } from './table';

/** Characters of text shown at first and added by each "Show more". */
export const PAGE_CHARS = 20_000;
/** Lines of text shown at first and added by each "Show more". */
export const PAGE_LINES = 500;
/** Table rows shown at first and added by each "Show more rows". */
export const PAGE_ROWS = 100;

const fmt = (n: number) => n.toLocaleString('en-US');

/** End of the next page of `text` from `start`: at most PAGE_CHARS characters and PAGE_LINES lines. */
function pageEnd(text: string, start: number): number {
  let end = Math.min(text.length, start + PAGE_CHARS);
  let nl = start;
  for (let i = 0; i < PAGE_LINES; i++) {
    nl = text.indexOf('\n', nl) + 1;
    if (nl === 0 || nl >= end) return end;
  }
  end = Math.min(end, nl);
  return end;
}

function omittedNote(n: number, unit: string): HTMLElement {
  return h('p', { class: 'nb-truncated' }, `… ${fmt(n)} more ${unit} not shown (output limit of the kernel).`);
}

/** A text bundle as a `<pre>`, paged. */
export function renderText(b: TextBundle): HTMLElement {
  const text = b.text;
  let shown = pageEnd(text, 0);
  const pre = h('pre', { class: 'nb-text' }, text.slice(0, shown));
  if (shown >= text.length && !b.omittedChars) return pre;
  const box = h('div', { class: 'nb-paged' }, pre);
  if (shown < text.length) {
    const more = h('button', { type: 'button', class: 'nb-btn nb-show-more' });
    const label = () => {
      more.textContent = `Show more (${fmt(text.length - shown)} more characters)`;
    };
    label();
    more.addEventListener('click', () => {
      const end = pageEnd(text, shown);
      pre.append(text.slice(shown, end));
      shown = end;
      if (shown >= text.length) more.remove();
      else label();
    });
    box.append(more);
  }
  if (b.omittedChars) box.append(omittedNote(b.omittedChars, 'characters'));
  return box;
}

/** A table bundle, its rows paged. */
export function renderPagedTable(b: TableBundle): HTMLElement {
  if (b.rows.length <= PAGE_ROWS && !b.omittedRows) return renderTable(b);
  let shown = Math.min(b.rows.length, PAGE_ROWS);
  const box = h('div', { class: 'nb-paged' }, renderTable({ ...b, rows: b.rows.slice(0, shown) }));
  if (shown < b.rows.length) {
    const more = h('button', { type: 'button', class: 'nb-btn nb-show-more' });
    const label = () => {
      more.textContent = `Show more rows (${fmt(b.rows.length - shown)} more)`;
    };
    label();
    more.addEventListener('click', () => {
      const end = Math.min(b.rows.length, shown + PAGE_ROWS * 5);
      const page = renderTable({ ...b, rows: b.rows.slice(shown, end) });
      const tbody = box.querySelector('tbody');
      const rows = page.querySelectorAll('tbody > tr');
      if (tbody) tbody.append(...rows);
      shown = end;
      if (shown >= b.rows.length) more.remove();
      else label();
    });
    box.append(more);
  }
  if (b.omittedRows) box.append(omittedNote(b.omittedRows, 'rows'));
  return box;
}
