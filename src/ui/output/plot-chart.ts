/**
 * The Chart.js line chart of a `PlotBundle` (loaded on first use, like history-chart.ts),
 * with a logarithmic y axis when asked; recoloured when the site's theme changes.
 */
import {
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';
import type { PlotBundle } from '../../contract/protocol';
import { h } from '../dom';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Title, Tooltip);

/** Draws `b` into `box`; returns a function that removes the chart and its listeners. */
export function createPlotChart(box: HTMLElement, b: PlotBundle, tableId: string): () => void {
  let chart: Chart | null = null;
  const draw = () => {
    chart?.destroy();
    box.replaceChildren();
    const css = getComputedStyle(box);
    const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
    const fg = v('--nb-fg', '#1f2328');
    const grid = v('--nb-border', '#d0d7de');
    const colours = [v('--nb-chart-1', '#0969da'), v('--nb-chart-2', '#bc4c00'), v('--nb-chart-3', '#1a7f37'), v('--nb-chart-4', '#8250df')];
    const groups: string[] = [];
    const colourOf = (i: number) => {
      const g = b.series[i].group ?? `#${i}`;
      if (!groups.includes(g)) groups.push(g);
      return colours[groups.indexOf(g) % colours.length];
    };
    const canvas = h('canvas', {
      role: 'img',
      'aria-label': `${b.series.some((s) => s.x) ? 'Paths' : 'Line chart'}: ${b.title || b.yLabel} against ${b.xLabel}${b.logY ? ' (logarithmic y axis)' : ''}${b.series.some((s) => s.x) ? ', each path ends at its larger dot' : ''}, series ${b.series.map((s) => s.name).join(', ')}. The table lists the same values.`,
      'aria-describedby': tableId,
    });
    box.append(h('div', { class: 'nb-chart-panel' }, canvas));
    chart = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: b.series.map((s, i) => ({
          label: s.name,
          data: (s.x ?? b.x).map((x, k) => ({ x: x as number, y: s.values[k] == null || (b.logY && (s.values[k] as number) <= 0) ? null : (s.values[k] as number) })),
          borderColor: colourOf(i),
          backgroundColor: colourOf(i),
          borderDash: s.dashed ? [6, 4] : [],
          // A path (own x) marks where it ends.
          pointRadius: s.x ? (ctx: { dataIndex: number }) => (ctx.dataIndex === s.values.length - 1 ? 4 : 1.5) : 1.5,
          tension: 0,
          spanGaps: false,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        plugins: {
          title: { display: !!b.title, text: b.title, color: fg },
          legend: { labels: { color: fg, boxWidth: 12 } },
        },
        scales: {
          x: { type: 'linear', title: { display: true, text: b.xLabel, color: fg }, ticks: { color: fg }, grid: { color: grid } },
          y: { type: b.logY ? 'logarithmic' : 'linear', title: { display: true, text: b.yLabel, color: fg }, ticks: { color: fg }, grid: { color: grid } },
        },
      },
    });
  };
  draw();
  const observer = new MutationObserver(draw);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class'] });
  const media = window.matchMedia?.('(prefers-color-scheme: dark)');
  media?.addEventListener('change', draw);
  return () => {
    observer.disconnect();
    media?.removeEventListener('change', draw);
    chart?.destroy();
  };
}
