/**
 * Line plots and xy paths (`PlotBundle`, from `display.plot({...})`): a table of every value
 * (the text alternative, under "Values as a table") and, loaded on first use, a Chart.js chart.
 */
import type { PlotBundle } from '../../contract/protocol';
import { h, uniqueId } from '../dom';
import './gates.css';

const fmt = (v: number | null) => (v == null ? '' : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(4) : v.toExponential(3));

/** A line-plot output: `update` replaces the table of values and redraws the chart. */
export class PlotView {
  readonly el: HTMLElement;
  private readonly chartBox = h('div', { class: 'nb-chart', 'aria-live': 'off' });
  private readonly tableBox = h('div', { class: 'nb-scroll' });
  private readonly tableId = uniqueId('nb-plot');
  private dispose: (() => void) | null = null;
  private token = 0;

  constructor() {
    this.el = h('figure', { class: 'nb-plot' }, this.chartBox, h('details', { class: 'nb-gates-details' }, h('summary', {}, 'Values as a table'), this.tableBox));
  }

  update(b: PlotBundle): void {
    const caption = h('caption', {}, b.title || `${b.yLabel} against ${b.xLabel}`);
    const cell = (v: number | null) => h('td', { class: 'num', 'data-value': v ?? '' }, fmt(v));
    // Shared x: one row per x, one column per series. Own x per series (paths): one row per
    // point, with the series and the point's number, so every drawn point is in the table.
    const table = b.series.some((s) => s.x)
      ? h(
          'table',
          { class: 'nb-table nb-plot-table nb-plot-points', id: this.tableId },
          caption,
          h('thead', {}, h('tr', {}, ['series', 'point', b.xLabel, b.yLabel].map((c, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, c)))),
          h('tbody', {}, b.series.flatMap((s) => s.values.map((v, k) => h('tr', {}, h('th', { scope: 'row' }, s.name), h('td', { class: 'num' }, String(k + 1)), cell(s.x?.[k] ?? null), cell(v))))),
        )
      : h(
          'table',
          { class: 'nb-table nb-plot-table', id: this.tableId },
          caption,
          h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num' }, b.xLabel), b.series.map((s) => h('th', { scope: 'col', class: 'num' }, s.name)))),
          h('tbody', {}, b.x.map((x, k) => h('tr', {}, h('th', { scope: 'row', class: 'num' }, String(x)), b.series.map((s) => cell(s.values[k]))))),
        );
    this.tableBox.replaceChildren(table);
    const token = ++this.token;
    import('./plot-chart')
      .then((mod) => {
        if (token !== this.token) return;
        this.dispose?.();
        this.dispose = mod.createPlotChart(this.chartBox, b, this.tableId);
      })
      .catch((e: Error) => {
        this.chartBox.textContent = `(chart unavailable: ${e.message})`;
      });
  }

  destroy(): void {
    this.token++;
    this.dispose?.();
  }
}
