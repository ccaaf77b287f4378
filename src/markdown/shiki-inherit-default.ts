/**
 * A Shiki transformer: a token whose colours are the listing's default colours loses its
 * `style` and inherits them from the `<pre>` instead.
 *
 * With two themes Shiki writes both colours on every token
 * (`style="--shiki-light:#1F2328;--shiki-dark:#E6EDF3"`), the default foreground included,
 * though the `<pre>` already carries that pair and custom properties inherit. On the LSTM lesson
 * 850 of its 2,000 code tokens are plain identifiers and punctuation in the default colour: 38 KB
 * of HTML to download and parse, and 850 inline style blocks to parse, for nothing. Tokens
 * with any other colour, or with a font style, keep their style unchanged.
 */
import type { AstroUserConfig } from 'astro';

/** Shiki's transformer type, as Astro's `markdown.shikiConfig` takes it. */
type ShikiTransformer = NonNullable<NonNullable<NonNullable<AstroUserConfig['markdown']>['shikiConfig']>['transformers']>[number];

/** The colour pair of a style string (`--shiki-light` and `--shiki-dark`), lower-cased. */
function colours(style: string): { light?: string; dark?: string; only: boolean } {
  const decls = style
    .split(';')
    .map((d) => d.trim())
    .filter(Boolean)
    .map((d) => d.split(':').map((s) => s.trim().toLowerCase()) as [string, string]);
  const get = (name: string) => decls.find(([k]) => k === name)?.[1];
  return {
    light: get('--shiki-light'),
    dark: get('--shiki-dark'),
    only: decls.every(([k]) => k === '--shiki-light' || k === '--shiki-dark'),
  };
}

/** The transformer (see the file's header). */
export function shikiInheritDefault(): ShikiTransformer {
  return {
    name: 'rnn-notebook:inherit-default-colour',
    pre(pre) {
      const own = colours(String(pre.properties.style ?? ''));
      if (!own.light || !own.dark) return;
      const visit = (node: (typeof pre.children)[number]) => {
        if (node.type !== 'element') return;
        if (node.tagName === 'span' && typeof node.properties.style === 'string') {
          const c = colours(node.properties.style);
          if (c.only && c.light === own.light && c.dark === own.dark) delete node.properties.style;
        }
        node.children.forEach(visit);
      };
      pre.children.forEach(visit);
    },
  };
}
