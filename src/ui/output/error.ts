/**
 * Errors from the kernel: `TypeError: x is not a function` with the line and column in the
 * cell, then the mapped traceback. An interrupt reads as a quiet note, not as a failure.
 */
import type { ErrorMessage } from '../../contract/protocol';
import { h } from '../dom';

/**
 * The text of an error output: `ename: evalue`, the line and column in the cell when known, then
 * the traceback (exported for tests).
 */
export function errorText(e: Pick<ErrorMessage, 'ename' | 'evalue' | 'line' | 'column' | 'traceback'>): string {
  const where = e.line !== undefined ? `\n(line ${e.line}${e.column !== undefined ? `, column ${e.column}` : ''} of this cell)` : '';
  const trace = e.traceback.length ? `\n${e.traceback.join('\n')}` : '';
  return `${e.ename}: ${e.evalue}${where}${trace}`;
}

/** True when the error is an interrupt (Stop), which is shown as a note rather than a failure. */
export function isInterrupt(e: Pick<ErrorMessage, 'ename'>): boolean {
  return e.ename === 'KeyboardInterrupt';
}

/** An error output: a quiet note for an interrupt, otherwise a `role="alert"` block with `errorText`. */
export function renderError(e: ErrorMessage): HTMLElement {
  if (isInterrupt(e)) return h('pre', { class: 'nb-note' }, `Interrupted. ${e.evalue}`.trim());
  return h('pre', { class: 'nb-error', role: 'alert' }, errorText(e));
}

/** A note from the page itself (cancelled, kernel restarted), shown in the cell output. */
export function renderNote(text: string, kind: 'note' | 'warn' = 'note'): HTMLElement {
  return h('pre', { class: kind === 'warn' ? 'nb-note nb-note-warn' : 'nb-note' }, text);
}
