/**
 * Training history: a table with one row per epoch (epoch, loss, metrics, val_ metrics) and,
 * loaded on first use, a Chart.js line chart of loss and accuracy. The chart's accessible name
 * says what it plots and points at the table as its text alternative.
 */
import type { HistoryBundle } from '../../kernel/protocol';
import { h, uniqueId } from '../dom';
import { historyModel } from './history-model';
import type { HistoryChart } from './history-chart';

export class HistoryView {
  readonly el: HTMLElement;
  private readonly tableBox: HTMLElement;
  private readonly chartBox: HTMLElement;
  private readonly tableId = uniqueId('nb-history');
  private chart: HistoryChart | null = null;
  private loading: Promise<void> | null = null;
  private latest: HistoryBundle | null = null;

  constructor() {
    this.tableBox = h('div', { class: 'nb-scroll' });
    this.chartBox = h('div', { class: 'nb-chart', 'aria-live': 'off' });
    this.el = h('div', { class: 'nb-history' }, this.chartBox, this.tableBox);
  }

  update(b: HistoryBundle): void {
    this.latest = b;
    const m = historyModel(b);
    const table = h(
      'table',
      { class: 'nb-table nb-history-table', id: this.tableId },
      h('caption', {}, 'Training history'),
      h('thead', {}, h('tr', {}, m.columns.map((c) => h('th', { scope: 'col', class: c === 'epoch' ? null : 'num' }, c)))),
      h('tbody', {}, m.rows.map((r) => h('tr', {}, r.map((v, i) => (i === 0 ? h('th', { scope: 'row', class: 'num' }, v) : h('td', { class: 'num' }, v)))))),
    );
    this.tableBox.replaceChildren(table);
    if (this.chart) this.chart.update(b);
    else if (!this.loading) this.loading = this.loadChart();
  }

  private async loadChart(): Promise<void> {
    try {
      const mod = await import('./history-chart');
      if (!this.latest) return;
      this.chart = mod.createHistoryChart(this.chartBox, this.latest, this.tableId);
    } catch (e) {
      this.chartBox.textContent = `(chart unavailable: ${(e as Error).message})`;
    }
  }

  destroy(): void {
    this.chart?.destroy();
  }
}
