/**
 * Base-URL helpers. Every internal link on the site goes through `withBase`, so the same build
 * works at the domain root (`/`) and under a sub-path such as `/rnn-notebook/` or `/course/`.
 */

/** `base` with exactly one trailing slash added when it has none (`/course` -> `/course/`). */
export function withTrailingSlash(base: string): string {
  return base.endsWith('/') ? base : `${base}/`;
}

/** Joins the configured base (with or without a trailing slash) and a site-relative path. */
export function withBase(path: string, base: string = import.meta.env.BASE_URL): string {
  return withTrailingSlash(base) + path.replace(/^\/+/, '');
}

/** The URL of a lesson page, e.g. `/rnn-notebook/lessons/lstm/`. */
export function lessonUrl(slug: string, base: string = import.meta.env.BASE_URL): string {
  return withBase(`lessons/${slug}/`, base);
}
