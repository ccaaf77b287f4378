/**
 * The frontmatter schema of a lesson (`content/lessons/*.mdx`). It lives outside
 * `src/content.config.ts` so unit tests can run it on bad frontmatter without Astro.
 * Messages are written for teachers: they say what the field must look like. The build runs
 * `checkLessonData` (below) before Astro's own check, so these messages, with the file and the
 * field's line, are what a teacher sees.
 */
import { z } from 'astro/zod';
import { buildError } from './build-error';
import { closest } from './closest';

export const lessonSchema = z
  .object({
    title: z
      .string({
        required_error: 'title is required (the lesson heading, e.g. "Gated recurrent units (GRU)")',
        invalid_type_error: 'title must be text, e.g. "Gated recurrent units (GRU)"',
      })
      .trim()
      .min(1, 'title must not be empty'),
    description: z
      .string({
        required_error: 'description is required (one sentence shown on the home page and in search)',
        invalid_type_error: 'description must be text (one sentence shown on the home page and in search)',
      })
      .trim()
      .min(1, 'description must not be empty'),
    order: z
      .number({
        required_error: 'order is required (the position of the lesson in the course: 1, 2, 3…)',
        invalid_type_error: 'order must be a whole number such as 3, without quotes',
      })
      .int('order must be a whole number such as 3')
      .positive('order must be 1 or more'),
    tags: z
      .array(z.string({ invalid_type_error: 'each tag must be a word, e.g. [lstm, gates]' }), {
        invalid_type_error: 'tags must be a list, e.g. [lstm, gates]',
      })
      .default([]),
    /** Drafts are listed and built in `astro dev` only, never in `npm run build`. */
    draft: z.boolean({ invalid_type_error: 'draft must be true or false' }).default(false),
    /** The page address instead of the file name (Astro's glob loader reads it). */
    slug: z.string({ invalid_type_error: 'slug must be text, e.g. gru-gates' }).optional(),
  })
  // A misspelt field (`draf: true`) would otherwise be dropped, and the draft published.
  .strict();

/** The fields a lesson's frontmatter may have. */
export const LESSON_FIELDS = Object.keys(lessonSchema.shape);

export type LessonData = z.infer<typeof lessonSchema>;

/**
 * The 1-based line of a top-level frontmatter field (`key:` at the start of a line inside the
 * leading `---` block), or undefined when the field is not written there.
 */
export function frontmatterLine(source: string, key: string): number | undefined {
  const lines = source.split(/\r?\n/);
  if (lines[0]?.trim() !== '---') return undefined;
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const field = new RegExp(`^${escaped}\\s*:`);
  for (let i = 1; i < lines.length && lines[i]!.trim() !== '---'; i++) {
    if (field.test(lines[i]!)) return i + 1;
  }
  return undefined;
}

/**
 * Checks one lesson's frontmatter the way the build does (the collection's loader calls it
 * before Astro's own schema check, whose messages replace ours with "Expected type `number`"):
 * returns the parsed data, or throws one error listing every problem as
 * `content/lessons/x.mdx:3:1: order must be a whole number such as 3, without quotes`
 * (no line when the field is missing).
 */
export function checkLessonData(data: unknown, file: string, source = ''): LessonData {
  const r = lessonSchema.safeParse(data);
  if (r.success) return r.data;
  const problems = r.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const line = frontmatterLine(source, key);
        const near = closest(key, LESSON_FIELDS);
        return {
          line,
          text: `${file}${line ? `:${line}:1` : ''}: unknown frontmatter field "${key}"${near ? ` (did you mean "${near}"?)` : ''}; the fields are ${LESSON_FIELDS.join(', ')}`,
        };
      });
    }
    const key = String(issue.path[0] ?? '');
    const line = key ? frontmatterLine(source, key) : undefined;
    const field = issue.path.join('.');
    const message = !field || issue.message.startsWith(key) ? issue.message : `${field}: ${issue.message}`;
    return { line, text: `${file}${line ? `:${line}:1` : ''}: ${message}` };
  });
  throw buildError(
    problems.map((p) => p.text).join('\n'),
    { file, line: problems.find((p) => p.line)?.line ?? 1 },
    'The frontmatter is the block between the two --- lines at the top of the lesson: title, description, order, tags, draft (content/README.md).',
  );
}

/** What js-yaml throws (through @astrojs/mdx, which keeps its name, `reason` and `mark`). */
export interface YamlErrorLike {
  name: string;
  reason?: string;
  message: string;
  mark?: { line: number; column: number };
}

export function isYamlError(e: unknown): e is YamlErrorLike {
  return e instanceof Error && e.name === 'YAMLException' && typeof (e as YamlErrorLike).mark?.line === 'number';
}

/** `title: Attention: over RNN states` -> `title: "Attention: over RNN states"` (undefined if the line is not `key: value`). */
export function quotedLine(line: string): string | undefined {
  const m = /^([A-Za-z_][\w-]*)(\s*:\s+)(.*?)\s*$/.exec(line);
  if (!m || !m[3]) return undefined;
  const value = m[3];
  if (/^(["']).*\1$/.test(value)) return undefined;
  const quoted = value.includes('"') && !value.includes("'") ? `'${value}'` : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return `${m[1]}${m[2]}${quoted}`;
}

/**
 * The error for frontmatter that is not valid YAML: file:line:column, the YAML problem, and
 * what to do, usually `put the value in quotes` with the corrected line.
 * `mark.line` is 0-based in the text after the opening `---`, so `+ 1` is the file's line.
 */
export function frontmatterYamlError(file: string, source: string, error: YamlErrorLike): Error {
  const reason = error.reason ?? error.message.split('\n')[0]!;
  const line = (error.mark?.line ?? 0) + 1;
  const column = (error.mark?.column ?? 0) + 1;
  const text = source.split(/\r?\n/)[line - 1] ?? '';
  let todo: string;
  if (/duplicated mapping key/.test(reason)) {
    todo = 'each field may appear only once: remove or merge the repeated line';
  } else {
    const fixed = quotedLine(text);
    todo = fixed
      ? `put the value in quotes: ${fixed}`
      : 'put the value in quotes if it contains ": " or " #", or starts with one of [ ] { } \' " # & * ! | > % @ `';
  }
  return buildError(
    `${file}:${line}:${column}: the frontmatter is not valid YAML (${reason}); ${todo}`,
    { file, line, column },
    'In YAML a colon followed by a space separates a field from its value, so a value that contains one (or starts with a special character) must be written in quotes.',
  );
}
