/** Data-loading progress (`LoadBundle`): a labelled `<progress>` bar, updated in place. */
import type { LoadBundle } from '../../contract/protocol';
import { h, uniqueId } from '../dom';
import { formatBytes } from './format';

/** The label of a LoadBundle: `label: loaded / total`, with " — done" when finished (exported for tests). */
export function loadText(b: LoadBundle): string {
  const amount = b.total !== undefined ? `${formatBytes(b.loaded)} / ${formatBytes(b.total)}` : formatBytes(b.loaded);
  return `${b.label}: ${amount}${b.done ? ' — done' : ''}`;
}

/** A data-loading output: a labelled `<progress>` bar that `update` moves forward. */
export class LoadView {
  readonly el: HTMLElement;
  private readonly bar: HTMLProgressElement;
  private readonly text: HTMLElement;

  constructor() {
    const id = uniqueId('nb-load');
    this.text = h('label', { class: 'nb-load-label', for: id });
    this.bar = h('progress', { id });
    this.el = h('div', { class: 'nb-load' }, this.text, this.bar);
  }

  update(b: LoadBundle): void {
    this.text.textContent = loadText(b);
    if (b.total !== undefined && b.total > 0) {
      this.bar.max = b.total;
      this.bar.value = b.done ? b.total : Math.min(b.loaded, b.total);
    } else if (b.done) {
      this.bar.max = 1;
      this.bar.value = 1;
    } else {
      this.bar.removeAttribute('value'); // indeterminate
    }
    this.el.dataset.done = String(b.done);
  }
}
