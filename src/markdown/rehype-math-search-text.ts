/**
 * Gives search a readable text for every formula, so Pagefind's result excerpts read as
 * sentences ("W has d · u entries, U has u · u and b has u") instead of losing the maths or
 * quoting it flattened ("ft,it,ot∈(0,1)1×u").
 *
 * Runs after rehype-katex. Each `.katex` element (inline, or inside `.katex-display`) gets
 * `data-math-text` = texToText(its TeX, which KaTeX keeps in the MathML's
 * `<annotation encoding="application/x-tex">`) and `data-pagefind-index-attrs="data-math-text"`,
 * which makes Pagefind index that attribute's value where the element stands. pagefind.yml
 * excludes KaTeX's two rendered copies (`.katex-mathml`, `.katex-html`), so the attribute is the
 * formula's only text in the index. Attributes only: screen readers still hear the MathML once,
 * and nothing visible changes.
 *
 * The value ends in a space on purpose: Pagefind appends a full stop to an indexed attribute whose
 * last character is a letter, digit or `)` (meant for image alt texts), which would put a "."
 * after every formula in mid-sentence; its whitespace normalisation then drops the space.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { texToText } from './tex-to-text.ts';

/** The attribute holding the formula's readable text. */
export const MATH_TEXT_ATTRIBUTE = 'data-math-text';

const hasClass = (n: Element, c: string): boolean =>
  Array.isArray(n.properties?.className) && n.properties.className.includes(c);

function textOf(n: ElementContent): string {
  if (n.type === 'text') return n.value;
  if (n.type === 'element') return n.children.map(textOf).join('');
  return '';
}

/** The TeX source KaTeX recorded inside `katex` (its MathML annotation), or null. */
function texOf(katex: Element): string | null {
  const stack: ElementContent[] = [...katex.children];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type !== 'element') continue;
    if (n.tagName === 'annotation' && n.properties?.encoding === 'application/x-tex') return textOf(n);
    stack.push(...n.children);
  }
  return null;
}

function visit(n: Root | Element): void {
  for (const child of n.children as (RootContent | ElementContent)[]) {
    if (child.type !== 'element') continue;
    if (hasClass(child, 'katex')) {
      const tex = texOf(child);
      if (tex !== null && tex.trim()) {
        child.properties.dataMathText = `${texToText(tex)} `;
        child.properties.dataPagefindIndexAttrs = MATH_TEXT_ATTRIBUTE;
      }
      continue; // no formula inside a formula
    }
    visit(child);
  }
}

/** The rehype plugin (see the file's header). */
export default function rehypeMathSearchText() {
  return (tree: Root) => visit(tree);
}
