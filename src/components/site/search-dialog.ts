/**
 * The instant-search dialog (SearchDialog.astro): Ctrl+K / Cmd+K anywhere, or "/" when the
 * reader is not typing, opens a modal `<dialog>` with Pagefind's UI (loaded on first open);
 * Escape or the Close button closes it and focus goes back where it was. "/" typed in a text
 * field or a code editor stays a slash.
 */
import { mountSearch } from './search-client';

/** True when a key press there is text input (so "/" must not open search). */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return !!el.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="textbox"]');
}

export function initSearchDialog(): void {
  const dialog = document.querySelector<HTMLDialogElement>('dialog.search-dialog');
  if (!dialog || dialog.dataset.ready) return;
  dialog.dataset.ready = 'true';
  const root = dialog.querySelector<HTMLElement>('.search')!;
  let mounted: Promise<unknown> | null = null;
  let returnTo: HTMLElement | null = null;

  const open = async () => {
    if (dialog.open) return;
    returnTo = document.activeElement as HTMLElement | null;
    dialog.showModal();
    mounted ??= mountSearch(root);
    await mounted;
    const input = root.querySelector<HTMLInputElement>('.search-ui input');
    if (input) {
      input.focus();
      input.select();
    }
  };

  dialog.querySelector('.search-dialog-close')?.addEventListener('click', () => dialog.close());
  // A click on the backdrop (outside the panel) closes the dialog.
  dialog.addEventListener('click', (e) => {
    if (e.target === dialog) dialog.close();
  });
  dialog.addEventListener('close', () => {
    returnTo?.focus?.();
    returnTo = null;
  });
  // A result link inside the dialog navigates; close first so the page behind is not inert.
  root.addEventListener('click', (e) => {
    if ((e.target as Element | null)?.closest?.('a[href]')) dialog.close();
  });

  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.isComposing) return;
    const k = e.key.toLowerCase();
    if (k === 'k' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) {
      e.preventDefault();
      if (dialog.open) dialog.close();
      else void open();
    } else if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !dialog.open && !isTyping(e.target)) {
      e.preventDefault();
      void open();
    }
  });
  for (const trigger of document.querySelectorAll<HTMLElement>('[data-open-search]')) {
    trigger.addEventListener('click', (e) => {
      e.preventDefault();
      void open();
    });
  }
}
