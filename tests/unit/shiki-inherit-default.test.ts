import type { Element, ElementContent } from 'hast';
import { describe, expect, it } from 'vitest';
import { shikiInheritDefault } from '../../src/markdown/shiki-inherit-default';

const span = (style: string | undefined, text: string): Element => ({
  type: 'element',
  tagName: 'span',
  properties: style === undefined ? {} : { style },
  children: [{ type: 'text', value: text }],
});

function listing(preStyle: string, tokens: Element[]): Element {
  const line: Element = { type: 'element', tagName: 'span', properties: { className: ['line'] }, children: tokens as ElementContent[] };
  const code: Element = { type: 'element', tagName: 'code', properties: {}, children: [line] };
  return { type: 'element', tagName: 'pre', properties: { style: preStyle }, children: [code] };
}

function run(pre: Element): Element[] {
  const t = shikiInheritDefault();
  (t.pre as (this: unknown, hast: Element) => void).call({}, pre);
  return ((pre.children[0] as Element).children[0] as Element).children as Element[];
}

const PRE = '--shiki-light:#1f2328;--shiki-dark:#e6edf3;--shiki-light-bg:#ffffff;--shiki-dark-bg:#0d1117;overflow-x:auto';

describe('shikiInheritDefault', () => {
  it('drops the style of tokens in the default colours (any case), so they inherit them from the <pre>', () => {
    const [plain, keyword] = run(listing(PRE, [span('--shiki-light:#1F2328;--shiki-dark:#E6EDF3', 'model'), span('--shiki-light:#CF222E;--shiki-dark:#FF7B72', 'const')]));
    expect(plain!.properties.style).toBeUndefined();
    expect(plain!.children).toEqual([{ type: 'text', value: 'model' }]);
    expect(keyword!.properties.style).toBe('--shiki-light:#CF222E;--shiki-dark:#FF7B72');
  });

  it('keeps a default-coloured token that also has a font style, and one with only one theme in the default colour', () => {
    const italic = '--shiki-light:#1F2328;--shiki-dark:#E6EDF3;--shiki-light-font-style:italic;--shiki-dark-font-style:italic';
    const half = '--shiki-light:#1F2328;--shiki-dark:#FF7B72';
    const [a, b] = run(listing(PRE, [span(italic, 'x'), span(half, 'y')]));
    expect(a!.properties.style).toBe(italic);
    expect(b!.properties.style).toBe(half);
  });

  it('leaves every token alone when the <pre> has no colour pair', () => {
    const style = '--shiki-light:#1F2328;--shiki-dark:#E6EDF3';
    const [a] = run(listing('overflow-x:auto', [span(style, 'x')]));
    expect(a!.properties.style).toBe(style);
  });
});
