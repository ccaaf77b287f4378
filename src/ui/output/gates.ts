/**
 * Gate heatmaps (`GatesBundle`, from `display.gates(trace, ...)`): one row per word read,
 * one block of cells per gate or state with one cell per unit, and the model's prediction
 * after each word as a bar.
 *
 * - Colours come from the notebook's CSS variables (light and dark), the value sets the
 *   opacity: gates in [0, 1] use one hue, signed values (candidate, cell state, h) two hues.
 * - Keyboard: the chart is one tab stop; arrow keys, Home and End move between words and a
 *   live line reads out every value of the selected word (pointer clicks do the same).
 * - The same numbers are in a table (the text alternative) under "Values as a table".
 * - Size is bounded by the kernel (gates-display.ts) and the drawing scrolls in a box.
 */
import type { GatesBundle } from '../../contract/protocol';
import { h, uniqueId } from '../dom';
import './gates.css';

const SVG = 'http://www.w3.org/2000/svg';
const CELL = 12;
const GAP = 10;
const HEAD = 30;
const PRED_W = 92;

function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** The symbol of a row as the lessons write it: i, f, c̃, o, c, h / z, r, h̃, h. */
export function rowSymbol(name: string, label: string): string {
  if (name !== 'candidate') return name;
  return label.includes('c̃') ? 'c̃' : 'h̃';
}

const fmt = (v: number) => (Math.abs(v) < 0.005 ? '0.00' : v.toFixed(2));

/** Fill class and opacity of one value on its row's scale. */
export function cellStyle(v: number, range: [number, number]): { cls: string; opacity: number } {
  const [lo, hi] = range;
  if (lo >= 0) {
    const t = hi > lo ? (v - lo) / (hi - lo) : 0;
    return { cls: 'nb-g-pos', opacity: Math.min(1, Math.max(0, t)) };
  }
  const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  return { cls: v < 0 ? 'nb-g-neg' : 'nb-g-pos', opacity: Math.min(1, Math.abs(v) / m) };
}

/**
 * The gate heatmaps of a GatesBundle as described above: the SVG chart, its live readout and the
 * table of values.
 */
export function renderGates(b: GatesBundle): HTMLElement {
  const n = b.tokens.length;
  const u = b.units;
  const wordW = Math.min(150, 16 + 6.5 * Math.max(4, ...b.tokens.map((t) => t.length)));
  const blockW = u * CELL;
  const width = wordW + b.rows.length * (blockW + GAP) + (b.prediction ? PRED_W : 0);
  const height = HEAD + n * CELL + 4;
  const readoutId = uniqueId('nb-gates-readout');
  const tableId = uniqueId('nb-gates-table');
  // Narrow screens may shrink the drawing a little (the site scales SVGs to fit); beyond 70%
  // the words get too small to read, so the box scrolls instead.
  const svg = s('svg', { class: 'nb-gates-svg', width, height, style: `min-width: ${Math.round(width * 0.7)}px`, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Heatmaps of ${b.rows.map((r) => r.label).join(', ')} for each of ${n} words${b.prediction ? `, and ${b.predictionLabel ?? 'the prediction'} after each word` : ''}. The table under "Values as a table" lists the same values.` });
  // Column heads.
  b.rows.forEach((r, k) => {
    const x0 = wordW + k * (blockW + GAP);
    const head = s('text', { x: x0 + blockW / 2, y: 12, 'text-anchor': 'middle', class: 'nb-g-head' }, rowSymbol(r.name, r.label));
    head.append(s('title', {}, `${r.label}, colour scale ${r.range[0]}–${r.range[1]}`));
    svg.append(head);
    for (let j = 0; j < u; j++) svg.append(s('text', { x: x0 + j * CELL + CELL / 2, y: HEAD - 4, 'text-anchor': 'middle', class: 'nb-g-unit' }, String(j + 1)));
  });
  const px0 = wordW + b.rows.length * (blockW + GAP);
  let pLo = 0;
  let pHi = 1;
  if (b.prediction) {
    for (const p of b.prediction) {
      pLo = Math.min(pLo, p);
      pHi = Math.max(pHi, p);
    }
    svg.append(s('text', { x: px0, y: 12, class: 'nb-g-head' }, b.predictionLabel ?? 'prediction'));
  }
  const highlight = s('rect', { class: 'nb-g-highlight', x: 0, y: HEAD, width, height: CELL, visibility: 'hidden' });
  for (let t = 0; t < n; t++) {
    const y = HEAD + t * CELL;
    const g = s('g', { 'data-step': t });
    g.append(s('text', { x: wordW - 6, y: y + CELL - 2.5, 'text-anchor': 'end', class: 'nb-g-word' }, b.tokens[t]));
    b.rows.forEach((r, k) => {
      const x0 = wordW + k * (blockW + GAP);
      const row = r.values[t];
      for (let j = 0; j < u; j++) {
        const { cls, opacity } = cellStyle(row[j], r.range);
        g.append(s('rect', { x: x0 + j * CELL, y, width: CELL - 1, height: CELL - 1, class: cls, 'fill-opacity': opacity.toFixed(3), 'data-value': row[j] }));
      }
    });
    if (b.prediction) {
      const p = b.prediction[t];
      const barW = 40;
      const x = px0 + ((Math.min(0, p) - pLo) / (pHi - pLo)) * barW;
      g.append(s('rect', { x: px0, y: y + 1, width: barW, height: CELL - 3, class: 'nb-g-track' }));
      g.append(s('rect', { x, y: y + 1, width: (Math.abs(p) / (pHi - pLo)) * barW, height: CELL - 3, class: 'nb-g-bar' }));
      g.append(s('text', { x: px0 + barW + 4, y: y + CELL - 2.5, class: 'nb-g-pred' }, p.toFixed(2)));
    }
    svg.append(g);
  }
  b.rows.forEach((_, k) => {
    const x0 = wordW + k * (blockW + GAP);
    svg.append(s('rect', { x: x0 - 0.5, y: HEAD - 0.5, width: blockW, height: n * CELL, class: 'nb-g-frame' }));
  });
  svg.append(highlight); // on top, see-through, ignores the pointer

  const readout = h('p', { class: 'nb-gates-readout', id: readoutId, 'aria-live': 'polite' }, 'Select a word (click it, or focus the chart and use the arrow keys) to read its values.');
  const describeStep = (t: number) => {
    const parts = b.rows.map((r) => `${rowSymbol(r.name, r.label)} = ${r.values[t].map(fmt).join(', ')}`);
    const pred = b.prediction ? `; ${b.predictionLabel ?? 'prediction'} ${b.prediction[t].toFixed(3)}` : '';
    return `Word ${t + 1} of ${n}, “${b.tokens[t]}”: ${parts.join('; ')}${pred}.`;
  };
  let current = -1;
  const select = (t: number) => {
    current = Math.max(0, Math.min(n - 1, t));
    highlight.setAttribute('y', String(HEAD + current * CELL - 0.5));
    highlight.setAttribute('visibility', 'visible');
    readout.textContent = describeStep(current);
    box.dataset.step = String(current);
    // Keep the selected row in view inside the scroll box.
    const top = HEAD + current * CELL;
    if (top < box.scrollTop + HEAD) box.scrollTop = Math.max(0, top - HEAD);
    else if (top + CELL > box.scrollTop + box.clientHeight) box.scrollTop = top + CELL - box.clientHeight;
  };
  const box = h('div', {
    class: 'nb-gates-box',
    tabindex: '0',
    role: 'group',
    'aria-label': `Gate heatmaps, ${n} words. Arrow keys move between words.`,
    'aria-describedby': readoutId,
    onkeydown: (e: KeyboardEvent) => {
      const step: Record<string, number> = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1, PageDown: 10, PageUp: -10 };
      if (e.key in step) select((current < 0 ? (step[e.key] > 0 ? -1 : n) : current) + step[e.key]);
      else if (e.key === 'Home') select(0);
      else if (e.key === 'End') select(n - 1);
      else return;
      e.preventDefault();
    },
    onclick: (e: MouseEvent) => {
      const g = (e.target as Element).closest?.('[data-step]');
      if (g) select(Number(g.getAttribute('data-step')));
    },
  }, svg);

  // A range measured from the data (the cell state's) is a float32: three significant digits.
  const end = (v: number) => String(Number(v.toPrecision(3)));
  const scales = b.rows.map((r) => `${rowSymbol(r.name, r.label)} ${r.range[0] >= 0 ? `${end(r.range[0])}–${end(r.range[1])}` : `±${end(r.range[1])}`}`);
  const legend = h(
    'p',
    { class: 'nb-gates-legend' },
    h('span', { class: 'nb-g-swatch nb-g-swatch-pos', 'aria-hidden': 'true' }),
    ' high or positive, ',
    h('span', { class: 'nb-g-swatch nb-g-swatch-neg', 'aria-hidden': 'true' }),
    ` negative; the stronger the colour, the larger the value (colour scales: ${scales.join(', ')}).`,
  );

  const table = h(
    'table',
    { class: 'nb-table nb-gates-table', id: tableId },
    h('caption', {}, `${b.title}: values per word (units 1 to ${u}, comma-separated)`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num' }, 'step'), h('th', { scope: 'col' }, 'word'), b.rows.map((r) => h('th', { scope: 'col' }, r.label)), b.prediction ? h('th', { scope: 'col', class: 'num' }, b.predictionLabel ?? 'prediction') : null)),
    h('tbody', {}, b.tokens.map((w, t) => h('tr', {}, h('td', { class: 'num' }, t + 1), h('th', { scope: 'row' }, w), b.rows.map((r) => h('td', { class: 'num' }, r.values[t].map(fmt).join(', '))), b.prediction ? h('td', { class: 'num' }, b.prediction[t].toFixed(3)) : null))),
  );

  return h(
    'figure',
    { class: 'nb-gates' },
    h('figcaption', { class: 'nb-gates-title' }, b.title),
    legend,
    box,
    readout,
    b.note ? h('p', { class: 'nb-gates-note' }, b.note) : null,
    h('details', { class: 'nb-gates-details' }, h('summary', {}, 'Values as a table'), h('div', { class: 'nb-scroll' }, table)),
  );
}
