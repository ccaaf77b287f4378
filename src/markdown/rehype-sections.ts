/**
 * Groups a lesson's body into one `<div class="lesson-section">` per h2 or h3 (plus one for what
 * comes before the first heading; a long one is cut further, see MAX_ELEMENTS), so the browser can skip the style, layout and paint of
 * sections that are off screen (`content-visibility: auto` in layout.css). h3 too: a lesson's
 * equations section alone holds thousands of KaTeX elements, and the smaller the sections the
 * less is rendered around the reader's position. On a lesson with thousands of
 * KaTeX and Shiki elements that is what keeps a keystroke in a cell's editor or a theme switch
 * within a frame: only the sections on screen are restyled and laid out.
 *
 * Only content moves: ESM (MDX import/export) stays at the top level, heading ids and order
 * are untouched, and the wrapper is a plain <div> (no landmark, nothing for screen readers).
 *
 * A skipped section is not laid out, so nothing in it may depend on layout to be usable (and no
 * script may measure it: that forces the layout skipping saves): wide tables are keyboard-
 * focusable in the server HTML (rehype-scroll-boxes.ts), display equations wrap instead of
 * scrolling (base.css), and find-in-page and #anchors reveal a skipped section (the browser
 * renders it before scrolling to it).
 */
import type { Element, Root, RootContent } from 'hast';

/**
 * A section is also cut (between two top-level blocks) once it holds this many elements: the
 * comparison lesson's update rules (ten display equations, 2,800 elements under one h2) sit
 * just below the first screen and were rendered whole at load.
 */
const MAX_ELEMENTS = 600;

/** Elements in a subtree (what style and layout have to visit). */
function size(node: RootContent): number {
  if (node.type !== 'element') return 0;
  return 1 + node.children.reduce((n, c) => n + size(c as RootContent), 0);
}

const section = (children: RootContent[]): Element => ({
  type: 'element',
  tagName: 'div',
  properties: { className: ['lesson-section'] },
  children: children as Element['children'],
});

/** The rehype plugin (see the file's header). */
export default function rehypeSections() {
  return (tree: Root) => {
    const top: RootContent[] = [];
    let current: RootContent[] = [];
    let elements = 0;
    const flush = () => {
      if (current.some((n) => n.type !== 'text' || n.value.trim() !== '')) top.push(section(current));
      else top.push(...current);
      current = [];
      elements = 0;
    };
    for (const node of tree.children) {
      const type = node.type as string;
      if (type === 'mdxjsEsm' || type === 'doctype') {
        top.push(node);
        continue;
      }
      const n = size(node);
      if (node.type === 'element' && (node.tagName === 'h2' || node.tagName === 'h3')) flush();
      else if (elements > 0 && elements + n > MAX_ELEMENTS) flush();
      current.push(node);
      elements += n;
    }
    flush();
    tree.children = top;
  };
}
