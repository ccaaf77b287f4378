/**
 * Fails the build when KaTeX could not render a formula.
 *
 * rehype-katex never throws: it records a warning on the file and renders the bad TeX in red.
 * A teacher editing a lesson would then only notice on the page. This plugin, placed after
 * rehype-katex, turns those warnings into one build error that names the file, the line and
 * column of the formula, KaTeX's own message and the TeX source, e.g.
 *
 *   content/lessons/lstm.mdx:42:1: KaTeX cannot render `c_t = f_t \odott c_{t-1}`:
 *   Undefined control sequence: \odott at position 11
 */
import { relative } from 'node:path';
import type { VFile } from 'vfile';

interface KatexMessage {
  source?: string | null;
  line?: number | null;
  column?: number | null;
  cause?: unknown;
  place?: { line?: number; column?: number; start?: { line?: number; column?: number } } | null;
}

export function describeKatexErrors(file: Pick<VFile, 'messages' | 'path'>, cwd = process.cwd()): string[] {
  const name = file.path ? relative(cwd, file.path) : '<lesson>';
  return (file.messages as unknown as KatexMessage[])
    .filter((m) => m.source === 'rehype-katex')
    .map((m) => {
      const start = m.place && 'start' in m.place ? m.place.start : m.place;
      const line = m.line ?? start?.line ?? 0;
      const column = m.column ?? start?.column ?? 0;
      const cause = m.cause instanceof Error ? m.cause.message : String(m.cause ?? 'unknown error');
      const tex = /KaTeX parse error: (.*)/.exec(cause)?.[1] ?? cause;
      return `${name}:${line}:${column}: KaTeX cannot render this formula: ${tex}`;
    });
}

export default function rehypeKatexErrors() {
  return (_tree: unknown, file: VFile) => {
    const problems = describeKatexErrors(file);
    if (problems.length) throw new Error(problems.join('\n'));
  };
}
