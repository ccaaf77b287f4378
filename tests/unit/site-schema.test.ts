/**
 * Lesson frontmatter schema, the unique-order check and the small build-time helpers
 * (ToC, base URLs). Pure functions, no Astro needed.
 */
import { describe, expect, it } from 'vitest';
import { checkLessonData, frontmatterLine, quotedLine, lessonSchema } from '../../src/site/lesson-schema';
import { checkUniqueOrder, checkUniqueSlugs, lessonSlug } from '../../src/site/order';
import { buildToc } from '../../src/site/toc';
import { withBase, lessonUrl } from '../../src/site/url';
import { prefixBase } from '../../src/markdown/remark-base-links';

function problems(data: unknown): string[] {
  const r = lessonSchema.safeParse(data);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('lesson schema', () => {
  it('accepts a good lesson and fills defaults', () => {
    const r = lessonSchema.parse({ title: 'LSTM', description: 'Gates.', order: 2 });
    expect(r).toEqual({ title: 'LSTM', description: 'Gates.', order: 2, tags: [], draft: false });
  });

  it('names the field and says what is wrong', () => {
    expect(problems({ title: 'T', description: 'D', order: '2' })).toEqual([
      'order: order must be a whole number such as 3, without quotes',
    ]);
    expect(problems({ title: 'T', description: 'D', order: 2.5 })).toEqual(['order: order must be a whole number such as 3']);
    expect(problems({ title: 'T', order: 1 })[0]).toMatch(/^description: description is required/);
    expect(problems({ title: '  ', description: 'D', order: 1 })).toEqual(['title: title must not be empty']);
    expect(problems({ title: 'T', description: 'D', order: 1, tags: 'lstm' })).toEqual([
      'tags: tags must be a list, e.g. [lstm, gates]',
    ]);
  });
});

describe('checkLessonData (what the build runs; site-lesson-loader.test.ts runs it inside Astro\'s loader)', () => {
  const source = '---\ntitle: T\norder: "2"\ntags: lstm\n---\n\n# T\n';
  it('names the file, the line of each written field, and says what to do', () => {
    expect(() => checkLessonData({ title: 'T', order: '2', tags: 'lstm' }, 'content/lessons/t.mdx', source)).toThrow(
      'content/lessons/t.mdx: description is required (one sentence shown on the home page and in search)\n' +
        'content/lessons/t.mdx:3:1: order must be a whole number such as 3, without quotes\n' +
        'content/lessons/t.mdx:4:1: tags must be a list, e.g. [lstm, gates]',
    );
    expect(checkLessonData({ title: 'T', description: 'D', order: 2 }, 'x.mdx')).toEqual({
      title: 'T',
      description: 'D',
      order: 2,
      tags: [],
      draft: false,
    });
  });

  it('refuses a field it does not know, so a misspelt `draft` cannot publish a draft', () => {
    const src = '---\ntitle: T\ndescription: D\norder: 2\ndraf: true\nauthor: me\n---\n';
    expect(() => checkLessonData({ title: 'T', description: 'D', order: 2, draf: true, author: 'me' }, 'content/lessons/t.mdx', src)).toThrow(
      'content/lessons/t.mdx:5:1: unknown frontmatter field "draf" (did you mean "draft"?); the fields are title, description, order, tags, draft, slug\n' +
        'content/lessons/t.mdx:6:1: unknown frontmatter field "author"; the fields are title, description, order, tags, draft, slug',
    );
    expect(checkLessonData({ title: 'T', description: 'D', order: 2, slug: 'gru-gates' }, 'x.mdx').slug).toBe('gru-gates');
  });

  it('finds a field only in the frontmatter, and quotes a YAML value', () => {
    expect(frontmatterLine(source, 'order')).toBe(3);
    expect(frontmatterLine(source, 'description')).toBeUndefined();
    expect(frontmatterLine('# no frontmatter\norder: 1\n', 'order')).toBeUndefined();
    expect(quotedLine('title: Attention: over RNN states')).toBe('title: "Attention: over RNN states"');
    expect(quotedLine('title: The "gate" #1')).toBe(`title: 'The "gate" #1'`);
    expect(quotedLine('title: "Already: quoted"')).toBeUndefined();
    expect(quotedLine('  - item')).toBeUndefined();
  });
});

describe('checkUniqueSlugs', () => {
  it('gives Astro\'s slugs and names both files when two collide', () => {
    expect(lessonSlug('Attention-Basics.mdx')).toBe('attention-basics');
    expect(lessonSlug('attention basics.mdx')).toBe('attention-basics');
    expect(lessonSlug('part-2/Intro.mdx')).toBe('part-2/intro');
    expect(lessonSlug('part-2/index.mdx')).toBe('part-2');
    expect(() =>
      checkUniqueSlugs([
        { file: 'content/lessons/lstm.mdx', slug: 'lstm' },
        { file: 'content/lessons/gru.mdx', slug: 'gru' },
      ]),
    ).not.toThrow();
    expect(() =>
      checkUniqueSlugs([
        { file: 'content/lessons/b.mdx', slug: 'b' },
        { file: 'content/lessons/attention-basics.mdx', slug: 'attention-basics' },
        { file: 'content/lessons/Attention-Basics.mdx', slug: 'attention-basics' },
      ]),
    ).toThrow(/^Two lessons have the same address \/lessons\/attention-basics\/: content\/lessons\/\S+\.mdx and content\/lessons\/\S+\.mdx\. /);
  });
});

describe('checkUniqueOrder', () => {
  it('passes distinct orders and names both files on a clash', () => {
    expect(() => checkUniqueOrder([{ file: 'a.mdx', order: 1 }, { file: 'b.mdx', order: 2 }])).not.toThrow();
    expect(() =>
      checkUniqueOrder([
        { file: 'content/lessons/a.mdx', order: 1 },
        { file: 'content/lessons/b.mdx', order: 3 },
        { file: 'content/lessons/c.mdx', order: 3 },
      ]),
    ).toThrow('Two lessons share order 3: content/lessons/b.mdx and content/lessons/c.mdx.');
  });
});

describe('buildToc', () => {
  it('keeps h2/h3 and nests h3 under the h2 before it', () => {
    const toc = buildToc([
      { depth: 1, slug: 'title', text: 'Title' },
      { depth: 3, slug: 'orphan', text: 'Orphan' },
      { depth: 2, slug: 'a', text: 'A' },
      { depth: 3, slug: 'a1', text: 'A1' },
      { depth: 4, slug: 'deep', text: 'Deep' },
      { depth: 2, slug: 'b', text: 'B' },
    ]);
    expect(toc.map((t) => [t.slug, t.children.map((c) => c.slug)])).toEqual([
      ['orphan', []],
      ['a', ['a1']],
      ['b', []],
    ]);
  });
});

describe('base URLs', () => {
  it('joins paths to a base with or without a trailing slash', () => {
    expect(withBase('', '/')).toBe('/');
    expect(withBase('search/', '/rnn-notebook/')).toBe('/rnn-notebook/search/');
    expect(withBase('/pagefind/', '/course')).toBe('/course/pagefind/');
    expect(lessonUrl('lstm', '/rnn-notebook/')).toBe('/rnn-notebook/lessons/lstm/');
  });

  it('prefixes site-absolute Markdown links only', () => {
    expect(prefixBase('/lessons/gru/', '/rnn-notebook/')).toBe('/rnn-notebook/lessons/gru/');
    expect(prefixBase('/rnn-notebook/lessons/gru/', '/rnn-notebook/')).toBe('/rnn-notebook/lessons/gru/');
    expect(prefixBase('../gru/', '/rnn-notebook/')).toBe('../gru/');
    expect(prefixBase('#gates', '/rnn-notebook/')).toBe('#gates');
    expect(prefixBase('//cdn.example/x', '/rnn-notebook/')).toBe('//cdn.example/x');
    expect(prefixBase('https://keras.io/', '/rnn-notebook/')).toBe('https://keras.io/');
    expect(prefixBase('/lessons/gru/', '/')).toBe('/lessons/gru/');
  });
});
