/**
 * Real `astro build` runs of a temporary copy of the site shell (pages, layouts, components,
 * markdown plugins, styles; a stub notebook script) with fixture lessons: a good lesson builds
 * and renders the cell DOM contract; each authoring mistake fails the build with a message that
 * names the file and what is wrong. Each build takes a few seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
let dir = '';

function setLessons(lessons: Record<string, string>): void {
  const lessonsDir = join(dir, 'content/lessons');
  rmSync(lessonsDir, { recursive: true, force: true });
  mkdirSync(lessonsDir, { recursive: true });
  for (const [name, text] of Object.entries(lessons)) writeFileSync(join(lessonsDir, name), text);
}

/** The environment for a child build, without what Vitest sets for its own Vite (BASE_URL=/, DEV…). */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(BASE_URL|DEV|PROD|SSR|MODE|NODE_ENV|VITEST.*)$/.test(k)) delete env[k];
  }
  return { ...env, BASE_PATH: '/course/', NO_COLOR: '1', FORCE_COLOR: '0' };
}

function build(): { ok: boolean; output: string } {
  const r = spawnSync(join(ROOT, 'node_modules/.bin/astro'), ['build', '--outDir', join(dir, 'dist')], {
    cwd: dir,
    env: childEnv(),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { ok: r.status === 0, output: `${r.stdout}\n${r.stderr}` };
}

const lesson = (front: string, body = '# Heading\n\nText.\n') => `---\n${front}\n---\n\n${body}`;
const GOOD = 'title: Good lesson\ndescription: A lesson that builds.\norder: 1';
const fence = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'site-fixture-'));
  // rnn/data: the build writes the data-availability marker with the loader's format constants;
  // cells: the markdown plugins parse each cell with the notebook's parser.
  for (const part of ['pages', 'layouts', 'markdown', 'site', 'styles', 'cells', 'content.config.ts', 'rnn/data']) {
    cpSync(join(ROOT, 'src', part), join(dir, 'src', part), { recursive: true });
  }
  cpSync(join(ROOT, 'src/components'), join(dir, 'src/components'), {
    recursive: true,
    filter: (p) => !p.includes('/diagrams'),
  });
  mkdirSync(join(dir, 'src/ui'), { recursive: true });
  // The page scripts the layouts load are stubbed: this test is about the build, not the notebook.
  for (const stub of ['notebook.ts', 'offline.ts']) writeFileSync(join(dir, 'src/ui', stub), 'export {};\n');
  // The real config, with a private cache dir: the default (node_modules/.astro) is shared
  // through the node_modules symlink with the real project.
  cpSync(join(ROOT, 'astro.config.mjs'), join(dir, 'site.config.mjs'));
  writeFileSync(
    join(dir, 'astro.config.mjs'),
    "import config from './site.config.mjs';\nexport default { ...config, cacheDir: './.astro-cache' };\n",
  );
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('astro build of fixture lessons', () => {
  it('builds a good lesson with a cell into the DOM contract, under the base path', () => {
    const body =
      '## Gates\n\nThe forget gate $f_t = \\sigma(x_t W_f)$.\n\n' +
      fence('js cell id="demo"', 'const a = tf.tensor([1, 2]);\na') +
      '\n' +
      fence('python keras', 'a = tf.constant([1, 2])') +
      '\n<Aside type="tip">Use it.</Aside>\n\n[Home](/)\n';
    setLessons({
      'good.mdx': lesson(GOOD, body),
      'wip.mdx': lesson('title: Work in progress\ndescription: Not ready.\norder: 2\ndraft: true'),
    });
    const r = build();
    expect(r.output).not.toMatch(/error/i);
    expect(r.ok).toBe(true);
    // Drafts are not published.
    expect(existsSync(join(dir, 'dist/lessons/wip'))).toBe(false);
    expect(readFileSync(join(dir, 'dist/index.html'), 'utf8')).not.toContain('Work in progress');
    const html = readFileSync(join(dir, 'dist/lessons/good/index.html'), 'utf8');
    expect(html).toMatch(/<rnn-cell data-cell-id="demo" data-source="const a = tf.tensor\(\[1, 2\]\);\na" data-source-hash="[0-9a-f]{8}"/);
    expect(html).toMatch(/<span class="cell-prompt"[^>]*>In \[ \]:<\/span>/);
    expect(html).toMatch(/<div class="cell-tabs" role="tablist"/);
    expect(html).toMatch(/<div class="cell-code" role="tabpanel"[^>]*data-lang="js"[^>]*><pre class="astro-code/);
    expect(html).toMatch(/<div class="cell-keras" role="tabpanel"[^>]*data-lang="python" hidden[^>]*><pre class="astro-code/);
    expect(html).toMatch(/<div class="cell-output" aria-live="polite"/);
    expect(html).toContain('<div class="cell-actions"></div>');
    expect(html).toMatch(/<div id="notebook-bar" class="notebook-bar[^"]*"/);
    expect(html).toContain('class="katex"');
    expect(html).toContain('class="aside aside-tip"');
    expect(html).toContain('href="/course/"');
    expect(html.match(/href="\/(?!course\/)[^"]*"/g)).toBeNull();
    expect(html).not.toMatch(/src="\/(?!course\/)/);
  });

  it('fails on malformed frontmatter with our messages, naming the file, the line and the field', () => {
    setLessons({ 'good.mdx': lesson(GOOD), 'broken.mdx': lesson('title: Broken\norder: "two"') });
    const r = build();
    expect(r.ok).toBe(false);
    expect(r.output).toContain('content/lessons/broken.mdx: description is required (one sentence shown on the home page and in search)');
    expect(r.output).toContain('content/lessons/broken.mdx:3:1: order must be a whole number such as 3, without quotes');
    expect(r.output).not.toMatch(/Expected type|description: Required/);
  });

  it('fails on a link to a missing lesson or heading, naming the lesson file and line (under the base path)', () => {
    setLessons({
      'good.mdx': lesson(GOOD, '## Gates\n\nSee [the LSTM lesson](/lessons/lstn/) and [the gates](/lessons/good/#gatez).\n'),
    });
    const r = build();
    expect(r.ok).toBe(false);
    expect(r.output).toContain('content/lessons/good.mdx:9 (page /lessons/good/) links to /lessons/lstn/: no such page');
    expect(r.output).toContain(
      'content/lessons/good.mdx:9 (page /lessons/good/) links to /lessons/good/#gatez: no heading or element with id "gatez" on this page (did you mean #gates?)',
    );
  });

  it('fails when two lessons share an order, naming both files', () => {
    setLessons({ 'a.mdx': lesson(GOOD), 'b.mdx': lesson('title: B\ndescription: Also first.\norder: 1') });
    const r = build();
    expect(r.ok).toBe(false);
    expect(r.output).toContain('Two lessons share order 1: content/lessons/a.mdx and content/lessons/b.mdx');
  });

  it('fails on a cell without id, naming file and line', () => {
    setLessons({ 'nocell.mdx': lesson(GOOD, `# T\n\n${fence('js cell', 'x')}`) });
    const r = build();
    expect(r.ok).toBe(false);
    expect(r.output).toContain('content/lessons/nocell.mdx:9:1: this cell has no id');
  });

  it('fails on maths KaTeX cannot parse, naming file, line and the TeX problem', () => {
    setLessons({ 'badmath.mdx': lesson(GOOD, '## Maths\n\nText.\n\n$$\nc_t = f_t \\odott c_{t-1}\n$$\n') });
    const r = build();
    expect(r.ok).toBe(false);
    // The `$$` of the formula is on line 11 (5 lines of frontmatter, a blank line, then the body).
    expect(r.output).toMatch(/content\/lessons\/badmath\.mdx:11:1: KaTeX cannot render this formula: .*\\odott/);
    // Astro's own "Location:" points at the formula too.
    expect(r.output).toMatch(/Location:\s+\S*content\/lessons\/badmath\.mdx:11:1/);
    expect(r.output).not.toMatch(/badmath\.mdx:(0:0|undefined)/);
  });

  it('fails on unknown components, props and values, and on cells that do not parse or have no Keras twin, listing each at its line', () => {
    const body =
      '## Mistakes\n\n<Aside typ="tip" titel="Rule of thumb">\nStart with a GRU.\n</Aside>\n\n' +
      '<Figure captoin="Accuracy.">\n  ![A chart](/a.png)\n</Figure>\n\n<Callout>Careful.</Callout>\n\n<Aside type="info">Hi.</Aside>\n\n' +
      fence('js cell id="demo"', 'const a = 1;\nconst b = a +* 2;\nb') +
      '\n' +
      fence('python keras', 'b = 3') +
      '\n' +
      fence('js cell id="lonely"', '1 + 1');
    setLessons({ 'mistakes.mdx': lesson(GOOD, body) });
    const r = build();
    expect(r.ok).toBe(false);
    const at = (pos: string) => `content/lessons/mistakes.mdx:${pos}: `;
    expect(r.output).toContain(`${at('9:8')}Aside has no prop \`typ\`; did you mean \`type\`? Aside takes type, title.`);
    expect(r.output).toContain(`${at('9:18')}Aside has no prop \`titel\`; did you mean \`title\`? Aside takes type, title.`);
    expect(r.output).toContain(`${at('13:9')}Figure has no prop \`captoin\`; did you mean \`caption\`? Figure takes caption, id.`);
    expect(r.output).toContain(`${at('17:1')}there is no component \`<Callout>\`.`);
    expect(r.output).toContain(`${at('19:8')}Aside's type must be one of note, tip, warning, not "info".`);
    // The fence is on line 21; the error on line 2, column 14 of the cell.
    expect(r.output).toContain(`${at('23:14')}cell "demo" has a syntax error: Unexpected token (line 2, column 14 of the cell).`);
    expect(r.output).toContain(`${at('31:1')}cell "lonely" has no \`\`\`python keras twin`);
    expect(r.output).toMatch(/Location:\s+\S*content\/lessons\/mistakes\.mdx:9:8/);
    expect(r.output).not.toContain('Expected component');
  });
});
