/**
 * `${BASE_URL}lessons/<slug>.ipynb`: the lesson as a Jupyter notebook, generated at build time
 * from the same MDX as the page (src/site/notebook-export.ts says what goes in). Only for
 * lessons with live cells: a lesson without any has no notebook (and its page no link to one),
 * since the notebook would hold nothing to run but the setup cell.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getLessons, type Lesson } from '../../site/lessons';
import { lessonUrl, withBase } from '../../site/url';
import { lessonCells, lessonToNotebook } from '../../site/notebook-export';

export const getStaticPaths = (async () => {
  const lessons = await getLessons();
  return lessons.filter((lesson) => lessonCells(lesson.body ?? '').length > 0).map((lesson) => ({ params: { slug: lesson.id }, props: { lesson } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ lesson: Lesson }> = ({ props, site }) => {
  const { lesson } = props;
  const notebook = lessonToNotebook({
    slug: lesson.id,
    title: lesson.data.title,
    description: lesson.data.description,
    body: lesson.body ?? '',
    pageUrl: site ? new URL(lessonUrl(lesson.id), site).href : undefined,
    // Astro's `site` (astro.config.mjs) + the base path: where the deployed images are.
    siteUrl: site ? new URL(withBase(''), site).href : undefined,
  });
  return new Response(`${JSON.stringify(notebook, null, 1)}\n`, {
    headers: { 'Content-Type': 'application/x-ipynb+json' },
  });
};
