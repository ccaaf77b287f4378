/**
 * Browser side of the table of contents: marks the sidebar link of the section in view with
 * aria-current, and closes the phone (inline) list after a link in it is followed.
 */
export function initToc(): void {
  const inline = document.querySelector<HTMLDetailsElement>('.toc-inline details');
  inline?.addEventListener('click', (e) => {
    if ((e.target as Element).closest('a')) inline.open = false;
  });

  const sidebar = document.querySelector('.toc-sidebar');
  if (!sidebar || !('IntersectionObserver' in window)) return;
  const links = [...sidebar.querySelectorAll<HTMLAnchorElement>('a[href^="#"]')];
  const byId = new Map(links.map((a) => [decodeURIComponent(a.hash.slice(1)), a]));
  const headings = [...byId.keys()]
    .map((id) => document.getElementById(id))
    .filter((h): h is HTMLElement => h !== null);
  const visible = new Set<Element>();
  const io = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (e.isIntersecting) visible.add(e.target);
        else visible.delete(e.target);
      }
      const first = headings.find((h) => visible.has(h));
      if (!first) return;
      for (const a of links) a.removeAttribute('aria-current');
      byId.get(first.id)?.setAttribute('aria-current', 'true');
    },
    { rootMargin: '0px 0px -60% 0px' },
  );
  headings.forEach((h) => io.observe(h));
}
