/**
 * The core equations are on the LSTM and GRU lessons, rendered by KaTeX (checked through the
 * TeX annotation KaTeX keeps in its MathML). Spellings follow the lessons: `\tilde{c}_t`,
 * `\tilde{h}_t`, `\odot`, `\sigma`; whitespace is ignored. The tests of one lesson's own
 * formulas (LSTM, GRU, simple RNN) name it and are skipped in a fork without it; the phone test
 * runs on every lesson of content/lessons/.
 */
import { describe, expect, it } from 'vitest';
import { openPage } from './browser';
import { baseUrl, browser, useBrowser } from './use-browser';
import { renderAllSections } from './sections';
import { EXPECTED_LESSONS, hasLesson, squash, texOf } from './site-helpers';

useBrowser();

async function equations(slug: string): Promise<string[]> {
  const { page } = await openPage(browser, `${baseUrl}lessons/${slug}/`);
  const tex = (await texOf(page)).map(squash);
  await page.context().close();
  return tex;
}

/** True when some single formula on the page contains every one of `parts`. */
function someFormulaHas(tex: string[], ...parts: string[]): boolean {
  return tex.some((t) => parts.every((p) => t.includes(squash(p))));
}

describe.skipIf(!hasLesson('lstm'))('the LSTM lesson (lstm.mdx): its equations', () => {
  it('has the gates, the candidate, the cell state and the output', async () => {
    const tex = await equations('lstm');
    expect(tex.length).toBeGreaterThan(0);
    expect(someFormulaHas(tex, 'f_t', '\\sigma'), 'forget gate f_t = σ(…)').toBe(true);
    expect(someFormulaHas(tex, 'i_t', '\\sigma'), 'input gate i_t = σ(…)').toBe(true);
    expect(someFormulaHas(tex, 'o_t', '\\sigma'), 'output gate o_t = σ(…)').toBe(true);
    expect(
      tex.some((t) => /\\tilde\{?c\}?_t=?/.test(t) && t.includes('\\tanh')),
      'candidate \\tilde{c}_t = tanh(…)',
    ).toBe(true);
    expect(
      someFormulaHas(tex, 'c_t', 'f_t\\odotc_{t-1}', 'i_t\\odot\\tilde{c}_t') ||
        someFormulaHas(tex, 'c_t', 'f_t\\odotc_{t-1}', 'i_t\\odot\\tildec_t'),
      'cell update c_t = f_t ⊙ c_{t-1} + i_t ⊙ \\tilde{c}_t',
    ).toBe(true);
    expect(someFormulaHas(tex, 'h_t', 'o_t\\odot\\tanh'), 'output h_t = o_t ⊙ tanh(c_t)').toBe(true);
  });
});

describe.skipIf(!hasLesson('gru'))('the GRU lesson (gru.mdx): its equations', () => {
  it('has the update and reset gates and the interpolating state update', async () => {
    const tex = await equations('gru');
    expect(tex.length).toBeGreaterThan(0);
    expect(someFormulaHas(tex, 'z_t', '\\sigma'), 'update gate z_t = σ(…)').toBe(true);
    expect(someFormulaHas(tex, 'r_t', '\\sigma'), 'reset gate r_t = σ(…)').toBe(true);
    expect(someFormulaHas(tex, '\\tilde{h}_t', '\\tanh', 'r_t\\odot'), 'candidate \\tilde{h}_t').toBe(true);
    expect(
      someFormulaHas(tex, 'h_t', 'z_t\\odoth_{t-1}+(1-z_t)\\odot\\tilde{h}_t'),
      'h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ \\tilde{h}_t',
    ).toBe(true);
  });
});

describe('the MathML copy KaTeX keeps for screen readers', () => {
  // Each formula's MathML is clipped to a pixel but laid out. Set in Unicode's Mathematical
  // Italic letters (MathML Core's default for a one-letter <mi>), it sent Chromium searching the
  // system's fonts once per letter while the page loaded (base.css, PERFORMANCE.md).
  // Two maths-heavy lessons of the course (by name), where the per-glyph check is meaningful.
  for (const slug of ['lstm', 'simple-rnn'].filter(hasLesson)) {
    it(`${slug}: every glyph is in KaTeX's own faces, and the accessibility tree has plain letters`, async () => {
      const { page, errors } = await openPage(browser, `${baseUrl}lessons/${slug}/`);
      await renderAllSections(page);
      await page.evaluate(() => document.fonts.ready);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('DOM.enable');
      await cdp.send('CSS.enable');
      await cdp.send('Accessibility.enable');
      const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
      const { nodeIds } = await cdp.send('DOM.querySelectorAll', {
        nodeId: root.nodeId,
        selector: '.katex-mathml :is(mi, mn, mo, mtext)',
      });
      expect(nodeIds.length, 'MathML tokens on the page').toBeGreaterThan(300);
      const elsewhere: string[] = [];
      let glyphs = 0;
      for (const nodeId of nodeIds) {
        const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
        for (const f of fonts) {
          glyphs += f.glyphCount;
          if (!f.familyName.startsWith('KaTeX_')) {
            const { outerHTML } = await cdp.send('DOM.getOuterHTML', { nodeId });
            elsewhere.push(`${outerHTML} in ${f.familyName}`);
          }
        }
      }
      expect(glyphs).toBeGreaterThan(300);
      expect(elsewhere).toEqual([]);

      // What a screen reader is given: the letters as written (c, t), not 𝑐 (U+1D450) and 𝑡.
      const texts = async (id: string): Promise<string> => {
        const { nodes: children } = await cdp.send('Accessibility.getChildAXNodes', { id });
        let out = '';
        for (const c of children) {
          if (c.role?.value === 'StaticText') out += String(c.name?.value ?? '');
          else out += await texts(c.nodeId);
        }
        return out;
      };
      const { nodeIds: maths } = await cdp.send('DOM.querySelectorAll', {
        nodeId: root.nodeId,
        selector: '.katex-mathml math',
      });
      let spoken = '';
      for (const nodeId of maths.slice(0, 25)) {
        const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
        spoken += await texts(nodes[0]!.nodeId);
      }
      expect(spoken).toMatch(/[a-z]/);
      expect(spoken.match(/[\u{1D400}-\u{1D7FF}]/gu) ?? []).toEqual([]);
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});

describe('display equations on a phone (390 px, and 320 px), on every lesson of content/lessons/', () => {
  const lessons = EXPECTED_LESSONS;
  const cases = [...lessons.map((l) => ({ ...l, width: 390 })), ...lessons.map((l) => ({ ...l, width: 320 }))];
  it('has the lessons', () => expect(lessons.length).toBeGreaterThan(0));
  for (const { slug, width, displayMaths } of cases) {
    it(`${slug} at ${width} px: no display equation scrolls sideways${slug === 'lstm' || slug === 'gru' ? ', and each gate equation is its own display line' : ''}`, async () => {
      const { page, errors } = await openPage(browser, `${baseUrl}lessons/${slug}/`, { width, height: 844 });
      await page.evaluate(() => document.fonts.ready);
      const displays = await page.$$eval('.katex-display', (ds) =>
        ds.map((d) => {
          const box = d as HTMLElement;
          // Scroll to each display so its section is rendered, as a reader would see it.
          box.scrollIntoView();
          const outer = box.getBoundingClientRect();
          // KaTeX's unbreakable boxes (and a tag, if any) all lie inside the display's box.
          const cut = [...box.querySelectorAll('.katex-html > *')].some((b) => {
            const r = b.getBoundingClientRect();
            return r.right > outer.right + 1 || r.left < outer.left - 1;
          });
          return {
            tex: box.querySelector('annotation')?.textContent ?? '',
            overflows: cut || box.scrollWidth > box.clientWidth + 1,
          };
        }),
      );
      // The page rendered the lesson's display maths (a lesson may have none).
      if (displayMaths) expect(displays.length, 'display equations on the page').toBeGreaterThan(0);
      expect(displays.filter((d) => d.overflows).map((d) => d.tex)).toEqual([]);
      // LSTM and GRU lessons (course content): one gate per display, none holds two gate equations.
      const gates = ({ lstm: ['f_t=\\sigma', 'i_t=\\sigma', 'o_t=\\sigma', '\\tilde{c}_t=\\tanh'], gru: ['z_t=\\sigma', 'r_t=\\sigma', '\\tilde{h}_t=\\tanh'] } as Record<string, string[]>)[slug] ?? [];
      for (const g of gates) {
        const holders = displays.filter((d) => squash(d.tex).includes(g));
        expect(holders.length, `${g} is displayed`).toBeGreaterThan(0);
        for (const d of holders) {
          expect(gates.filter((o) => squash(d.tex).includes(o)), `${g} shares its display`).toEqual([g]);
        }
      }
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }
});
