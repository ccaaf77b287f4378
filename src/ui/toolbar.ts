/**
 * The page toolbar in `#notebook-bar`: Run all, Stop, Restart kernel, Clear outputs, and the
 * kernel's state, backend and live tensor count, plus a notice line (e.g. "the kernel was
 * restarted") that screen readers announce.
 */
import { h } from './dom';
import { iconButton } from './icons';
import type { SessionStatus } from './kernel-session';

/** What the toolbar's buttons do (the page's Run all, Stop, Restart and Clear outputs). */
export interface ToolbarActions {
  runAll(): void;
  stop(): void;
  restart(): void;
  clear(): void;
}

const STATE_TEXT: Record<SessionStatus['state'], string> = {
  off: 'not started',
  starting: 'starting',
  idle: 'idle',
  busy: 'busy',
};

/** The page toolbar described above: its buttons, kernel status (`setStatus`) and notice line (`say`). */
export class Toolbar {
  private readonly state: HTMLElement;
  private readonly backend: HTMLElement;
  private readonly tensors: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly kernel: HTMLElement;
  private readonly stopBtn: HTMLButtonElement;
  private noticeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(root: HTMLElement, actions: ToolbarActions) {
    const runAll = iconButton('runAll', 'Run all', '', 'nb-run-all');
    runAll.title = 'Run every cell of this lesson, in order';
    this.stopBtn = iconButton('stop', 'Stop', '', 'nb-stop-all');
    this.stopBtn.title = 'Stop the running cell and cancel queued cells';
    const restart = iconButton('restart', 'Restart kernel', '', 'nb-restart');
    restart.title = 'Start a fresh kernel: all definitions are forgotten';
    const clear = iconButton('clear', 'Clear outputs', '', 'nb-clear');
    clear.title = 'Clear the outputs of every cell';
    runAll.addEventListener('click', actions.runAll);
    this.stopBtn.addEventListener('click', actions.stop);
    restart.addEventListener('click', actions.restart);
    clear.addEventListener('click', actions.clear);

    this.state = h('span', { class: 'nb-kernel-state' }, STATE_TEXT.off);
    this.backend = h('span', { class: 'nb-kernel-backend' }, '—');
    this.tensors = h('span', { class: 'nb-kernel-tensors' }, '—');
    this.kernel = h(
      'p',
      { class: 'nb-kernel', 'data-state': 'off' },
      h('span', { class: 'nb-kernel-dot', 'aria-hidden': 'true' }),
      h('span', { class: 'nb-kernel-item' }, h('span', { class: 'nb-kernel-label' }, 'Kernel: '), this.state),
      h('span', { class: 'nb-kernel-item' }, 'Backend: ', this.backend),
      h('span', { class: 'nb-kernel-item', title: 'tf.memory().numTensors after the last run' }, 'Tensors: ', this.tensors),
    );
    this.notice = h('p', { class: 'nb-notice', role: 'status', 'aria-live': 'polite' });
    root.classList.add('nb-bar');
    root.replaceChildren(
      h('div', { class: 'nb-bar-buttons', role: 'group', 'aria-label': 'Notebook controls' }, runAll, this.stopBtn, restart, clear),
      this.kernel,
      this.notice,
    );
    this.setActive(false);
  }

  setStatus(s: SessionStatus): void {
    this.kernel.dataset.state = s.state;
    this.state.textContent = STATE_TEXT[s.state] + (s.queued > 0 ? ` (${s.queued} queued)` : '');
    this.backend.textContent = s.backend ?? '—';
    this.tensors.textContent = s.numTensors !== undefined ? String(s.numTensors) : '—';
  }

  setActive(active: boolean): void {
    if (!active && document.activeElement === this.stopBtn) {
      this.stopBtn.closest('.nb-bar')?.querySelector<HTMLElement>('.nb-run-all')?.focus();
    }
    this.stopBtn.disabled = !active;
  }

  /** Shows a message; info notices fade after a while, warnings stay until the next one. */
  say(text: string, kind: 'info' | 'warn'): void {
    if (this.noticeTimer) clearTimeout(this.noticeTimer);
    this.notice.textContent = text;
    this.notice.dataset.kind = kind;
    this.noticeTimer = kind === 'info' ? setTimeout(() => (this.notice.textContent = ''), 20_000) : null;
  }
}
