/**
 * The build's link check (src/site/link-check.ts) on small built sites written to a temporary
 * folder: the same function `astro:build:done` calls, on the output layout Astro writes
 * (`lessons/<slug>/index.html`), at the root and under a base path.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkLinks, pageUrl, readPage } from '../../src/site/link-check';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** Writes `files` (path -> text) as a project: `dist/…` the build, `content/lessons/…` the sources. */
function site(files: Record<string, string>): { out: string; root: string } {
  dir = mkdtempSync(join(tmpdir(), 'link-check-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { out: join(dir, 'dist'), root: dir };
}

const page = (body: string) => `<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`;

describe('readPage', () => {
  it('collects ids, <a name> and the links of a, area and img (not inside <template>)', () => {
    const p = readPage(
      page(
        '<h2 id="gates">Gates</h2><a name="old"></a><a href="/x/">x</a><img src="/i.png" alt="">' +
          '<map><area href="/y/" alt=""></map><template><a href="/z/">z</a></template><link href="/s.css">',
      ),
    );
    expect([...p.ids]).toEqual(['gates', 'old']);
    expect(p.links).toEqual(['/x/', '/i.png', '/y/']);
    expect(pageUrl('index.html')).toBe('/');
    expect(pageUrl('lessons/lstm/index.html')).toBe('/lessons/lstm/');
    expect(pageUrl('404.html')).toBe('/404.html');
  });
});

describe('checkLinks', () => {
  const lessonSources = {
    'content/lessons/lstm.mdx': '---\ntitle: LSTM\n---\n\n## The forward equations\n\nSee [the GRU](/lessons/gru/).\n',
    'content/lessons/Simple-RNN.mdx':
      '---\ntitle: RNN\n---\n\nNext: [the LSTM lesson](/lessons/lstn/) and its [equations](/lessons/lstm/#the-forward-equationz).\n\n' +
      'Back to [the top](#intro), or [nowhere](#nowhere).\n',
    'content/lessons/wip.mdx': '---\ntitle: WIP\ndraft: true\n---\n',
  };

  it('passes a site whose links all resolve (pages, files, anchors, relative links, external links)', () => {
    const { out, root } = site({
      ...lessonSources,
      'dist/index.html': page(
        '<a href="/lessons/lstm/">LSTM</a><a href="/lessons/lstm">no slash</a><a href="/lessons/lstm/#the-forward-equations">eq</a>' +
          '<a href="/lessons/lstm.ipynb">nb</a><a href="https://keras.io/">k</a><a href="mailto:a@b.c">m</a><a href="//cdn.x/y">c</a>' +
          '<a href="#">top</a><a href="#top">top</a><a href="">self</a><img src="/images/a%20b.png" alt="">',
      ),
      'dist/lessons/lstm/index.html': page('<h2 id="the-forward-equations">Eq</h2><a href="../../">home</a><a href="#the-forward-equations">here</a>'),
      'dist/lessons/lstm.ipynb': '{}',
      'dist/images/a b.png': 'png',
    });
    expect(checkLinks(out, { base: '/', root })).toEqual([]);
  });

  it('names the lesson file, the line and the page of each broken link, and why', () => {
    const { out, root } = site({
      ...lessonSources,
      'dist/index.html': page('<a href="/lessons/simple-rnn/">RNN</a><a href="/cheatsheet/#nope">cs</a>'),
      'dist/cheatsheet/index.html': page('<h2 id="lstm">LSTM</h2>'),
      'dist/lessons/lstm/index.html': page('<h2 id="the-forward-equations">Eq</h2>'),
      'dist/lessons/simple-rnn/index.html': page(
        '<h2 id="intro">Intro</h2><a href="/lessons/lstn/">the LSTM lesson</a><a href="/lessons/lstm/#the-forward-equationz">equations</a>' +
          '<a href="#intro">top</a><a href="#nowhere">nowhere</a><a href="/lessons/lstn/">again</a>' +
          '<a href="/lessons/wip/">draft</a><img src="/images/missing.png" alt="">',
      ),
    });
    expect(checkLinks(out, { base: '/', root }).map((p) => p.message)).toEqual([
      'page / links to /cheatsheet/#nope: no heading or element with id "nope" on /cheatsheet/',
      'content/lessons/Simple-RNN.mdx:5 (page /lessons/simple-rnn/) links to /lessons/lstn/: no such page',
      'content/lessons/Simple-RNN.mdx:5 (page /lessons/simple-rnn/) links to /lessons/lstm/#the-forward-equationz: ' +
        'no heading or element with id "the-forward-equationz" on /lessons/lstm/ (did you mean #the-forward-equations?)',
      'content/lessons/Simple-RNN.mdx:7 (page /lessons/simple-rnn/) links to #nowhere: no heading or element with id "nowhere" on this page',
      'content/lessons/Simple-RNN.mdx (page /lessons/simple-rnn/) links to /lessons/wip/: ' +
        'no such page (content/lessons/wip.mdx exists: is it a draft? drafts are not published)',
      'content/lessons/Simple-RNN.mdx (page /lessons/simple-rnn/) links to /images/missing.png: no such file',
    ]);
    expect(checkLinks(out, { base: '/', root })[1]!.loc).toEqual({ file: 'content/lessons/Simple-RNN.mdx', line: 5 });
  });

  it('respects the base path: links carry it, and a link without it leaves the site', () => {
    const { out, root } = site({
      ...lessonSources,
      'dist/index.html': page('<a href="/course/lessons/lstm/#the-forward-equations">ok</a><a href="/course">home</a>'),
      'dist/lessons/lstm/index.html': page(
        '<h2 id="the-forward-equations">Eq</h2><a href="/course/lessons/gru/">GRU</a><a href="/lessons/lstm/">no base</a><a href="/course/">home</a>',
      ),
    });
    expect(checkLinks(out, { base: '/course/', root }).map((p) => p.message)).toEqual([
      'content/lessons/lstm.mdx:7 (page /lessons/lstm/) links to /lessons/gru/: no such page',
      'content/lessons/lstm.mdx (page /lessons/lstm/) links to /lessons/lstm/: outside the site, which lives under /course/ ' +
        '(write site links as /lessons/…; the build adds the base path)',
    ]);
  });
});
