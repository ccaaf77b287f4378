/**
 * Checks over the whole set of lessons (pure, so they can be unit-tested): no two lessons share
 * an `order`, and no two files give the same address. The collection's loader
 * (src/site/lesson-loader.ts) runs both after loading.
 */
import { slug as githubSlug } from 'github-slugger';
import { buildError } from './build-error';

/** Where the lessons live, relative to the project root. */
export const LESSONS_DIR = 'content/lessons';

/** Checks that no two lessons share an `order` value (`line`: where the second one writes it). */
export function checkUniqueOrder(lessons: readonly { file: string; order: number; line?: number }[]): void {
  const seen = new Map<number, string>();
  for (const { file, order, line } of lessons) {
    const other = seen.get(order);
    if (other !== undefined) {
      throw buildError(
        `Two lessons share order ${order}: ${other} and ${file}. ` +
          'Give each lesson a different "order" in its frontmatter (it sets the sequence of the course).',
        { file, line },
      );
    }
    seen.set(order, file);
  }
}

/**
 * The id (and URL segment, `/lessons/<slug>/`) Astro's glob loader gives a lesson file, from its
 * path relative to `content/lessons/`: each folder and the file name without `.mdx` through
 * github-slugger (lower case, spaces to `-`, most punctuation dropped), a trailing `/index` removed.
 * `Attention-Basics.mdx` and `attention-basics.mdx` both give `attention-basics`.
 */
export function lessonSlug(entry: string): string {
  return entry
    .replace(/\.mdx?$/i, '')
    .split(/[\\/]/)
    .map((segment) => githubSlug(segment))
    .join('/')
    .replace(/\/index$/, '');
}

/**
 * Checks that no two lesson files get the same slug (Astro would keep one of them and drop the
 * other without a word). Throws naming both files and the address they share.
 */
export function checkUniqueSlugs(lessons: readonly { file: string; slug: string }[]): void {
  const seen = new Map<string, string>();
  for (const { file, slug } of [...lessons].sort((a, b) => a.file.localeCompare(b.file))) {
    const other = seen.get(slug);
    if (other !== undefined) {
      throw buildError(
        `Two lessons have the same address /lessons/${slug}/: ${other} and ${file}. ` +
          'A lesson\'s address comes from its file name in lower case (or from a "slug" in its frontmatter), ' +
          'so file names that differ only in capitals, spaces or punctuation give the same address: ' +
          'rename or remove one of them.',
        { file },
      );
    }
    seen.set(slug, file);
  }
}
