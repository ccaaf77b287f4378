/**
 * The readable text of formulas that search indexes instead of KaTeX's flattened copies
 * (src/markdown/tex-to-text.ts, src/markdown/rehype-math-search-text.ts; pagefind.yml says why),
 * and the search UI's tidying of the space Pagefind leaves after them (search-client.ts).
 * The formulas are real ones from content/lessons/*.mdx.
 */
import type { Element, ElementContent, Root } from 'hast';
import rehypeKatex from 'rehype-katex';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { processResult, tidyExcerpt } from '../../src/components/site/search-client';
import rehypeMathSearchText from '../../src/markdown/rehype-math-search-text';
import { texToText } from '../../src/markdown/tex-to-text';

describe('texToText', () => {
  it.each([
    // symbols, Greek letters, subscripts and superscripts (braced only when longer than a symbol)
    ['d \\cdot u', 'd · u'],
    ['u^2', 'u^2'],
    ['h_{t-1} U_f', 'h_{t-1} U_f'],
    ['f_t, i_t, o_t \\in (0, 1)^{1 \\times u}', 'f_t, i_t, o_t ∈ (0, 1)^{1×u}'],
    ['x_t \\in \\mathbb{R}^{1 \\times d}', 'x_t ∈ ℝ^{1×d}'],
    ['b^{(x)}_{\\bullet}, b^{(h)}_{\\bullet} \\in \\mathbb{R}^{u}', 'b^{(x)}_•, b^{(h)}_• ∈ ℝ^u'],
    ['\\sigma(z) = 1 / (1 + e^{-z})', 'σ(z) = 1 / (1 + e^{-z})'],
    ['(a \\odot b)_j = a_j b_j', '(a ⊙ b)_j = a_j b_j'],
    ['\\rho(U) = \\max |\\lambda|', 'ρ(U) = max |λ|'],
    ['0.73^{50} \\approx 10^{-7}', '0.73^{50} ≈ 10^{-7}'],
    ['10{,}000 \\times 32 = 320{,}000', '10,000 × 32 = 320,000'],
    ['\\operatorname{diag}(\\tanh\'(a_j))\\,U^{\\top}', "diag(tanh'(a_j)) U^⊤"],
    ['W = [\\,W_z \\mid W_r \\mid W_h\\,]', 'W = [W_z | W_r | W_h]'],
    // accents
    ['\\tilde{c}_t \\in (-1, 1)^{1 \\times u}', 'c̃_t ∈ (-1, 1)^{1×u}'],
    ['\\hat{y} = \\sigma(h_T w + c)', 'ŷ = σ(h_T w + c)'],
    ['y_t = \\left[\\overrightarrow{h}_t \\,;\\, \\overleftarrow{h}_t\\right]', 'y_t = [h⃗_t; h⃖_t]'],
    // \left \right \bigl \bigr, \text, \allowbreak\qquad
    [
      'f_t = \\sigma\\left(x_t W_f + h_{t-1} U_f + b_f\\right) \\allowbreak\\qquad \\text{forget gate}',
      'f_t = σ(x_t W_f + h_{t-1} U_f + b_f) forget gate',
    ],
    [
      '\\tilde{h}_t = \\tanh\\bigl(x_t W_h + b_h + r_t \\odot \\left(h_{t-1} U_h + b\'_h\\right)\\bigr)',
      "h̃_t = tanh(x_t W_h + b_h + r_t ⊙ (h_{t-1} U_h + b'_h))",
    ],
    ['\\text{params}_{\\text{SimpleRNN}} = d u + u^2 + u = u\\,(d + u + 1).', 'params_{SimpleRNN} = d u + u^2 + u = u (d + u + 1).'],
    // fractions, big operators, norms
    [
      '\\frac{\\partial h_t}{\\partial h_{t-1}} = \\operatorname{diag}(z_t) + (\\text{terms through } z_t, r_t \\text{ and } \\tilde{h}_t).',
      '∂h_t/∂h_{t-1} = diag(z_t) + (terms through z_t, r_t and h̃_t).',
    ],
    ['\\frac{a + b}{2}', '(a + b)/2'],
    [
      '\\frac{\\partial c_t}{\\partial c_k} \\approx \\prod_{j=k+1}^{t} \\operatorname{diag}(f_j) = \\operatorname{diag}\\!\\Big(\\prod_{j=k+1}^{t} f_j\\Big),',
      '∂c_t/∂c_k ≈ ∏_{j=k+1}^t diag(f_j) = diag(∏_{j=k+1}^t f_j),',
    ],
    ['\\frac{\\partial c_t}{\\partial c_{t-1}}\\bigg|_{\\text{direct}} = \\operatorname{diag}(f_t)', '∂c_t/∂c_{t-1}|_{direct} = diag(f_t)'],
    ['g \\leftarrow \\tau\\, g / \\lVert g \\rVert', 'g ← τ g / ‖ g ‖'],
    ['\\left. x \\right|_0', 'x |_0'],
    // an aligned block: & goes, rows run on (they end in their own commas)
    [
      '\\begin{aligned}\nz_t &= x_t W + h_{t-1} U + b, \\\\\nW &= [\\,W_i \\mid W_f \\mid W_c \\mid W_o\\,] \\in \\mathbb{R}^{d \\times 4u}, \\\\\nb &= [\\,b_i \\mid b_f \\mid b_c \\mid b_o\\,] \\in \\mathbb{R}^{4u},\n\\end{aligned}',
      'z_t = x_t W + h_{t-1} U + b, W = [W_i | W_f | W_c | W_o] ∈ ℝ^{d×4u}, b = [b_i | b_f | b_c | b_o] ∈ ℝ^{4u},',
    ],
    ['\\begin{aligned} a &= 1 \\\\ b &= 2 \\end{aligned}', 'a = 1; b = 2'],
  ])('%s', (tex, text) => {
    expect(texToText(tex)).toBe(text);
  });

  it('never throws: TeX it cannot follow comes back as it is (whitespace collapsed)', () => {
    for (const bad of ['x_{t', 'a}b', '\\frac{1}', 'x^', '\\sqrt[3', '{'.repeat(500) + 'x' + '}'.repeat(500)]) {
      expect(() => texToText(bad)).not.toThrow();
      expect(texToText(bad)).toBe(bad);
    }
    expect(texToText('\\unknowncommand{x}')).toBe('unknowncommandx');
    expect(texToText('  ')).toBe('');
  });
});

describe('rehypeMathSearchText', () => {
  const math = (tex: string, display: boolean): Element => ({
    type: 'element',
    tagName: 'code',
    properties: { className: ['language-math', display ? 'math-display' : 'math-inline'] },
    children: [{ type: 'text', value: tex }],
  });
  const render = (children: ElementContent[]): Root => {
    const tree: Root = { type: 'root', children: [{ type: 'element', tagName: 'p', properties: {}, children }] };
    return unified().use(rehypeKatex).use(rehypeMathSearchText).runSync(tree) as Root;
  };
  const all = (n: Root | Element, out: Element[] = []): Element[] => {
    for (const c of n.children) if (c.type === 'element') out.push(c, ...all(c));
    return out;
  };
  const text = (n: Root | Element): string =>
    n.children.map((c) => (c.type === 'text' ? c.value : c.type === 'element' ? text(c) : '')).join('');

  it('puts the readable text of each formula (inline and display) in an attribute Pagefind indexes, adding no text', () => {
    const before = render([math('W', false), { type: 'text', value: ' has ' }, math('d \\cdot u', false)]);
    const tree = render([
      math('W', false),
      { type: 'text', value: ' has ' },
      math('d \\cdot u', false),
      math('h_t = o_t \\odot \\tanh(c_t)', true),
    ]);
    const katex = all(tree).filter((e) => (e.properties.className as string[] | undefined)?.includes('katex'));
    expect(katex.map((e) => e.properties.dataMathText)).toEqual(['W ', 'd · u ', 'h_t = o_t ⊙ tanh(c_t) ']);
    for (const e of katex) expect(e.properties.dataPagefindIndexAttrs).toBe('data-math-text');
    // Nothing a screen reader would read twice: the text content is KaTeX's, unchanged.
    const inline = all(before).filter((e) => (e.properties.className as string[] | undefined)?.includes('katex'));
    expect(inline.map(text)).toEqual(katex.slice(0, 2).map(text));
    // And the attribute is not added to anything but the formula's root.
    expect(all(tree).filter((e) => 'dataMathText' in e.properties)).toHaveLength(3);
  });
});

describe('tidyExcerpt', () => {
  it('drops the space Pagefind leaves between a formula and the punctuation after it', () => {
    expect(tidyExcerpt('W has d · u entries, U has u · u and b has u , so. params')).toBe('W has d · u entries, U has u · u and b has u, so. params');
    expect(tidyExcerpt('the update <mark>gate</mark> z_t and the reset gate r_t .')).toBe('the update <mark>gate</mark> z_t and the reset gate r_t.');
    expect(tidyExcerpt('(keep how much of c_{t-1} ), input i_t ; write')).toBe('(keep how much of c_{t-1}), input i_t; write');
    expect(tidyExcerpt('<mark>u</mark> , so')).toBe('<mark>u</mark>, so');
  });

  it('leaves other spacing alone', () => {
    for (const s of ['a value of .5 here', 'wait ... then', 'x , y'.replace(' ,', ','), 'ℝ^{1×u} is', '( 1 + 2 )x']) {
      expect(tidyExcerpt(s)).toBe(s);
    }
  });

  it('is applied to the excerpt and every sub-result excerpt (with the title repeats dropped)', () => {
    const r = processResult({
      url: '/a/',
      excerpt: 'has u , so',
      meta: { title: 'T' },
      sub_results: [
        { title: 'T', url: '/a/#_top', excerpt: 'x' },
        { title: 'S', url: '/a/#s', excerpt: 'gate r_t .' },
      ],
    });
    expect(r.excerpt).toBe('has u, so');
    expect(r.sub_results).toEqual([{ title: 'S', url: '/a/#s', excerpt: 'gate r_t.' }]);
  });
});
