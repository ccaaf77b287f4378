/**
 * Training history: a table with one row per epoch (epoch, loss, metrics, val_ metrics) and,
 * loaded on first use, a Chart.js line chart of loss and accuracy. The chart's accessible name
 * says what it plots and points at the table as its text alternative.
 */
import type { HistoryBundle } from '../../contract/protocol';
import { h, uniqueId } from '../dom';
import { historyModel } from './history-model';
import type { HistoryChart } from './history-chart';

const REDRAW_INTERVAL_MS = 1000;

let chartModule: Promise<typeof import('./history-chart')> | null = null;

/**
 * Starts loading the chart code (Chart.js) if not yet loaded, and returns it. Called when a
 * fit's first progress line appears: the page's main thread is mostly idle during training,
 * so fetching and compiling Chart.js then keeps it off the moment the epoch ends, when the
 * history, the run's result and the `done` state arrive together. A failed load is retried.
 */
export function prefetchHistoryChart(): Promise<typeof import('./history-chart')> {
  if (!chartModule) {
    chartModule = import('./history-chart');
    chartModule.catch(() => (chartModule = null));
  }
  return chartModule;
}

/** A training-history output: the table and the chart, redrawn at most once a second as epochs arrive. */
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
  private timer: ReturnType<typeof setTimeout> | null = null;
  private drawnAt = 0;

  constructor() {
    this.tableBox = h('div', { class: 'nb-scroll nb-history-scroll' });
    this.chartBox = h('div', { class: 'nb-chart', 'aria-live': 'off' });
    this.el = h('div', { class: 'nb-history' }, this.chartBox, this.tableBox);
  }

  /**
   * Shows the newest history. The first one renders at once; later ones at most every
   * REDRAW_INTERVAL_MS (the last always lands): a small model finishes many epochs a second,
   * and each table relayout and chart redraw costs main-thread time the page needs to paint.
   */
  update(b: HistoryBundle): void {
    this.latest = b;
    if (this.timer) return;
    const wait = this.drawnAt === 0 ? 0 : Math.max(0, this.drawnAt + REDRAW_INTERVAL_MS - performance.now());
    if (wait === 0) this.draw();
    else this.timer = setTimeout(() => this.draw(), wait);
  }

  /** Draws a pending update now (the run has finished: the table must be complete). */
  settle(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.draw();
    }
  }

  private draw(): void {
    this.timer = null;
    this.drawnAt = performance.now();
    const b = this.latest;
    if (!b) return;
    this.renderTable(b);
    if (this.chart) this.chart.update(b);
    else if (!this.loading) this.loading = this.loadChart();
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
      const mod = await prefetchHistoryChart();
      if (!this.latest) return;
      this.chart = mod.createHistoryChart(this.chartBox, this.latest, this.tableId);
    } catch (e) {
      this.chartBox.textContent = `(chart unavailable: ${(e as Error).message})`;
    }
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.chart?.destroy();
  }
}
