/**
 * The ordered list of lessons, shared by every page; hides drafts from production builds.
 * (Two lessons with the same `order` already stopped the build in the collection's loader,
 * src/content.config.ts.)
 */
import { getCollection, type CollectionEntry } from 'astro:content';

export type Lesson = CollectionEntry<'lessons'>;

export async function getLessons(): Promise<Lesson[]> {
  const all = await getCollection('lessons');
  const visible = all.filter((l) => !(import.meta.env.PROD && l.data.draft));
  return visible.sort((a, b) => a.data.order - b.data.order);
}

/** The lessons before and after `slug` in the course order (undefined at either end). */
export function neighbours(lessons: readonly Lesson[], slug: string): { prev?: Lesson; next?: Lesson } {
  const i = lessons.findIndex((l) => l.id === slug);
  return { prev: i > 0 ? lessons[i - 1] : undefined, next: i >= 0 ? lessons[i + 1] : undefined };
}
