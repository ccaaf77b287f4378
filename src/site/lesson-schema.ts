/**
 * The frontmatter schema of a lesson (`content/lessons/*.mdx`). It lives outside
 * `src/content.config.ts` so unit tests can run it on bad frontmatter without Astro.
 * Messages are written for teachers: they say what the field must look like.
 */
import { z } from 'astro/zod';

export const lessonSchema = z
  .object({
    title: z
      .string({ required_error: 'title is required (the lesson heading, e.g. "Gated recurrent units (GRU)")' })
      .trim()
      .min(1, 'title must not be empty'),
    description: z
      .string({ required_error: 'description is required (one sentence shown on the home page and in search)' })
      .trim()
      .min(1, 'description must not be empty'),
    order: z
      .number({
        required_error: 'order is required (the position of the lesson in the course: 1, 2, 3…)',
        invalid_type_error: 'order must be a whole number such as 3, without quotes',
      })
      .int('order must be a whole number such as 3')
      .positive('order must be 1 or more'),
    tags: z.array(z.string(), { invalid_type_error: 'tags must be a list, e.g. [lstm, gates]' }).default([]),
    /** Drafts are listed and built in `astro dev` only, never in `npm run build`. */
    draft: z.boolean({ invalid_type_error: 'draft must be true or false' }).default(false),
  });

export type LessonData = z.infer<typeof lessonSchema>;
