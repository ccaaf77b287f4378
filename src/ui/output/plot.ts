/**
 * Line plots (`PlotBundle`, from `display.plot({...})`): a table of every value (the text
 * alternative, under "Values as a table") and, loaded on first use, a Chart.js chart.
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
    const table = h(
      'table',
      { class: 'nb-table nb-plot-table', id: this.tableId },
      h('caption', {}, b.title || `${b.yLabel} against ${b.xLabel}`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num' }, b.xLabel), b.series.map((s) => h('th', { scope: 'col', class: 'num' }, s.name)))),
      h('tbody', {}, b.x.map((x, k) => h('tr', {}, h('th', { scope: 'row', class: 'num' }, String(x)), b.series.map((s) => h('td', { class: 'num', 'data-value': s.values[k] ?? '' }, fmt(s.values[k])))))),
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
