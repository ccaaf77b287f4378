/**
 * The `lessons` content collection: one MDX file per lesson in `content/lessons/`, checked
 * against `lessonSchema` (src/site/lesson-schema.ts). After loading, two lessons with the same
 * `order` stop the build (and `astro dev`) with a message naming both files.
 */
import { defineCollection } from 'astro:content';
import { glob, type Loader } from 'astro/loaders';
import { lessonSchema } from './site/lesson-schema';
import { checkUniqueOrder } from './site/order';

function lessonsLoader(): Loader {
  const files = glob({ pattern: '**/*.mdx', base: './content/lessons' });
  return {
    name: 'lessons-loader',
    async load(context) {
      await files.load(context);
      checkUniqueOrder(
        context.store
          .values()
          .map((e) => ({ file: e.filePath ?? e.id, order: Number(e.data.order) }))
          .sort((a, b) => a.file.localeCompare(b.file)),
      );
    },
  };
}

const lessons = defineCollection({
  loader: lessonsLoader(),
  schema: lessonSchema,
});

export const collections = { lessons };
