/**
 * Training history: a table with one row per epoch (epoch, loss, metrics, val_ metrics) and,
 * loaded on first use, a Chart.js line chart of loss and accuracy. The chart's accessible name
 * says what it plots and points at the table as its text alternative.
 */
import type { HistoryBundle } from '../../kernel/protocol';
import { h, uniqueId } from '../dom';
import { historyModel } from './history-model';
import type { HistoryChart } from './history-chart';

const CHART_INTERVAL_MS = 1000;

export class HistoryView {
  readonly el: HTMLElement;
  private readonly tableBox: HTMLElement;
  private readonly chartBox: HTMLElement;
  private readonly tableId = uniqueId('nb-history');
  private chart: HistoryChart | null = null;
  private loading: Promise<void> | null = null;
  private latest: HistoryBundle | null = null;
  private body: HTMLTableSectionElement | null = null;
  private columnsKey = '';
  private rowCount = 0;
  private chartTimer: ReturnType<typeof setTimeout> | null = null;
  private chartAt = 0;

  constructor() {
    this.tableBox = h('div', { class: 'nb-scroll' });
    this.chartBox = h('div', { class: 'nb-chart', 'aria-live': 'off' });
    this.el = h('div', { class: 'nb-history' }, this.chartBox, this.tableBox);
  }

  update(b: HistoryBundle): void {
    this.latest = b;
    this.renderTable(b);
    if (this.chart) this.scheduleChart();
    else if (!this.loading) this.loading = this.loadChart();
  }

  /**
   * Redraws the chart at most every CHART_INTERVAL_MS (the last update always lands): a fast
   * model finishes many epochs a second, and each Chart.js redraw costs main-thread time.
   */
  private scheduleChart(): void {
    if (this.chartTimer) return;
    const wait = Math.max(0, this.chartAt + CHART_INTERVAL_MS - performance.now());
    this.chartTimer = setTimeout(() => {
      this.chartTimer = null;
      this.chartAt = performance.now();
      if (this.latest) this.chart?.update(this.latest);
    }, wait);
  }

  /** Appends the new epochs' rows; rebuilds the table only when the columns change. */
  private renderTable(b: HistoryBundle): void {
    const m = historyModel(b);
    const key = m.columns.join('\u0000');
    if (!this.body || key !== this.columnsKey || m.rows.length < this.rowCount) {
      this.body = h('tbody', {});
      this.columnsKey = key;
      this.rowCount = 0;
      const table = h(
        'table',
        { class: 'nb-table nb-history-table', id: this.tableId },
        h('caption', {}, 'Training history'),
        h('thead', {}, h('tr', {}, m.columns.map((c) => h('th', { scope: 'col', class: c === 'epoch' ? null : 'num' }, c)))),
        this.body,
      );
      this.tableBox.replaceChildren(table);
    }
    // Rows already shown are final (one per completed epoch); only new ones are added.
    const rows = m.rows.slice(this.rowCount);
    this.body.append(...rows.map((r) => h('tr', {}, r.map((v, i) => (i === 0 ? h('th', { scope: 'row', class: 'num' }, v) : h('td', { class: 'num' }, v))))));
    this.rowCount = m.rows.length;
  }

  private async loadChart(): Promise<void> {
    try {
      const mod = await import('./history-chart');
      if (!this.latest) return;
      this.chart = mod.createHistoryChart(this.chartBox, this.latest, this.tableId);
      this.chartAt = performance.now();
    } catch (e) {
      this.chartBox.textContent = `(chart unavailable: ${(e as Error).message})`;
    }
  }

  destroy(): void {
    if (this.chartTimer) clearTimeout(this.chartTimer);
    this.chart?.destroy();
  }
}
