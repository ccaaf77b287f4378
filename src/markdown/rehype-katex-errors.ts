/**
 * Fails the build when KaTeX could not render a formula.
 *
 * rehype-katex never throws: it records a warning on the file and renders the bad TeX in red.
 * A teacher editing a lesson would then only notice on the page. This plugin, placed after
 * rehype-katex, turns those warnings into one build error (./lesson-problems.ts) that names the
 * file, the line and column of the formula and KaTeX's own message, e.g.
 *
 *   content/lessons/lstm.mdx:42:1: KaTeX cannot render this formula: Undefined control
 *   sequence: \odott at position 11: …
 *
 * rehype-katex reports the position of the element it rendered; for display maths (`$$` on
 * their own lines) that is the `<code>` inside the `<pre>` made from the math block, which has no
 * position, so the formula's place is taken from the nearest of its ancestors that has one.
 */
import type { VFile } from 'vfile';
import { throwProblems, type LessonProblem } from './lesson-problems';

interface Point {
  line?: number;
  column?: number;
}

interface KatexMessage {
  source?: string | null;
  line?: number | null;
  column?: number | null;
  cause?: unknown;
  place?: (Point & { start?: Point }) | null;
  ancestors?: { position?: { start?: Point } }[];
}

/** KaTeX's warnings on the file, as lesson problems at the formula's line and column. */
export function katexProblems(file: Pick<VFile, 'messages'>): LessonProblem[] {
  return (file.messages as unknown as KatexMessage[])
    .filter((m) => m.source === 'rehype-katex')
    .map((m) => {
      const place = m.place && 'start' in m.place ? m.place.start : m.place;
      const nearest = [...(m.ancestors ?? [])].reverse().find((a) => a.position?.start?.line)?.position?.start;
      const line = m.line ?? place?.line ?? nearest?.line ?? 0;
      const column = m.column ?? place?.column ?? nearest?.column ?? 0;
      const cause = m.cause instanceof Error ? m.cause.message : String(m.cause ?? 'unknown error');
      const tex = /KaTeX parse error: (.*)/.exec(cause)?.[1] ?? cause;
      return { line, column, message: `KaTeX cannot render this formula: ${tex}` };
    });
}

export default function rehypeKatexErrors() {
  return (_tree: unknown, file: VFile) => throwProblems(file, katexProblems(file));
}
