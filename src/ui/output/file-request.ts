/**
 * The answer to `files.pick()`: a file input plus a drop zone inside the cell output. The
 * chosen file is read into an ArrayBuffer and handed back (the session transfers it to the
 * kernel); Cancel answers with no file.
 */
import type { InputRequest, PickedFile } from '../../contract/protocol';
import { h, uniqueId } from '../dom';
import { formatBytes } from './format';

/**
 * The file input and drop zone answering one `input_request`; `answer` is called once, with the
 * file or with undefined on Cancel.
 */
export function renderFileRequest(req: InputRequest, answer: (file: PickedFile | undefined) => void): HTMLElement {
  const id = uniqueId('nb-file');
  let answered = false;
  const input = h('input', { type: 'file', id, accept: req.accept || null, class: 'nb-file-input' });
  const status = h('span', { class: 'nb-file-status', role: 'status' });
  const zone = h(
    'label',
    { class: 'nb-dropzone', for: id },
    h('span', { class: 'nb-dropzone-text' }, 'Choose a file or drop it here'),
    req.accept ? h('span', { class: 'nb-dropzone-accept' }, ` (${req.accept})`) : null,
  );
  const cancel = h('button', { type: 'button', class: 'nb-btn' }, 'Cancel');
  const box = h(
    'div',
    { class: 'nb-file-request', role: 'group', 'aria-label': req.prompt || 'Choose a file' },
    h('p', { class: 'nb-file-prompt' }, req.prompt || 'Choose a file'),
    zone,
    input,
    h('div', { class: 'nb-file-actions' }, cancel, status),
  );

  const finish = (file: PickedFile | undefined) => {
    if (answered) return;
    answered = true;
    input.disabled = true;
    cancel.disabled = true;
    box.dataset.answered = 'true';
    status.textContent = file ? `Sent ${file.name} (${formatBytes(file.bytes.byteLength)}) to the kernel.` : 'Cancelled.';
    answer(file);
  };
  const take = async (f: File | undefined | null) => {
    if (!f || answered) return;
    status.textContent = `Reading ${f.name}…`;
    try {
      finish({ name: f.name, type: f.type, bytes: await f.arrayBuffer() });
    } catch (e) {
      status.textContent = `Could not read ${f.name}: ${(e as Error).message}`;
    }
  };

  input.addEventListener('change', () => void take(input.files?.[0]));
  cancel.addEventListener('click', () => finish(undefined));
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('is-over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('is-over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('is-over');
    void take(e.dataTransfer?.files?.[0]);
  });
  return box;
}
