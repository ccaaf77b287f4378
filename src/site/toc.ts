/**
 * Builds the per-lesson table of contents from the headings Astro collects while rendering
 * MDX (`render(entry).headings`). Only levels 2 and 3 are listed by default; a level-3 heading
 * nests under the level-2 heading before it (or stands alone if there is none).
 */

export interface Heading {
  depth: number;
  slug: string;
  text: string;
}

export interface TocItem extends Heading {
  children: TocItem[];
}

export function buildToc(headings: readonly Heading[], minDepth = 2, maxDepth = 3): TocItem[] {
  const items: TocItem[] = [];
  for (const h of headings) {
    if (h.depth < minDepth || h.depth > maxDepth) continue;
    const item: TocItem = { depth: h.depth, slug: h.slug, text: h.text, children: [] };
    const parent = items.at(-1);
    if (h.depth > minDepth && parent && parent.depth < h.depth) parent.children.push(item);
    else items.push(item);
  }
  return items;
}
