/** Small inline SVG icons for the notebook buttons (decorative: buttons carry text labels). */
import { h } from './dom';

const PATHS: Record<string, string> = {
  run: 'M5 3.5v9l8-4.5z',
  runAll: 'M2 3.5v9l6-4.5zM8.5 3.5v9l6-4.5z',
  stop: 'M4 4h8v8H4z',
  restart: 'M8 3a5 5 0 1 0 4.9 6h-1.6A3.5 3.5 0 1 1 8 4.5c1 0 1.8.4 2.4 1L8.5 7.4H13V2.9l-1.5 1.5A5 5 0 0 0 8 3z',
  clear: 'M3 3l10 10M13 3L3 13',
  edit: 'M11.3 2.3l2.4 2.4-8 8H3.3v-2.4zM10 3.6l2.4 2.4',
  reset: 'M4.5 5.5H10a3.5 3.5 0 0 1 0 7H6M4.5 5.5L7 3M4.5 5.5L7 8',
};

const STROKED = new Set(['clear', 'edit', 'reset']);

/** The `name` icon as a decorative 16×16 SVG element (empty path for an unknown name). */
export function icon(name: keyof typeof PATHS | string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('nb-icon');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', PATHS[name] ?? '');
  if (STROKED.has(name)) {
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '1.6');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
  } else {
    path.setAttribute('fill', 'currentColor');
  }
  svg.append(path);
  return svg;
}

/** A text button with an icon; `hiddenText` completes the accessible name (" cell 3"). */
export function iconButton(name: string, text: string, hiddenText = '', cls = ''): HTMLButtonElement {
  return h(
    'button',
    { type: 'button', class: `nb-btn ${cls}`.trim(), 'data-action': name },
    icon(name),
    h('span', { class: 'nb-btn-text' }, text),
    hiddenText ? h('span', { class: 'nb-visually-hidden' }, hiddenText) : null,
  );
}
