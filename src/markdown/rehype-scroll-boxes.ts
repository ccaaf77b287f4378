/**
 * Tables in lessons: each is wrapped in `<div class="table-scroll">`, so a wide table scrolls
 * inside its own box on a phone instead of widening the page. The box is keyboard-focusable
 * (tabindex="0", a group named "Table") in the server HTML, not by a script after layout: a
 * table in an off-screen section (content-visibility, rehype-sections.ts) is never laid out,
 * so a script could not know that it overflows. (Display equations wrap instead: base.css.)
 * An empty header cell (the top-left corner of a
 * comparison table, `| | LSTM | GRU |`) becomes a `<td>`: a header without text is announced
 * as an empty column header by screen readers.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element') return node.children.map(textOf).join('');
  return '';
}

function fixEmptyHeaders(node: Element): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'th' && textOf(child).trim() === '' && !child.children.some((c) => c.type === 'element')) {
      child.tagName = 'td';
    } else {
      fixEmptyHeaders(child);
    }
  }
}

function walk(node: Root | Element): void {
  node.children.forEach((child: RootContent, i: number) => {
    if (child.type !== 'element') return;
    if (child.tagName === 'table') {
      fixEmptyHeaders(child);
      node.children[i] = {
        type: 'element',
        tagName: 'div',
        properties: { className: ['table-scroll'], tabIndex: 0, role: 'group', ariaLabel: 'Table' },
        children: [child],
      };
      return;
    }
    walk(child);
  });
}

export default function rehypeScrollBoxes() {
  return (tree: Root) => walk(tree);
}
