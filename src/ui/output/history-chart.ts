/**
 * The live history chart (Chart.js), loaded with a dynamic import on the first history output
 * so lesson pages ship no charting code until a model has trained. One small line chart per
 * group (loss; accuracy or other metrics), coloured from the notebook's CSS variables and
 * recoloured when the site switches between light and dark.
 */
import {
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';
import type { HistoryBundle } from '../../contract/protocol';
import { h } from '../dom';
import { chartGroups } from './history-model';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Title, Tooltip);

/** A mounted history chart: `update` redraws it from a newer bundle, `destroy` frees it. */
export interface HistoryChart {
  update(b: HistoryBundle): void;
  destroy(): void;
}

interface Palette {
  fg: string;
  grid: string;
  series: string[];
}

function palette(el: Element): Palette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--nb-fg', '#1f2328'),
    grid: v('--nb-border', '#d0d7de'),
    series: [v('--nb-chart-1', '#0969da'), v('--nb-chart-2', '#bc4c00'), v('--nb-chart-3', '#1a7f37'), v('--nb-chart-4', '#8250df')],
  };
}

function label(names: string[]): string {
  return `Line chart of ${names.join(', ')} per epoch. The training history table lists the same values.`;
}

/**
 * Draws the charts of `first` into `box`; `tableId` is the id of the history table named as the
 * charts' text alternative.
 */
export function createHistoryChart(box: HTMLElement, first: HistoryBundle, tableId: string): HistoryChart {
  const charts = new Map<string, { chart: Chart; canvas: HTMLCanvasElement }>();

  // Reading computed styles forces a style recalculation of the whole page, so the palette is
  // read once (and again only when the theme changes), never on each epoch's update.
  let p = palette(box);
  const build = (b: HistoryBundle) => {
    for (const g of chartGroups(b)) {
      const datasets = g.names.map((n, i) => ({
        label: n,
        data: b.metrics[n] ?? [],
        borderColor: p.series[i % p.series.length],
        backgroundColor: p.series[i % p.series.length],
        borderDash: n.startsWith('val_') ? [6, 4] : [],
        pointRadius: 2,
        tension: 0,
      }));
      const existing = charts.get(g.title);
      if (existing) {
        existing.chart.data.labels = b.epochs.map(String);
        existing.chart.data.datasets = datasets;
        existing.canvas.setAttribute('aria-label', label(g.names));
        existing.chart.update('none');
        continue;
      }
      const canvas = h('canvas', { role: 'img', 'aria-label': label(g.names), 'aria-describedby': tableId });
      box.append(h('div', { class: 'nb-chart-panel' }, canvas));
      const chart = new Chart(canvas, {
        type: 'line',
        data: { labels: b.epochs.map(String), datasets },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: {
            title: { display: true, text: g.title, color: p.fg },
            legend: { labels: { color: p.fg, boxWidth: 12 } },
          },
          scales: {
            x: { title: { display: true, text: 'epoch', color: p.fg }, ticks: { color: p.fg }, grid: { color: p.grid } },
            y: { ticks: { color: p.fg }, grid: { color: p.grid } },
          },
        },
      });
      charts.set(g.title, { chart, canvas });
    }
  };

  let last = first;
  build(first);

  // Recolour on theme switches (site toggle or OS preference).
  const recolour = () => {
    for (const { chart, canvas } of charts.values()) {
      chart.destroy();
      canvas.parentElement?.remove();
    }
    charts.clear();
    p = palette(box);
    build(last);
  };
  const observer = new MutationObserver(recolour);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class'] });
  const media = window.matchMedia?.('(prefers-color-scheme: dark)');
  media?.addEventListener('change', recolour);

  return {
    update(b) {
      last = b;
      build(b);
    },
    destroy() {
      observer.disconnect();
      media?.removeEventListener('change', recolour);
      for (const { chart } of charts.values()) chart.destroy();
      charts.clear();
    },
  };
}
