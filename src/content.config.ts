/**
 * The `lessons` content collection: one MDX file per lesson in `content/lessons/`, checked
 * against `lessonSchema` (src/site/lesson-schema.ts). The loader (src/site/lesson-loader.ts)
 * stops the build (and `astro dev`) with a message naming the file, and the line where there
 * is one, on frontmatter that is not valid YAML or does not match the schema, on two files with
 * the same slug and on two lessons with the same `order`.
 */
import { defineCollection } from 'astro:content';
import { lessonSchema } from './site/lesson-schema';
import { lessonsLoader } from './site/lesson-loader';

const lessons = defineCollection({
  loader: lessonsLoader(),
  schema: lessonSchema,
});

export const collections = { lessons };
