/**
 * The lessons collection's loader (src/site/lesson-loader.ts) run the way `astro build` runs it,
 * without a build: Astro's own glob loader inside it, the MDX integration's own entry type
 * (frontmatter parsing, js-yaml errors) and Astro's own `parseData` (getEntryDataAndImages, which
 * checks the collection schema with Astro's zod error map, the one that used to replace our
 * messages with "Expected type `number`"). Only the data store is a Map. Each mistake must fail
 * with our message: file, line where there is one, and what to do.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ContentEntryType } from 'astro';
import mdx from '@astrojs/mdx';
import { lessonsLoader } from '../../src/site/lesson-loader';
import { lessonSchema } from '../../src/site/lesson-schema';

const ROOT = resolve(__dirname, '../..');

type AstroParseData = (
  entry: { id: string; collection: string; unvalidatedData: unknown; _internal: { rawData: undefined; filePath: string } },
  collection: { type: string; schema: unknown },
  shouldEmitFile: boolean,
  svg: boolean,
) => Promise<{ data: Record<string, unknown> }>;

let getEntryDataAndImages: AstroParseData;
let mdxEntryType: ContentEntryType;
let dir = '';

beforeAll(async () => {
  // Not in astro's package exports: loaded by path (the function content-layer.js calls).
  ({ getEntryDataAndImages } = await import(pathToFileURL(join(ROOT, 'node_modules/astro/dist/content/utils.js')).href));
  const setup = mdx().hooks['astro:config:setup'] as unknown as (params: Record<string, unknown>) => Promise<void>;
  await setup({
    config: {},
    updateConfig() {},
    addPageExtension() {},
    addRenderer() {},
    addContentEntryType(t: ContentEntryType) {
      mdxEntryType = t;
    },
  });
});

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

interface StoredEntry {
  id: string;
  data: Record<string, unknown>;
  filePath?: string;
  digest?: string;
}

/** Loads `lessons` (file name -> text) with the real loader; returns the stored entries. */
async function load(lessons: Record<string, string>): Promise<StoredEntry[]> {
  dir = mkdtempSync(join(tmpdir(), 'lesson-loader-'));
  mkdirSync(join(dir, 'content/lessons'), { recursive: true });
  for (const [name, text] of Object.entries(lessons)) writeFileSync(join(dir, 'content/lessons', name), text);
  const entries = new Map<string, StoredEntry>();
  const store = {
    get: (id: string) => entries.get(id),
    set: (e: StoredEntry) => (entries.set(e.id, e), true),
    has: (id: string) => entries.has(id),
    delete: (id: string) => void entries.delete(id),
    clear: () => entries.clear(),
    keys: () => [...entries.keys()],
    values: () => [...entries.values()],
    entries: () => [...entries.entries()],
    addModuleImport() {},
    addAssetImports() {},
  };
  const noop = () => {};
  const context = {
    collection: 'lessons',
    store,
    meta: new Map(),
    logger: { info: noop, warn: noop, error: noop, debug: noop, label: 'test', options: {} },
    config: { root: pathToFileURL(`${dir}/`), srcDir: pathToFileURL(`${dir}/src/`), legacy: { collections: false } },
    // As content-layer.js builds it for a collection with a schema.
    parseData: async ({ id, data, filePath = '' }: { id: string; data: unknown; filePath?: string }) =>
      (
        await getEntryDataAndImages(
          { id, collection: 'lessons', unvalidatedData: data, _internal: { rawData: undefined, filePath } },
          { type: 'content_layer', schema: lessonSchema },
          false,
          false,
        )
      ).data,
    generateDigest: (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16),
    entryTypes: new Map([['.mdx', mdxEntryType]]),
    watcher: undefined,
  };
  await lessonsLoader().load(context as never);
  return [...entries.values()];
}

const lesson = (front: string) => `---\n${front}\n---\n\n# Heading\n\nText.\n`;
const GOOD = 'title: Good lesson\ndescription: A lesson that builds.\norder: 1';

async function failure(lessons: Record<string, string>): Promise<Error & { loc?: unknown; hint?: string }> {
  try {
    await load(lessons);
  } catch (e) {
    return e as Error;
  }
  throw new Error('the loader accepted the lessons');
}

describe('lessons loader (as the build runs it)', () => {
  it('loads good lessons under their slugs, with defaults', async () => {
    const entries = await load({ 'good.mdx': lesson(GOOD), 'Second-Lesson.mdx': lesson('title: B\ndescription: D.\norder: 2') });
    expect(entries.map((e) => [e.id, e.filePath, e.data.order, e.data.tags]).sort()).toEqual([
      ['good', 'content/lessons/good.mdx', 1, []],
      ['second-lesson', 'content/lessons/Second-Lesson.mdx', 2, []],
    ]);
  });

  it('reports frontmatter mistakes with our messages, the file and the line, not zod\'s', async () => {
    const e = await failure({ 'good.mdx': lesson(GOOD), 'broken.mdx': lesson('title: Broken\norder: "two"') });
    expect(e.message).toBe(
      'content/lessons/broken.mdx: description is required (one sentence shown on the home page and in search)\n' +
        'content/lessons/broken.mdx:3:1: order must be a whole number such as 3, without quotes',
    );
    expect(e.message).not.toMatch(/Expected type|Required/);
    expect(e.loc).toEqual({ file: 'content/lessons/broken.mdx', line: 3, column: 1 });
    expect(e.hint).toMatch(/between the two --- lines/);
  });

  it('names the field on a wrong value that is not a type error', async () => {
    const e = await failure({ 'x.mdx': lesson('title: X\ndescription: D.\norder: 2.5\ntags: [lstm, 3]') });
    expect(e.message).toBe(
      'content/lessons/x.mdx:4:1: order must be a whole number such as 3\n' +
        'content/lessons/x.mdx:5:1: tags.1: each tag must be a word, e.g. [lstm, gates]',
    );
  });

  it('says "put the value in quotes" on malformed YAML, with file, line and the fixed line', async () => {
    const e = await failure({ 'att.mdx': lesson('title: Attention: over RNN states\ndescription: D.\norder: 1') });
    expect(e.message).toBe(
      'content/lessons/att.mdx:2:17: the frontmatter is not valid YAML (bad indentation of a mapping entry); ' +
        'put the value in quotes: title: "Attention: over RNN states"',
    );
    expect(e.loc).toEqual({ file: 'content/lessons/att.mdx', line: 2, column: 17 });
  });

  it('stops on two files with the same slug, naming both (Astro alone keeps one silently)', async () => {
    const e = await failure({
      'Attention-Basics.mdx': lesson('title: A\ndescription: D.\norder: 1'),
      'attention-basics.mdx': lesson('title: B\ndescription: D.\norder: 2'),
    });
    expect(e.message).toMatch(
      /^Two lessons have the same address \/lessons\/attention-basics\/: content\/lessons\/(attention-basics\.mdx and content\/lessons\/Attention-Basics\.mdx|Attention-Basics\.mdx and content\/lessons\/attention-basics\.mdx)\. /,
    );
    expect(e.message).toContain('rename or remove one of them');
  });

  it('stops on two lessons with the same order, pointing at the second one\'s order line', async () => {
    const e = await failure({ 'a.mdx': lesson(GOOD), 'b.mdx': lesson('title: B\ndescription: Also first.\norder: 1') });
    expect(e.message).toContain('Two lessons share order 1: content/lessons/a.mdx and content/lessons/b.mdx.');
    expect(e.loc).toEqual({ file: 'content/lessons/b.mdx', line: 4, column: 1 });
  });
});
