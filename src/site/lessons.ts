/**
 * The ordered list of lessons, shared by every page. Fails the build, naming both files, when
 * two lessons share an `order`; hides drafts from production builds.
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import { checkUniqueOrder } from './order';

export type Lesson = CollectionEntry<'lessons'>;

export async function getLessons(): Promise<Lesson[]> {
  const all = await getCollection('lessons');
  checkUniqueOrder(all.map((l) => ({ file: l.filePath ?? l.id, order: l.data.order })));
  const visible = all.filter((l) => !(import.meta.env.PROD && l.data.draft));
  return visible.sort((a, b) => a.data.order - b.data.order);
}

/** The lessons before and after `slug` in the course order (undefined at either end). */
export function neighbours(lessons: readonly Lesson[], slug: string): { prev?: Lesson; next?: Lesson } {
  const i = lessons.findIndex((l) => l.id === slug);
  return { prev: i > 0 ? lessons[i - 1] : undefined, next: i >= 0 ? lessons[i + 1] : undefined };
}
