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
 * Mistakes stop the build with `file:line:column: problem`: a cell without `id`, an id used
 * twice in one lesson, a cell fence in another language, a `python keras` fence that does not
 * follow a cell.
 */
import { relative } from 'node:path';
import type { Code, Parent, Root, RootContent } from 'mdast';
import type { MdxJsxFlowElement } from 'mdast-util-mdx-jsx';
import type { VFile } from 'vfile';
import { parseFenceMeta, sourceHash } from './cell-fence';

const CELL_LANGS = new Set(['js', 'ts']);
const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** The error thrown for a malformed cell: its message starts with `file:line:column:`. */
export class CellFenceError extends Error {
  constructor(file: VFile, node: Code, problem: string) {
    const path = file.path ? relative(process.cwd(), file.path) : '<lesson>';
    const pos = node.position?.start;
    super(`${path}:${pos?.line ?? '?'}:${pos?.column ?? '?'}: ${problem}`);
    this.name = 'CellFenceError';
  }
}

function isCellFence(node: RootContent): node is Code {
  return node.type === 'code' && parseFenceMeta(node.meta).flags.has('cell');
}

function isKerasFence(node: RootContent | undefined): node is Code {
  return (
    node?.type === 'code' &&
    (node.lang === 'python' || node.lang === 'py') &&
    parseFenceMeta(node.meta).flags.has('keras')
  );
}

function attr(name: string, value: string) {
  return { type: 'mdxJsxAttribute' as const, name, value };
}

export default function remarkCells() {
  return function transform(tree: Root, file: VFile): void {
    const ids = new Map<string, number>();

    const walk = (parent: Parent): void => {
      const kids = parent.children as RootContent[];
      for (let i = 0; i < kids.length; i++) {
        const node = kids[i];
        if (isKerasFence(node) && !(i > 0 && isCellFence(kids[i - 1]))) {
          throw new CellFenceError(
            file,
            node,
            'a ```python keras fence must come directly after a ```js cell fence (it becomes that cell\'s "Keras (Python)" tab).',
          );
        }
        if (isCellFence(node)) {
          const { attrs } = parseFenceMeta(node.meta);
          const lang = node.lang ?? '';
          if (!CELL_LANGS.has(lang)) {
            throw new CellFenceError(file, node, `a cell fence must be \`js cell\` or \`ts cell\`, not \`${lang || '(no language)'} cell\`.`);
          }
          const id = attrs.get('id');
          if (!id) {
            throw new CellFenceError(file, node, `this cell has no id. Write it as \`\`\`${lang} cell id="a-unique-name"`);
          }
          if (!ID_PATTERN.test(id)) {
            throw new CellFenceError(file, node, `cell id "${id}" must start with a letter and use only letters, digits, "-" and "_".`);
          }
          const firstLine = ids.get(id);
          if (firstLine !== undefined) {
            throw new CellFenceError(file, node, `duplicate cell id "${id}" (already used on line ${firstLine}). Cell ids must be unique in a lesson.`);
          }
          ids.set(id, node.position?.start.line ?? 0);

          // Check the next fence before handing it over, so the outer loop does not see it.
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
