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
  // rnn/data: the build writes the data-availability marker with the loader's format constants.
  for (const part of ['pages', 'layouts', 'markdown', 'site', 'styles', 'content.config.ts', 'rnn/data']) {
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

  it('fails on malformed frontmatter, naming the file and the field', () => {
    setLessons({ 'good.mdx': lesson(GOOD), 'broken.mdx': lesson('title: Broken\norder: "two"') });
    const r = build();
    expect(r.ok).toBe(false);
    expect(r.output).toContain('lessons → broken');
    expect(r.output).toContain('content/lessons/broken.mdx');
    expect(r.output).toMatch(/\border\b.*number/);
    expect(r.output).toMatch(/description.*Required/);
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
    expect(r.output).toMatch(/content\/lessons\/badmath\.mdx:\d+:\d+: KaTeX cannot render this formula: .*\\odott/);
  });
});
