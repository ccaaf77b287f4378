/**
 * The check of a lesson's body, run first among the remark plugins (astro.config.mjs), before
 * anything is rendered: it collects every problem it finds and stops the build with one error
 * listing them all, one line each, as `content/lessons/x.mdx:LINE:COL: what is wrong. What to do.`
 * (./lesson-problems.ts):
 *
 * - JSX elements: unknown components, props, values and slots (./remark-components-check.ts);
 * - cell fences: no id, a duplicate id, a stray ```python keras fence (./remark-cells.ts), a
 *   syntax error in the cell's code and a cell without a Keras twin (./cell-code-check.ts).
 *
 * Maths is checked later, once KaTeX has rendered it (./rehype-katex-errors.ts).
 */
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { cellSyntaxProblems, missingTwinProblems } from './cell-code-check';
import { throwProblems } from './lesson-problems';
import { findCellFences } from './remark-cells';
import { componentProblems, type ComponentsCheckOptions } from './remark-components-check';

/** True when the lesson's frontmatter says `draft: true` (Astro puts it in `file.data.astro`). */
function isDraft(file: VFile): boolean {
  const data = file.data as { astro?: { frontmatter?: { draft?: unknown } } };
  return data.astro?.frontmatter?.draft === true;
}

export default function remarkLessonCheck(options: ComponentsCheckOptions = {}) {
  return function transform(tree: Root, file: VFile): void {
    const { cells, problems: fenceProblems } = findCellFences(tree);
    throwProblems(file, [
      ...componentProblems(tree, file, options),
      ...fenceProblems,
      ...cellSyntaxProblems(cells),
      // A draft may wait for its Python; it is never built, so its notebook is never made.
      ...(isDraft(file) ? [] : missingTwinProblems(cells)),
    ]);
  };
}
