/**
 * The Jupyter export (src/site/notebook-export.ts) on every real lesson: valid nbformat 4 against
 * the official schema (tests/fixtures/nbformat/), the Keras twins in MDX order, the prose and its
 * maths verbatim, nothing site-only left in, and every Python name defined before use.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import Ajv from 'ajv-draft-04';
import { parseFrontmatter } from '@astrojs/markdown-remark';
import { dropKatexHints, lessonCells, lessonToNotebook, rewriteLessonLinks, toLines } from '../../src/site/notebook-export';
import { undefinedNames } from './python-names';

const root = resolve(__dirname, '../..');
const schema = JSON.parse(readFileSync(resolve(root, 'tests/fixtures/nbformat/nbformat.v4.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** A lesson file as Astro reads it (the same frontmatter parser: quoted titles and all). */
function readLesson(file: string) {
  const { frontmatter, content } = parseFrontmatter(readFileSync(resolve(root, 'content/lessons', file), 'utf8'));
  if (typeof frontmatter.title !== 'string') throw new Error(`${file}: no frontmatter title`);
  return { slug: file.replace(/\.mdx$/, ''), title: frontmatter.title, description: String(frontmatter.description ?? ''), body: content };
}

/** Every lesson of content/lessons/ (a fork's too; drafts included, `npm run dev` serves them). */
const lessons = readdirSync(resolve(root, 'content/lessons')).filter((f) => f.endsWith('.mdx')).map(readLesson);
/** The live-cell fences of an MDX body, counted by line (independently of the remark parser). */
const cellFences = (body: string) => (body.match(/^[ \t]*```(js|ts)[ \t]+cell\b/gm) ?? []).length;

describe('lesson -> Jupyter notebook', () => {
  it('finds the lessons of content/lessons/, some with cells and sections', () => {
    expect(lessons.length).toBeGreaterThan(0);
    expect(lessons.some((l) => cellFences(l.body) > 0)).toBe(true);
    expect(lessons.some((l) => /^## /m.test(l.body))).toBe(true);
  });

  for (const lesson of lessons) {
    describe(lesson.slug, () => {
      const nb = lessonToNotebook(lesson);
      const code = nb.cells.filter((c) => c.cell_type === 'code');
      const markdown = nb.cells.filter((c) => c.cell_type === 'markdown').map((c) => c.source.join('')).join('\n\n');

      it('is valid nbformat 4 (official JSON schema, ajv)', () => {
        const ok = validate(JSON.parse(JSON.stringify(nb)));
        expect(validate.errors ?? []).toEqual([]);
        expect(ok).toBe(true);
        expect(new Set(nb.cells.map((c) => c.id)).size).toBe(nb.cells.length);
      });

      it('has the Keras twin of every live cell as code, in MDX order, after one setup cell', () => {
        const cells = lessonCells(lesson.body);
        expect(cells.length).toBe(cellFences(lesson.body));
        expect(code[0].id).toBe('setup');
        expect(code.slice(1).map((c) => c.id)).toEqual(cells.map((c) => `${c.id}-keras`));
        expect(code.slice(1).map((c) => c.source.join(''))).toEqual(cells.map((c) => c.keras));
        // No TensorFlow.js left anywhere.
        for (const c of cells) expect(markdown).not.toContain(c.source.trim().split('\n')[0]);
        expect(markdown).not.toMatch(/```(js|ts) cell/);
      });

      it('keeps the prose and its maths verbatim, and drops MDX imports and site components', () => {
        expect(nb.cells[0].source.join('')).toContain(`# ${lesson.title}`);
        const displayMaths = lesson.body.match(/\$\$[\s\S]*?\$\$/g) ?? [];
        // Verbatim but for KaTeX-only hints (and, inside an <Aside>'s blockquote, on one line).
        const flat = (s: string) => s.replace(/\s+/g, ' ');
        for (const tex of displayMaths) expect(flat(markdown)).toContain(flat(dropKatexHints(tex)));
        const headings = lesson.body.match(/^##+ .*$/gm) ?? [];
        for (const h of headings) expect(markdown).toContain(h);
        expect(markdown).not.toMatch(/^import .* from ['"]/m);
        expect(markdown).not.toMatch(/^\s*<[A-Z]\w*[\s/>]/m); // a site component such as <LstmCell />
        expect(markdown).not.toMatch(/\]\(\/lessons\//);
        const noCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
        expect(noCode).not.toMatch(/<\/?[A-Z]\w*[\s/>]/); // nor one inside a line (<Fragment slot="caption">)
        expect(markdown).not.toMatch(/!\[[^\]]*\]\(\/(?!\/)/); // nor a site-absolute image
      });

      it('uses no Python name before it is imported or defined (Run all from the top)', () => {
        expect(undefinedNames(code.map((c) => ({ id: c.id, source: c.source.join('') })))).toEqual([]);
      });
    });
  }

  it('catches a twin that uses a name no earlier cell defines', () => {
    const body = [
      '```js cell id="a"', 'const x = 1', '```', '', '```python keras', 'from tensorflow.keras.layers import LSTM', 'EPOCHS = 3', '```', '',
      '```js cell id="b"', 'x', '```', '', '```python keras', 'model = Sequential([LSTM(5)])', 'model.fit(x, epochs=EPOCHS)', '```', '',
    ].join('\n');
    const nb = lessonToNotebook({ slug: 't', title: 'T', description: 'D', body });
    const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => ({ id: c.id, source: c.source.join('') }));
    expect(undefinedNames(code)).toEqual(['b-keras: Sequential', 'b-keras: x']);
  });

  it('refuses a live cell without a Keras twin, naming the lesson and the cell', () => {
    const body = '```js cell id="lonely"\n1 + 1\n```\n';
    expect(() => lessonToNotebook({ slug: 'demo', title: 'T', description: 'D', body })).toThrow(/content\/lessons\/demo\.mdx: cell\(s\) lonely have no/);
  });

  it('marks a twin fenced `python keras raises` as raises-exception and keeps <details> HTML', () => {
    const body = '<details>\n<summary>Q?</summary>\n\nA $x$.\n\n</details>\n\n```js cell id="bad"\nnope()\n```\n\n```python keras raises\nraise ValueError("x")\n```\n';
    const nb = lessonToNotebook({ slug: 't', title: 'T', description: 'D', body });
    const cell = nb.cells.find((c) => c.id === 'bad-keras');
    expect(cell?.metadata).toEqual({ tags: ['raises-exception'] });
    expect(nb.cells.map((c) => c.source.join('')).join('')).toContain('<details>\n<summary>Q?</summary>\n\nA $x$.\n\n</details>');
  });

  it('rewrites site lesson links to sibling notebooks and splits lines the nbformat way', () => {
    expect(rewriteLessonLinks('see [LSTM](/lessons/lstm/) and [GRU](/lessons/gru/#equations)')).toBe('see [LSTM](lstm.ipynb) and [GRU](gru.ipynb#equations)');
    // KaTeX's line-break hint is not MathJax's: the notebook's maths has none.
    expect(dropKatexHints('f_t = a \\allowbreak\\qquad \\text{gate}')).toBe('f_t = a \\qquad \\text{gate}');
    expect(toLines('a\nb\n')).toEqual(['a\n', 'b\n']);
    expect(toLines('a\nb')).toEqual(['a\n', 'b']);
  });

  describe('components and images, as readable Markdown', () => {
    const body = [
      '## Figures',
      '',
      '<Figure id="gates">',
      '',
      '![Heat map of the gates](/images/test.svg)',
      '',
      '<Fragment slot="caption">The gates $f_t$, $i_t$ and [the LSTM](/lessons/lstm/).</Fragment>',
      '',
      '</Figure>',
      '',
      '<Figure caption="Validation accuracy per epoch.">',
      '  ![Line chart of accuracy](/images/acc.png)',
      '</Figure>',
      '',
      '<Aside type="tip" title="Rule of thumb">',
      'Start with a **GRU**.',
      '',
      '$$',
      'h_t = z_t \\odot h_{t-1}',
      '$$',
      '</Aside>',
      '',
      '<Aside type="warning">Mind the padding.</Aside>',
      '',
      '<Aside>',
      '',
      'Before the cell.',
      '',
      '```js cell id="in-aside"',
      '1',
      '```',
      '',
      '```python keras',
      'x = 1',
      '```',
      '',
      'After it.',
      '',
      '</Aside>',
      '',
      'An external ![logo](https://example.org/logo.png) and <Kbd>Ctrl</Kbd> {/* a comment */}here.',
      '',
    ].join('\n');
    const md = (siteUrl?: string) =>
      lessonToNotebook({ slug: 't', title: 'T', description: 'D', body, siteUrl })
        .cells.filter((c) => c.cell_type === 'markdown')
        .map((c) => c.source.join(''))
        .join('\n\n');

    it('a Figure: its content, then its caption (slot or attribute) as an italic line, no JSX left', () => {
      const m = md();
      expect(m).toContain('*The gates $f_t$, $i_t$ and [the LSTM](lstm.ipynb).*');
      expect(m).toContain('*Validation accuracy per epoch.*');
      expect(m.indexOf('Heat map of the gates')).toBeLessThan(m.indexOf('*The gates'));
      expect(m).not.toMatch(/<\/?(Figure|Fragment|Aside|Kbd)\b/);
      expect(m).not.toContain('slot=');
      expect(m).not.toContain('a comment');
      expect(m).toContain('and Ctrl here.');
    });

    it('an Aside: a blockquote led by its title, or by its type’s label; display maths on one line inside it', () => {
      const m = md();
      expect(m).toContain('> **Rule of thumb**\n>\n> Start with a **GRU**.\n>\n> $$ h_t = z_t \\odot h_{t-1} $$');
      expect(m).toContain('> **Watch out**\n>\n> Mind the padding.');
      expect(m).toContain('> **Note**\n>\n> Before the cell.');
      expect(m).toContain('> After it.');
    });

    it('a cell inside an Aside is still a code cell, between the two quoted parts', () => {
      const nb = lessonToNotebook({ slug: 't', title: 'T', description: 'D', body });
      const ids = nb.cells.map((c) => c.id);
      expect(ids).toContain('in-aside-keras');
      const at = ids.indexOf('in-aside-keras');
      expect(nb.cells[at - 1]!.source.join('')).toMatch(/> Before the cell\.$/);
      expect(nb.cells[at + 1]!.source.join('')).toMatch(/^> After it\./);
    });

    it('site images: absolute URLs on the deployed site when it is known, else alt text linked beside the notebook', () => {
      const known = md('https://teacher.example/course/');
      expect(known).toContain('![Heat map of the gates](https://teacher.example/course/images/test.svg)');
      expect(known).toContain('![Line chart of accuracy](https://teacher.example/course/images/acc.png)');
      const unknown = md();
      expect(unknown).toContain('[Image: Heat map of the gates](images/test.svg)');
      expect(unknown).toContain('[Image: Line chart of accuracy](images/acc.png)');
      for (const m of [known, unknown]) {
        expect(m).not.toContain('](/images/');
        expect(m).toContain('![logo](https://example.org/logo.png)'); // not the site's: as written
        expect(m).not.toMatch(/^ {4}/m); // the indented image is not turned into a code block
      }
    });
  });
});
