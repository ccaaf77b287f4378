/**
 * Base-URL helpers. Every internal link on the site goes through `withBase`, so the same build
 * works at the domain root (`/`) and under a sub-path such as `/rnn-notebook/` or `/course/`.
 */

/** Joins the configured base (with or without a trailing slash) and a site-relative path. */
export function withBase(path: string, base: string = import.meta.env.BASE_URL): string {
  const root = base.endsWith('/') ? base : `${base}/`;
  return root + path.replace(/^\/+/, '');
}

/** The URL of a lesson page, e.g. `/rnn-notebook/lessons/lstm/`. */
export function lessonUrl(slug: string, base: string = import.meta.env.BASE_URL): string {
  return withBase(`lessons/${slug}/`, base);
}
