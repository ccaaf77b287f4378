/**
 * The live `fit` progress display: one `Epoch e/E` header and one Keras 3 progress line per
 * epoch. Updates for an epoch replace that epoch's line in place; a new epoch adds lines
 * below, so finished epochs stay visible like in a terminal (the kernel gives each epoch its own
 * displayId, `fit-<run>-<n>-epoch-<e>`: src/kernel/fit.ts).
 */
import type { ProgressBundle } from '../../contract/protocol';
import { h } from '../dom';
import { BAR_CHAR, progressLine } from './format';

/** The fit progress output described above; `update` takes each ProgressBundle. */
export class ProgressView {
  readonly el: HTMLPreElement;
  private readonly epochs = new Map<number, HTMLElement>();

  constructor() {
    // Screen readers would otherwise hear every batch; the history table reports results.
    this.el = h('pre', { class: 'nb-progress', 'aria-live': 'off' });
  }

  update(b: ProgressBundle): void {
    let line = this.epochs.get(b.epoch);
    if (!line) {
      line = h('span', { class: 'nb-progline' });
      this.el.append(h('span', { class: 'nb-epoch' }, `Epoch ${b.epoch}/${b.epochs}`), '\n', line, '\n');
      this.epochs.set(b.epoch, line);
    }
    const l = progressLine(b);
    const parts: (Node | string)[] = [
      h('span', { class: 'nb-counter' }, l.counter),
      ' ',
      h('span', { class: 'nb-bar-done' }, BAR_CHAR.repeat(l.filled)),
      h('span', { class: 'nb-bar-todo' }, BAR_CHAR.repeat(l.width - l.filled)),
      ' ',
      h('span', { class: 'nb-timing' }, l.timing),
      l.metrics,
    ];
    if (b.stopped) parts.push(h('span', { class: 'nb-stopped' }, '  (stopped)'));
    line.replaceChildren(...parts);
    line.dataset.done = String(b.done);
  }
}
