/**
 * Renders a DownloadBundle (files a cell hands over, e.g. `model.save('downloads://name')`): one
 * "Save" link per file, backed by a Blob URL, so the reader chooses when to save. The Blob URLs
 * live as long as the page (a re-run shows new ones; old outputs are dropped with their cell's
 * output, and the browser frees the URLs on unload).
 */
import type { DownloadBundle } from '../../contract/protocol';
import { h } from '../dom';

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/** The output element for a DownloadBundle: a short list of download links. */
export function renderDownload(b: DownloadBundle): HTMLElement {
  return h(
    'div',
    { class: 'nb-download' },
    h('p', {}, b.files.length === 1 ? 'Ready to save:' : `Ready to save (${b.files.length} files, keep them together):`),
    h(
      'ul',
      {},
      b.files.map((f) => {
        const url = URL.createObjectURL(new Blob([f.bytes], { type: f.type }));
        return h('li', {}, h('a', { href: url, download: f.name }, `Save ${f.name}`), ` (${size(f.bytes.byteLength)})`);
      }),
    ),
  );
}
