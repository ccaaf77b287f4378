/**
 * Entry point of the notebook UI, loaded by the lesson layout. It enhances every `<rnn-cell>`
 * on the page. It imports no TensorFlow.js and no kernel code: the kernel worker is created on
 * the first Run, and CodeMirror and Chart.js load on first use.
 */
/// <reference types="astro/client" />
import '../styles/notebook.css';
import { withTrailingSlash } from '../site/url';
import { NotebookPage } from './page';

declare global {
  interface Window {
    /** The page's notebook, for debugging and the browser tests. */
    rnnNotebook?: NotebookPage;
  }
}

function base(): string {
  return withTrailingSlash(import.meta.env.BASE_URL || '/');
}

/** The kernel: one module worker per page, created on the first Run (see kernel-session.ts). */
function createWorker(): Worker {
  return new Worker(new URL('../kernel/worker.ts', import.meta.url), { type: 'module' });
}

function start(): void {
  if (window.rnnNotebook) return;
  const cells = [...document.querySelectorAll<HTMLElement>('rnn-cell')];
  if (cells.length === 0) return;
  window.rnnNotebook = new NotebookPage(cells, {
    base: base(),
    createWorker,
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
