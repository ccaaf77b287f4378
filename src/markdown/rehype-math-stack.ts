/**
 * Consecutive display equations (a block of gate equations written as one `$$` per line, so
 * each can wrap on a phone) are grouped in `<div class="math-stack">`: base.css sets the group
 * as one centred block whose lines start at the same x, close together, as `aligned` would
 * look on a wide screen, while each line still wraps on its own on a narrow one.
 *
 * Runs after rehype-katex (it looks for KaTeX's `katex-display` spans); whitespace between the
 * equations is dropped, anything else ends a group.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';

const isDisplay = (n: RootContent | ElementContent): boolean =>
  n.type === 'element' && Array.isArray(n.properties?.className) && n.properties.className.includes('katex-display');
const isBlank = (n: RootContent | ElementContent) => n.type === 'text' && n.value.trim() === '';

function group(parent: Root | Element): void {
  const out: (RootContent | ElementContent)[] = [];
  const kids = parent.children as (RootContent | ElementContent)[];
  for (let i = 0; i < kids.length; i++) {
    const n = kids[i]!;
    if (!isDisplay(n)) {
      if (n.type === 'element') group(n);
      out.push(n);
      continue;
    }
    const run: Element[] = [n as Element];
    let j = i + 1;
    for (;;) {
      let k = j;
      while (k < kids.length && isBlank(kids[k]!)) k++;
      if (k < kids.length && isDisplay(kids[k]!)) {
        run.push(kids[k] as Element);
        j = k + 1;
      } else break;
    }
    if (run.length === 1) {
      out.push(n);
      continue;
    }
    out.push({ type: 'element', tagName: 'div', properties: { className: ['math-stack'] }, children: run });
    i = j - 1;
  }
  parent.children = out as typeof parent.children;
}

/** The rehype plugin (see the file's header). */
export default function rehypeMathStack() {
  return (tree: Root) => group(tree);
}
