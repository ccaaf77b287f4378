/**
 * The loader of the `lessons` collection (src/content.config.ts): Astro's glob loader over
 * `content/lessons/**\/*.mdx`, with our checks where it reads the files, so that a mistake stops
 * `npm run build` / `astro dev` with a message that names the file (and line) and says what to do:
 *
 * - frontmatter that is not valid YAML: `file:line:column`, the YAML problem and the fix
 *   (usually "put the value in quotes", with the corrected line);
 * - a frontmatter field missing or of the wrong type: our schema's messages (checkLessonData),
 *   checked before Astro's own check of the same schema, whose messages would replace them;
 * - two files with the same slug (Astro would silently keep one): both files named;
 * - two lessons with the same `order`: both files named.
 */
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContentEntryType } from 'astro';
import { glob, type Loader, type LoaderContext } from 'astro/loaders';
import { checkLessonData, frontmatterLine, frontmatterYamlError, isYamlError } from './lesson-schema';
import { LESSONS_DIR, checkUniqueOrder, checkUniqueSlugs, lessonSlug } from './order';

/**
 * The loader context as Astro 5 passes it: `entryTypes` (the file parsers by extension, MDX's
 * among them) is not in the public type, but the glob loader reads it from there.
 */
type GlobContext = LoaderContext & { entryTypes: Map<string, ContentEntryType> };

export function lessonsLoader(base = `./${LESSONS_DIR}`): Loader {
  /** File (relative to `base`) -> the id the glob loader gave it, for this load. */
  const ids = new Map<string, string>();
  const files = glob({
    pattern: '**/*.mdx',
    base,
    // Astro's default id (generateIdDefault in astro/dist/content/loaders/glob.js), recorded.
    generateId: ({ entry, data }) => {
      const id = typeof data.slug === 'string' && data.slug ? data.slug : lessonSlug(entry);
      ids.set(entry, id);
      return id;
    },
  });
  return {
    name: 'lessons-loader',
    async load(loaderContext) {
      const context = loaderContext as GlobContext;
      ids.clear();
      const root = fileURLToPath(context.config.root);
      const rel = (path: string) => relative(root, path).split(sep).join('/');
      const baseDir = rel(fileURLToPath(new URL(base.endsWith('/') ? base : `${base}/`, context.config.root)));

      const entryTypes = new Map<string, ContentEntryType>();
      for (const [ext, type] of context.entryTypes) {
        entryTypes.set(ext, {
          ...type,
          getEntryInfo: async (params) => {
            try {
              return await type.getEntryInfo(params);
            } catch (e) {
              if (isYamlError(e)) throw frontmatterYamlError(rel(fileURLToPath(params.fileUrl)), params.contents, e);
              throw e;
            }
          },
        });
      }
      const parseData: LoaderContext['parseData'] = async (props) => {
        if (props.filePath) checkLessonData(props.data, rel(props.filePath), readFileSync(props.filePath, 'utf8'));
        return context.parseData(props);
      };

      await files.load({ ...context, entryTypes, parseData } as GlobContext);

      checkUniqueSlugs([...ids].map(([entry, slug]) => ({ file: `${baseDir}/${entry}`, slug })));
      checkUniqueOrder(
        context.store
          .values()
          .map((e) => {
            const file = e.filePath ?? e.id;
            let line: number | undefined;
            try {
              line = frontmatterLine(readFileSync(new URL(file, context.config.root), 'utf8'), 'order');
            } catch {
              line = undefined;
            }
            return { file, order: Number(e.data.order), line };
          })
          .sort((a, b) => a.file.localeCompare(b.file)),
      );
    },
  };
}
