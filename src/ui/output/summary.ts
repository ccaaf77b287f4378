/**
 * `model.summary()` as a real table in Keras 3's layout: caption `Model: "sequential"`,
 * columns Layer (type) | Output Shape | Param # (and Connected to for functional models),
 * then the totals lines Keras prints beneath it.
 */
import type { SummaryBundle } from '../../contract/protocol';
import { h } from '../dom';
import { formatBytes, formatCount } from './format';

/** The text of a model summary: caption, column names, rows and the totals lines. */
export interface SummaryModel {
  caption: string;
  columns: string[];
  /** Column indexes that hold numbers (right-aligned). */
  numeric: number[];
  rows: string[][];
  totals: string[];
}

/** The text of the summary, independent of the DOM. */
export function summaryModel(b: SummaryBundle): SummaryModel {
  const functional = b.rows.some((r) => r.connectedTo !== undefined);
  const columns = ['Layer (type)', 'Output Shape', 'Param #'];
  if (functional) columns.push('Connected to');
  const rows = b.rows.map((r) => {
    const row = [r.layer, r.outputShape, formatCount(r.params)];
    if (functional) row.push(r.connectedTo ?? '-');
    return row;
  });
  return {
    caption: `Model: "${b.modelName}"`,
    columns,
    numeric: [2],
    rows,
    totals: [
      `Total params: ${formatCount(b.totalParams)} (${formatBytes(b.totalBytes)})`,
      `Trainable params: ${formatCount(b.trainableParams)} (${formatBytes(b.trainableBytes)})`,
      `Non-trainable params: ${formatCount(b.nonTrainableParams)} (${formatBytes(b.nonTrainableBytes)})`,
    ],
  };
}

/** A SummaryBundle as a `<table>` in Keras 3's layout, with the totals lines in its footer. */
export function renderSummary(b: SummaryBundle): HTMLElement {
  const m = summaryModel(b);
  const table = h(
    'table',
    { class: 'nb-table nb-summary' },
    h('caption', {}, m.caption),
    h('thead', {}, h('tr', {}, m.columns.map((c, i) => h('th', { scope: 'col', class: m.numeric.includes(i) ? 'num' : null }, c)))),
    h(
      'tbody',
      {},
      m.rows.map((r) => h('tr', {}, r.map((v, i) => (i === 0 ? h('th', { scope: 'row' }, v) : h('td', { class: m.numeric.includes(i) ? 'num' : null }, v))))),
    ),
    h('tfoot', {}, m.totals.map((t) => h('tr', {}, h('td', { colspan: m.columns.length }, t)))),
  );
  return h('div', { class: 'nb-scroll' }, table);
}
