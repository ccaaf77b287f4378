/**
 * The Jupyter export (src/site/notebook-export.ts) on every real lesson: valid nbformat 4 against
 * the official schema (tests/fixtures/nbformat/), the Keras twins in MDX order, the prose and its
 * maths verbatim, nothing site-only left in, and every Python name defined before use.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import Ajv from 'ajv-draft-04';
import { dropKatexHints, lessonCells, lessonToNotebook, rewriteLessonLinks, toLines } from '../../src/site/notebook-export';
import { undefinedNames } from './python-names';

const root = resolve(__dirname, '../..');
const schema = JSON.parse(readFileSync(resolve(root, 'tests/fixtures/nbformat/nbformat.v4.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function readLesson(file: string) {
  const src = readFileSync(resolve(root, 'content/lessons', file), 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n/.exec(src);
  if (!m) throw new Error(`${file}: no frontmatter`);
  const field = (k: string) => new RegExp(`^${k}:\\s*(.*)$`, 'm').exec(m[1])?.[1] ?? '';
  return { slug: file.replace(/\.mdx$/, ''), title: String(field('title')), description: String(field('description')), body: src.slice(m[0].length) };
}

const lessons = readdirSync(resolve(root, 'content/lessons')).filter((f) => f.endsWith('.mdx')).map(readLesson);

describe('lesson -> Jupyter notebook', () => {
  it('finds the lessons', () => expect(lessons.length).toBeGreaterThanOrEqual(6));

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
        expect(cells.length).toBeGreaterThan(0);
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
        for (const tex of displayMaths) expect(markdown).toContain(dropKatexHints(tex)); // verbatim but for KaTeX-only hints
        const headings = lesson.body.match(/^##+ .*$/gm) ?? [];
        expect(headings.length).toBeGreaterThan(0);
        for (const h of headings) expect(markdown).toContain(h);
        expect(markdown).not.toMatch(/^import .* from ['"]/m);
        expect(markdown).not.toMatch(/^\s*<[A-Z]\w*[\s/>]/m); // a site component such as <LstmCell />
        expect(markdown).not.toMatch(/\]\(\/lessons\//);
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
});
