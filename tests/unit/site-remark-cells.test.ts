/**
 * The cell-fence remark plugin, run through the real MDX compiler: fences become <Cell> with
 * the right props and children, and authoring mistakes fail with `file:line:col: problem`.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '@mdx-js/mdx';
import { createHash } from 'node:crypto';
import remarkCells from '../../src/markdown/remark-cells';
import { parseFenceMeta } from '../../src/markdown/cell-fence';

const FILE = `${process.cwd()}/content/lessons/demo.mdx`;

async function mdx(source: string): Promise<string> {
  const out = await compile({ value: source, path: FILE }, { remarkPlugins: [remarkCells], jsx: true });
  return String(out);
}

const fence = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n';

describe('remark-cells', () => {
  it('turns a js cell and the keras fence after it into one <Cell>', async () => {
    const src = `# T\n\n${fence('js cell id="lstm-build"', 'const m = tf.sequential();\nm')}\n${fence('python keras', 'model = Sequential()')}`;
    const out = await mdx(src);
    const hash = createHash('sha256').update('const m = tf.sequential();\nm').digest('hex').slice(0, 8);
    expect(out).toContain('<Cell id="lstm-build" lang="js"');
    expect(out).toContain(`sourceHash="${hash}"`);
    expect(out).toContain('source="const m = tf.sequential();\nm"');
    // Both code blocks stay inside the cell, as <pre><code> for Shiki to highlight.
    const cell = out.slice(out.indexOf('<Cell'), out.indexOf('</Cell>'));
    expect(cell).toContain('language-js');
    expect(cell).toContain('language-python');
    expect(out.match(/<Cell /g)).toHaveLength(1);
  });

  it('accepts ts cells and cells without a Keras tab, and leaves ordinary fences alone', async () => {
    const out = await mdx(`${fence("ts cell id='typed'", 'const x: number = 1;')}\n${fence('js', 'plain()')}`);
    expect(out).toContain('<Cell id="typed" lang="ts"');
    expect(out.slice(out.indexOf('</Cell>'))).toContain('language-js');
  });

  it('finds cells nested inside JSX such as <Aside>', async () => {
    const out = await mdx(`<Aside>\n\n${fence('js cell id="inner"', '1 + 1')}\n</Aside>\n`);
    expect(out).toContain('<Cell id="inner"');
  });

  it('fails on a cell without id, naming the file and line', async () => {
    await expect(mdx(`# T\n\ntext\n\n${fence('js cell', 'x')}`)).rejects.toThrow(
      /content\/lessons\/demo\.mdx:5:1: this cell has no id/,
    );
  });

  it('fails on a duplicate id, naming both lines', async () => {
    const src = `${fence('js cell id="a"', 'x')}\n${fence('js cell id="a"', 'y')}`;
    await expect(mdx(src)).rejects.toThrow(/demo\.mdx:5:1: duplicate cell id "a" \(already used on line 1\)/);
  });

  it('fails on a keras fence that follows no cell, and on cells in other languages', async () => {
    await expect(mdx(`text\n\n${fence('python keras', 'x = 1')}`)).rejects.toThrow(
      /demo\.mdx:3:1: a ```python keras fence must come directly after a ```js cell fence/,
    );
    await expect(mdx(fence('python cell id="p"', 'x = 1'))).rejects.toThrow(/must be `js cell` or `ts cell`/);
    await expect(mdx(fence('js cell id="1bad"', 'x'))).rejects.toThrow(/cell id "1bad" must start with a letter/);
  });
});

describe('parseFenceMeta', () => {
  it('reads flags and quoted or bare attributes', () => {
    const { flags, attrs } = parseFenceMeta(`cell id="a b" title='t' n=3 keras`);
    expect([...flags]).toEqual(['cell', 'keras']);
    expect(Object.fromEntries(attrs)).toEqual({ id: 'a b', title: 't', n: '3' });
  });
});
