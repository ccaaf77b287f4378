/**
 * Turns live-cell fences into an MDX `<Cell>` element (see docs/ARCHITECTURE.md):
 *
 *     ```js cell id="lstm-build"      (or `ts cell`)
 *     …TensorFlow.js code…
 *     ```
 *     ```python keras                 (optional, directly after)
 *     …Keras code…
 *     ```
 *
 * becomes `<Cell id="lstm-build" lang="js" source="…" sourceHash="3f2a9c01">` whose children are
 * the original code blocks, so Shiki still highlights them. `Cell` itself is handed to MDX by
 * the lesson page (`<Content components={{ Cell }} />`), so authors never import it.
 *
 * Mistakes stop the build with `file:line:column: problem`, all of them in one error
 * (./lesson-problems.ts): a cell without `id`, an id used twice in one lesson, a cell fence in
 * another language, a `python keras` fence that does not follow a cell. `findCellFences` finds
 * them; remark-lesson-check, which runs first, reports them together with the lesson's other
 * mistakes (and checks each cell's code and Keras twin).
 */
import type { Code, Parent, Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import type { VFile } from 'vfile';
import { parseFenceMeta, sourceHash } from './cell-fence';
import { problemAt, throwProblems, type LessonProblem } from './lesson-problems';

const CELL_LANGS = new Set(['js', 'ts']);
const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** True for a fence whose info string has the `cell` flag (```js cell id="…"). */
export function isCellFence(node: RootContent | undefined): node is Code {
  return node?.type === 'code' && parseFenceMeta(node.meta).flags.has('cell');
}

/** True for a ```python keras (or ```py keras) fence: a cell's Keras twin. */
export function isKerasFence(node: RootContent | undefined): node is Code {
  return (
    node?.type === 'code' &&
    (node.lang === 'python' || node.lang === 'py') &&
    parseFenceMeta(node.meta).flags.has('keras')
  );
}

/** A cell fence found in a lesson, with the fence after it when that is its Keras twin. */
export interface CellFence {
  node: Code;
  /** The cell's id; '' when it has none (that is one of the problems). */
  id: string;
  lang: string;
  keras?: Code;
  /** False when the fence itself is malformed (see `cellFenceProblems`). */
  valid: boolean;
}

/**
 * Every cell fence of the tree, in order (also inside JSX such as `<Aside>`), and every
 * malformed one: a cell without id, an id used twice, a cell fence in another language, a
 * `python keras` fence that does not follow a cell. Does not change the tree.
 */
export function findCellFences(tree: Root): { cells: CellFence[]; problems: LessonProblem[] } {
  const cells: CellFence[] = [];
  const problems: LessonProblem[] = [];
  const ids = new Map<string, number>();
  const walk = (parent: Parent): void => {
    const kids = parent.children as RootContent[];
    for (let i = 0; i < kids.length; i++) {
      const node = kids[i];
      const at = (message: string) => problems.push(problemAt(node.position?.start, message));
      if (isKerasFence(node) && !(i > 0 && isCellFence(kids[i - 1]))) {
        at('a ```python keras fence must come directly after a ```js cell fence (it becomes that cell\'s "Keras (Python)" tab).');
      }
      if (isCellFence(node)) {
        const id = parseFenceMeta(node.meta).attrs.get('id') ?? '';
        const lang = node.lang ?? '';
        const keras = isKerasFence(kids[i + 1]) ? (kids[i + 1] as Code) : undefined;
        const count = problems.length;
        if (!CELL_LANGS.has(lang)) {
          at(`a cell fence must be \`js cell\` or \`ts cell\`, not \`${lang || '(no language)'} cell\`.`);
        } else if (!id) {
          at(`this cell has no id. Write it as \`\`\`${lang} cell id="a-unique-name"`);
        } else if (!ID_PATTERN.test(id)) {
          at(`cell id "${id}" must start with a letter and use only letters, digits, "-" and "_".`);
        } else if (ids.has(id)) {
          at(`duplicate cell id "${id}" (already used on line ${ids.get(id)}). Cell ids must be unique in a lesson.`);
        } else {
          ids.set(id, node.position?.start.line ?? 0);
        }
        cells.push({ node, id, lang, keras, valid: problems.length === count });
        continue;
      }
      if ('children' in node && Array.isArray(node.children)) walk(node as Parent);
    }
  };
  walk(tree);
  return { cells, problems };
}

function attr(name: string, value: string) {
  return { type: 'mdxJsxAttribute' as const, name, value };
}

export default function remarkCells() {
  return function transform(tree: Root, file: VFile): void {
    // Normally remark-lesson-check has already reported these (with the lesson's other problems).
    throwProblems(file, findCellFences(tree).problems);

    const walk = (parent: Parent): void => {
      const kids = parent.children as RootContent[];
      for (let i = 0; i < kids.length; i++) {
        const node = kids[i];
        if (isCellFence(node)) {
          const id = parseFenceMeta(node.meta).attrs.get('id') ?? '';
          const lang = node.lang ?? '';
          const keras = isKerasFence(kids[i + 1]) ? (kids[i + 1] as Code) : undefined;
          const element: MdxJsxFlowElement = {
            type: 'mdxJsxFlowElement',
            name: 'Cell',
            attributes: [
              attr('id', id),
              attr('lang', lang),
              attr('source', node.value),
              attr('sourceHash', sourceHash(node.value)),
            ],
            children: keras ? [node, keras] : [node],
            position: node.position,
          };
          kids.splice(i, keras ? 2 : 1, element as unknown as RootContent);
          continue;
        }
        if ('children' in node && Array.isArray(node.children)) walk(node as Parent);
      }
    };

    walk(tree);
  };
}
