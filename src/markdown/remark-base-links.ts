/**
 * Lets authors write site-absolute links (`[the LSTM lesson](/lessons/lstm/)`) and still deploy
 * under a sub-path: every Markdown link or image whose URL starts with a single `/` gets the
 * configured base prepended (`/rnn-notebook/lessons/lstm/`). Relative links, `#fragments`,
 * `//host` and `https:` URLs are left alone.
 */
import type { Root, RootContent, Parent } from 'mdast';
import { withTrailingSlash } from '../site/url';

export interface BaseLinkOptions {
  base: string;
}

export function prefixBase(url: string, base: string): string {
  if (!url.startsWith('/') || url.startsWith('//')) return url;
  const root = withTrailingSlash(base);
  if (root !== '/' && (url === root.slice(0, -1) || url.startsWith(root))) return url;
  return root + url.slice(1);
}

export default function remarkBaseLinks(options: BaseLinkOptions) {
  const base = options?.base ?? '/';
  const walk = (node: Parent): void => {
    for (const child of node.children as RootContent[]) {
      if (child.type === 'link' || child.type === 'image' || child.type === 'definition') {
        child.url = prefixBase(child.url, base);
      }
      if ('children' in child && Array.isArray(child.children)) walk(child as Parent);
    }
  };
  return (tree: Root) => walk(tree);
}
