/**
 * How the markdown plugins stop the build: one error that lists every problem found in a
 * lesson, each line `content/lessons/x.mdx:LINE:COL: what is wrong. What to do.`, sorted by
 * position. The error also carries the first problem's `line` and `column`: Astro's MDX plugin
 * copies those into the location it prints ("Location: …/x.mdx:12:3" and a code frame); without
 * them it prints `x.mdx:undefined:undefined` and `x.mdx:0:0`.
 */
import { relative } from 'node:path';
import type { VFile } from 'vfile';

/** One mistake in a lesson, at a 1-based line and column of the MDX file. */
export interface LessonProblem {
  line: number;
  column: number;
  /** What is wrong and what to do, as full sentences. */
  message: string;
}

/** A unist position start (or nothing): the problem's place, `?` when unknown. */
export interface Place {
  line?: number;
  column?: number;
}

/** The lesson's path as printed in messages: relative to the project root (`content/lessons/x.mdx`). */
export function lessonPath(file: Pick<VFile, 'path'>, cwd = process.cwd()): string {
  return file.path ? relative(cwd, file.path) : '<lesson>';
}

/** A problem at `place` (a node's `position.start`). */
export function problemAt(place: Place | undefined, message: string): LessonProblem {
  return { line: place?.line ?? 0, column: place?.column ?? 0, message };
}

/** `content/lessons/x.mdx:12:3: message` (`?` for an unknown line or column). */
export function formatProblem(path: string, p: LessonProblem): string {
  return `${path}:${p.line || '?'}:${p.column || '?'}: ${p.message}`;
}

/** The build error for a lesson's problems: every problem on its own line, first one located. */
export class LessonProblemsError extends Error {
  /** The first problem's line and column, for Astro's "Location:". */
  readonly line?: number;
  readonly column?: number;
  readonly problems: LessonProblem[];

  constructor(file: Pick<VFile, 'path'>, problems: LessonProblem[], cwd = process.cwd()) {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
    const path = lessonPath(file, cwd);
    super(sorted.map((p) => formatProblem(path, p)).join('\n'));
    this.name = 'LessonError';
    this.problems = sorted;
    const first = sorted[0];
    if (first?.line) {
      this.line = first.line;
      this.column = first.column || 1;
    }
  }
}

/** Throws one LessonProblemsError when there are problems. */
export function throwProblems(file: Pick<VFile, 'path'>, problems: LessonProblem[]): void {
  if (problems.length) throw new LessonProblemsError(file, problems);
}
