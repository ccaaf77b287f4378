/** Generic tables (`TableBundle`): caption, header row, numbers right-aligned. */
import type { TableBundle } from '../../contract/protocol';
import { h } from '../dom';
import { formatTableValue } from './format';

/** A TableBundle as a `<table>`: optional caption, header row, numeric columns right-aligned. */
export function renderTable(b: TableBundle): HTMLElement {
  const numeric = b.columns.map((_, i) => b.rows.length > 0 && b.rows.every((r) => typeof r[i] === 'number'));
  const table = h(
    'table',
    { class: 'nb-table' },
    b.caption ? h('caption', {}, b.caption) : null,
    h('thead', {}, h('tr', {}, b.columns.map((c, i) => h('th', { scope: 'col', class: numeric[i] ? 'num' : null }, c)))),
    h(
      'tbody',
      {},
      b.rows.map((r) => h('tr', {}, r.map((v, i) => h('td', { class: typeof v === 'number' || numeric[i] ? 'num' : null }, formatTableValue(v))))),
    ),
  );
  return h('div', { class: 'nb-scroll' }, table);
}
