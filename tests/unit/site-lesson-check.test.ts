/**
 * The checks of a lesson's body (src/markdown/remark-lesson-check.ts and the modules it uses),
 * run through the real MDX compiler: every mistake is reported, all in one error, each at the
 * lesson's `file:line:column` with what to do; the shipped lessons pass. The same checks in a
 * real `astro build` are in site-build-errors.test.ts.
 */
import { compile, nodeTypes } from '@mdx-js/mdx';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import rehypeKatex from 'rehype-katex';
import rehypeRaw from 'rehype-raw';
import remarkMath from 'remark-math';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { readComponentInterface } from '../../src/markdown/component-interface';
import { LessonProblemsError } from '../../src/markdown/lesson-problems';
import rehypeKatexErrors from '../../src/markdown/rehype-katex-errors';
import remarkCells from '../../src/markdown/remark-cells';
import { AUTHOR_COMPONENTS } from '../../src/markdown/remark-components-check';
import remarkLessonCheck from '../../src/markdown/remark-lesson-check';

const ROOT = resolve(__dirname, '../..');
const LESSONS = join(ROOT, 'content/lessons');
const FILE = join(LESSONS, 'x.mdx');

/** Compiles MDX as the site does (the check first; rehype-raw as Astro's MDX runs it before KaTeX). */
async function mdx(source: string, options: { path?: string; draft?: boolean; maths?: boolean } = {}): Promise<string> {
  const file = new VFile({ value: source, path: options.path ?? FILE, data: { astro: { frontmatter: { draft: options.draft ?? false } } } });
  const out = await compile(file, {
    remarkPlugins: [remarkLessonCheck, remarkCells, remarkMath],
    rehypePlugins:
      options.maths === false
        ? []
        : [[rehypeRaw, { passThrough: [...nodeTypes] }], [rehypeKatex, { throwOnError: false, strict: 'warn' }], rehypeKatexErrors],
    jsx: true,
  });
  return String(out);
}

/** The error `mdx(source)` throws (fails the test when it does not throw). */
async function failure(source: string, options?: { path?: string; draft?: boolean }): Promise<Error & { line?: number; column?: number }> {
  try {
    await mdx(source, options);
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the lesson to fail');
}

const fence = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n';
const cell = (id: string, code: string) => `${fence(`js cell id="${id}"`, code)}\n${fence('python keras', 'x = 1')}`;
const IMPORT_LSTM = "import LstmCell from '../../src/components/diagrams/LstmCell.astro';\n\n";

describe('components in a lesson', () => {
  it('names a misspelt prop with the one meant and the props the component takes', async () => {
    const e = await failure('# T\n\n<Aside typ="tip" titel="Rule of thumb">\nStart with a GRU.\n</Aside>\n');
    expect(e.message).toBe(
      'content/lessons/x.mdx:3:8: Aside has no prop `typ`; did you mean `type`? Aside takes type, title.\n' +
        'content/lessons/x.mdx:3:18: Aside has no prop `titel`; did you mean `title`? Aside takes type, title.',
    );
    // Astro prints the first problem's place under "Location:".
    expect([e.line, e.column]).toEqual([3, 8]);
    expect(e).toBeInstanceOf(LessonProblemsError);
  });

  it('checks Figure props and slots, and a value written as a prop name', async () => {
    const e = await failure(
      '<Figure captoin="Accuracy per epoch.">\n\n![A chart](/a.png)\n\n</Figure>\n\n' +
        '<Figure>\n\n![A chart](/a.png)\n\n<Fragment slot="captoin">The gates $f_t$.</Fragment>\n\n</Figure>\n\n<Aside tip>Hi.</Aside>\n',
    );
    expect(e.message.split('\n')).toEqual([
      'content/lessons/x.mdx:1:9: Figure has no prop `captoin`; did you mean `caption`? Figure takes caption, id.',
      "content/lessons/x.mdx:11:11: Figure has no slot `captoin`; did you mean `caption`? Figure's named slots: caption.",
      'content/lessons/x.mdx:15:8: Aside has no prop `tip`; did you mean `type="tip"`? Aside takes type, title.',
    ]);
  });

  it('names an unknown component and an enumerated value at their line', async () => {
    const e = await failure('# T\n\nText.\n\n<Callout>Hi.</Callout>\n\n<Aside type="info">Hi.</Aside>\n\n<Aside type="wraning">Hi.</Aside>\n');
    const lines = e.message.split('\n');
    expect(lines[0]).toMatch(/^content\/lessons\/x\.mdx:5:1: there is no component `<Callout>`\. Lessons can use <Aside> \(a note, tip or warning\) and <Figure> \(a figure with a caption\) without an import/);
    expect(lines[1]).toBe("content/lessons/x.mdx:7:8: Aside's type must be one of note, tip, warning, not \"info\".");
    expect(lines[2]).toBe('content/lessons/x.mdx:9:8: Aside\'s type must be one of note, tip, warning, not "wraning"; did you mean "warning"?');
  });

  it('says which import a diagram needs, and checks an imported diagram against its Props', async () => {
    const e = await failure('# T\n\n<LstmCell />\n');
    expect(e.message).toBe(
      "content/lessons/x.mdx:3:1: LstmCell is not imported. Add `import LstmCell from '../../src/components/diagrams/LstmCell.astro';` at the top of the lesson, after the frontmatter.",
    );
    const bad = await failure(`${IMPORT_LSTM}<LstmCell captoin="One step." />\n\n<LstmCell>\nOne step.\n</LstmCell>\n`);
    expect(bad.message.split('\n')).toEqual([
      'content/lessons/x.mdx:3:11: LstmCell has no prop `captoin`; did you mean `caption`? LstmCell takes caption.',
      'content/lessons/x.mdx:6:1: LstmCell does not show what is written between its tags; write it as <LstmCell /> (a caption goes in caption="…").',
    ]);
    await expect(mdx(`${IMPORT_LSTM}<LstmCell caption="One step." />\n`)).resolves.toContain('LstmCell');
  });

  it('accepts the documented components, HTML elements, and imports it cannot look into', async () => {
    const ok =
      "import { Thing } from './thing.js';\nexport const Local = () => null;\n\n" +
      '<Aside type="tip" title="Rule of thumb">\nUse it.\n</Aside>\n\n<Aside>Plain.</Aside>\n\n' +
      '<Figure caption="A." id="fig-a">\n  ![A chart](/a.png)\n</Figure>\n\n' +
      '<Figure>\n\n![A chart](/a.png)\n\n<Fragment slot="caption">The gates $f_t$ and [a link](/x/).</Fragment>\n\n</Figure>\n\n' +
      '<details>\n<summary>Answer</summary>\n\nIt is <kbd>Shift</kbd>+<sup>2</sup>.\n\n</details>\n\n' +
      '<svg viewBox="0 0 1 1"><linearGradient id="g" /></svg>\n\n<Thing anything="goes" />\n\n<Local any={1} />\n';
    await expect(mdx(ok)).resolves.toContain('Figure');
  });

  it('rejects misspelt HTML elements, a hand-written <Cell>, and slots outside a component', async () => {
    const e = await failure('<detials>\n<summary>A</summary>\n</detials>\n\n<Cell id="a" />\n\n<p slot="caption">x</p>\n\n<Aside>\n<Fragment slot="caption">x</Fragment>\n</Aside>\n');
    expect(e.message.split('\n')).toEqual([
      'content/lessons/x.mdx:1:1: `<detials>` is not an HTML element; did you mean `<details>`? (Components start with a capital letter.)',
      'content/lessons/x.mdx:5:1: `<Cell>` is not written by hand: a live cell is a fenced block that starts with ```js cell id="a-unique-name" (see content/README.md, Code cells).',
      'content/lessons/x.mdx:7:4: slot="caption" on <p> only works directly inside a component that has that slot (such as <Figure>); here it does nothing. Move it inside the component, on its own lines, or remove slot.',
      'content/lessons/x.mdx:10:11: Aside has no named slots, so <Fragment slot="caption"> would not be shown. Remove slot="caption".',
    ]);
  });

  it('rejects a slot inside a paragraph, which the component would show as body text', async () => {
    // Without blank lines around it, the Fragment is part of the paragraph of the image (the
    // real build renders its text after the image, and no <figcaption>).
    const e = await failure('<Figure>\n![A chart](/a.png)\n<Fragment slot="caption">A caption.</Fragment>\n</Figure>\n');
    expect(e.message).toBe(
      'content/lessons/x.mdx:3:11: <Fragment slot="caption"> is inside a paragraph, so Figure does not take it as its caption slot (it would show as body text). ' +
        'Put it on its own line with a blank line before and after, directly inside <Figure>.',
    );
  });

  it('lists the same components as the lesson page hands to MDX', () => {
    const page = readFileSync(join(ROOT, 'src/pages/lessons/[slug].astro'), 'utf8');
    const handed = /components=\{\{([^}]*)\}\}/.exec(page)![1]!.split(',').map((s) => s.trim()).filter(Boolean);
    expect(handed.filter((n) => n !== 'Cell').sort()).toEqual(Object.keys(AUTHOR_COMPONENTS).sort());
  });

  it('reads the props and slots of every author component and diagram from its source', () => {
    const read = (f: string) => readComponentInterface(readFileSync(join(ROOT, 'src/components', f), 'utf8'));
    const aside = read('Aside.astro');
    expect(Object.fromEntries(aside.props!)).toEqual({ type: { optional: true, values: ['note', 'tip', 'warning'] }, title: { optional: true } });
    expect(aside.defaultSlot).toBe(true);
    const figure = read('Figure.astro');
    expect([...figure.props!.keys()]).toEqual(['caption', 'id']);
    expect([...figure.slots!]).toEqual(['caption']);
    for (const f of readdirSync(join(ROOT, 'src/components/diagrams')).filter((n) => n.endsWith('.astro'))) {
      const d = read(`diagrams/${f}`);
      expect(d.props, f).not.toBeNull();
      expect(d.defaultSlot, f).toBe(false);
    }
  });

  it('reads Props it can take apart, and lets any prop through when it cannot', () => {
    const props = (script: string, template = '') => readComponentInterface(`---\n${script}\n---\n${template}`).props;
    const p = props("interface Props {\n  /** doc; with: colons */\n  'data-x'?: string;\n  kind:\n    | 'a'\n    | \"b\";\n  on?: (x: number) => void;\n  list?: { a: string; b: number }[];\n}");
    expect(Object.fromEntries(p!)).toEqual({
      'data-x': { optional: true },
      kind: { optional: false, values: ['a', 'b'] },
      on: { optional: true },
      list: { optional: true },
    });
    expect(props('interface Props extends HTMLAttributes<"div"> { a: string }')).toBeNull();
    expect(props('interface Props { [k: string]: unknown }')).toBeNull();
    expect(props('interface Props { f(): void }')).toBeNull();
    expect(props('const { a } = Astro.props;')).toBeNull();
    expect(props('const a = 1;')).toEqual(new Map());
  });
});

describe('cells in a lesson', () => {
  it('fails on a JavaScript syntax error at its line and column in the lesson', async () => {
    // The fence is on line 3; the error is on line 2, column 14 of the cell.
    const e = await failure(`# T\n\n${cell('demo', 'const a = 1;\nconst b = a +* 2;\nb')}`);
    expect(e.message).toBe(
      'content/lessons/x.mdx:5:14: cell "demo" has a syntax error: Unexpected token (line 2, column 14 of the cell). Readers would only see it when they press Run; fix the code.',
    );
  });

  it('adds the indentation of a fence nested in a list', async () => {
    const e = await failure(`- Run this:\n\n  ${fence('js cell id="nested"', 'let x = ;').replace(/\n(?=.)/g, '\n  ')}\n  ${fence('python keras', 'x = 1').replace(/\n(?=.)/g, '\n  ')}`);
    expect(e.message).toMatch(/^content\/lessons\/x\.mdx:4:11: cell "nested" has a syntax error: Unexpected token \(line 1, column 9 of the cell\)/);
  });

  it('parses cells exactly as the kernel does: TypeScript (also in a js fence) and top-level await run', async () => {
    const ok =
      cell('typed', 'const n: number = 2;\ninterface P { a: number }\nn') +
      '\n' +
      fence('ts cell id="ts"', 'const xs: number[] = [1];\nawait Promise.resolve(xs)') +
      '\n' +
      fence('python keras', 'xs = [1]') +
      '\n' +
      cell('object', '{ a: 1, b: 2 }');
    await expect(mdx(ok)).resolves.toContain('<Cell id="ts"');
    const e = await failure(cell('imp', "import * as tf from '@tensorflow/tfjs';\ntf"));
    expect(e.message).toMatch(/^content\/lessons\/x\.mdx:2:1: cell "imp" has a syntax error: Static import is not supported in a cell; use `await import\('…'\)`/);
  });

  it('fails on a cell without a Keras twin at its line, except in a draft', async () => {
    const src = `# T\n\n${fence('js cell id="lonely"', '1 + 1')}\nText.\n`;
    const e = await failure(src);
    expect(e.message).toBe(
      'content/lessons/x.mdx:3:1: cell "lonely" has no ```python keras twin, so the Jupyter notebook would skip a step. Add a ```python keras fence directly after the cell.',
    );
    await expect(mdx(src, { draft: true })).resolves.toContain('<Cell id="lonely"');
  });

  it('reports every problem of the lesson in one error, in order', async () => {
    const src =
      `<Aside typ="tip">Hi.</Aside>\n\n${fence('js cell', 'x')}\n${fence('js cell id="a"', 'let = 1')}\n${fence('python keras', 'a = 1')}\n` +
      `${fence('python keras', 'b = 2')}\n<Callout />\n`;
    const e = await failure(src);
    expect(e.message.split('\n').map((l) => l.replace(/^content\/lessons\/x\.mdx:(\d+:\d+): (.{0,30}).*$/, '$1 $2'))).toEqual([
      '1:8 Aside has no prop `typ`; did y',
      '3:1 this cell has no id. Write it ',
      '8:5 cell "a" has a syntax error: U',
      '15:1 a ```python keras fence must c',
      '19:1 there is no component `<Callou',
    ]);
  });
});

describe('maths in a lesson', () => {
  it('names the line and column of a formula KaTeX cannot render, display maths included', async () => {
    const e = await failure('## Maths\n\nText $b^$ here.\n\n$$\n\\alpha_t = \\frac{a}\n$$\n\n- item\n\n  $$\n  c^\n  $$\n\n$$\\alpha_t = \\frac{a}$$\n');
    const lines = e.message.split('\n');
    expect(lines.map((l) => l.split(': KaTeX')[0])).toEqual([
      'content/lessons/x.mdx:3:6',
      'content/lessons/x.mdx:5:1',
      'content/lessons/x.mdx:11:3',
      'content/lessons/x.mdx:15:1',
    ]);
    expect(lines[1]).toContain("KaTeX cannot render this formula: Unexpected end of input in a macro argument, expected '}'");
    expect([e.line, e.column]).toEqual([3, 6]);
  });
});

describe('the shipped lessons', () => {
  it.each(readdirSync(LESSONS).filter((f) => f.endsWith('.mdx')))('%s passes the checks of its body', async (name) => {
    // As Astro does, the frontmatter is blanked out so that lines keep their numbers.
    const text = readFileSync(join(LESSONS, name), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, (fm) => fm.replace(/[^\n]/g, ''));
    // (Its maths is rendered by the real build, in site-build-errors.test.ts and tests/e2e.)
    await expect(mdx(text, { path: join(LESSONS, name), maths: false })).resolves.toContain('MDXContent');
  });
});
