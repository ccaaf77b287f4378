/**
 * Wraps every table of a lesson in `<div class="table-scroll">`, so a wide table scrolls
 * inside its own box on a phone instead of widening the page. (Display equations get the
 * same treatment in CSS: `.katex-display` scrolls horizontally.) The layout's script makes a
 * box keyboard-focusable only when it actually overflows.
 */
import type { Element, Root, RootContent } from 'hast';

function walk(node: Root | Element): void {
  node.children.forEach((child: RootContent, i: number) => {
    if (child.type !== 'element') return;
    if (child.tagName === 'table') {
      node.children[i] = {
        type: 'element',
        tagName: 'div',
        properties: { className: ['table-scroll'] },
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
