/**
 * Client side of the theme switch. The initial theme is set by the inline script in
 * ThemeScript.astro; this wires the toggle buttons and follows OS changes until the reader
 * makes a choice.
 */
export const THEME_KEY = 'rnn-notebook-theme';
type Theme = 'light' | 'dark';

function current(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  for (const b of document.querySelectorAll('.theme-toggle')) {
    b.setAttribute('aria-pressed', String(theme === 'dark'));
  }
}

function stored(): Theme | null {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'dark' || v === 'light' ? v : null;
  } catch {
    return null;
  }
}

export function initThemeToggle(): void {
  apply(current());
  for (const b of document.querySelectorAll('.theme-toggle')) {
    b.addEventListener('click', () => {
      const next: Theme = current() === 'dark' ? 'light' : 'dark';
      apply(next);
      try {
        localStorage.setItem(THEME_KEY, next);
      } catch {
        /* private mode: the choice lasts for this page only */
      }
    });
  }
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (e) => {
    if (!stored()) apply(e.matches ? 'dark' : 'light');
  });
}
