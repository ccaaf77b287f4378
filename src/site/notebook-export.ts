/**
 * A lesson's MDX source -> a Jupyter notebook (nbformat 4.5), at build time, so the download
 * can never drift from the page (`src/pages/lessons/[slug].ipynb.ts` serves it).
 *
 * What goes in, in source order:
 * - the prose, as Markdown cells, sliced verbatim from the MDX (maths stays `$…$` / `$$…$$`,
 *   which Jupyter and Colab render with MathJax); a new Markdown cell starts at every `##`/`###`
 *   heading and after every code cell;
 * - the `python keras` twin of every live cell, as a Python code cell (the cell id + `-keras`
 *   becomes the notebook cell id);
 * - plain HTML blocks (`<details>` exercises) verbatim: Jupyter renders them.
 *
 * What is left out, because a stock Jupyter cannot run or show it: the TensorFlow.js cells
 * themselves (`js cell` / `ts cell` fences), ESM `import`/`export` lines and the site's own
 * components (`<LstmCell />`, any capitalised JSX tag; the children of a paired component such as
 * `<Aside>…</Aside>` are kept as prose). Site links `/lessons/<slug>/…` become `<slug>.ipynb…`,
 * so a folder of downloaded notebooks links to itself.
 *
 * Pure (no DOM, no Astro; only node:crypto through cell-fence); unit-tested in tests/unit/export-notebook.test.ts.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkMdx from 'remark-mdx';
import remarkMath from 'remark-math';
import type { Root, RootContent } from 'mdast';
import { parseFenceMeta } from '../markdown/cell-fence';

/** One nbformat 4 cell (the subset of fields this exporter writes). */
export type NotebookCell =
  | { id: string; cell_type: 'markdown'; metadata: Record<string, unknown>; source: string[] }
  | {
      id: string;
      cell_type: 'code';
      metadata: Record<string, unknown>;
      source: string[];
      outputs: [];
      execution_count: null;
    };

/** A whole nbformat 4.5 notebook document, ready for `JSON.stringify`. */
export interface Notebook {
  nbformat: 4;
  nbformat_minor: 5;
  metadata: {
    kernelspec: { name: string; display_name: string; language: string };
    language_info: { name: string; file_extension: string; mimetype: string; pygments_lexer: string };
    title: string;
    /** Where it came from: the lesson slug and the MDX path, for teachers tracing a cell back. */
    rnn_notebook: { lesson: string; source: string };
  };
  cells: NotebookCell[];
}

/** What the exporter needs to know about the lesson besides its MDX body. */
export interface NotebookExportInput {
  /** The lesson slug (file name without `.mdx`), e.g. `lstm`. */
  slug: string;
  /** Frontmatter `title`: becomes the notebook's `# heading` and `metadata.title`. */
  title: string;
  /** Frontmatter `description`: the first paragraph. */
  description: string;
  /** The MDX body without its frontmatter (Astro's `entry.body`). */
  body: string;
  /** Absolute URL of the lesson page, when known, for the "run it live" line; else omitted. */
  pageUrl?: string;
}

/** A live cell found in the MDX: its id, TensorFlow.js source and Keras twin (if any). */
export interface LessonCellSource {
  id: string;
  lang: string;
  source: string;
  keras?: string;
}

/**
 * The first code cell of every notebook. The course's Keras code follows Keras 2 as shipped with
 * TensorFlow 2.x up to 2.15 (e.g. `Embedding(..., input_length=100)` builds a Sequential model, so
 * `summary()` and `count_params()` work before training). TensorFlow 2.16+ bundles Keras 3, where
 * `input_length` is ignored; the `tf-keras` package brings Keras 2 back when
 * `TF_USE_LEGACY_KERAS=1` is set before TensorFlow is first imported.
 */
export const SETUP_CELL = [
  '# Setup: run this cell first (Runtime > Run all does).',
  '# The Keras code below follows Keras 2 (TensorFlow <= 2.15). TensorFlow 2.16+ ships Keras 3; the',
  '# tf-keras package gives Keras 2 back when this variable is set before TensorFlow is imported.',
  '# If the import below fails: %pip install tf-keras (matching your TensorFlow version), then restart.',
  'import os',
  'os.environ["TF_USE_LEGACY_KERAS"] = "1"',
  '',
  'import tensorflow as tf',
  'from tensorflow import keras',
  'print("TensorFlow", tf.__version__, "| Keras", keras.__version__)',
].join('\n');

type Piece = { kind: 'prose'; text: string; heading: boolean } | { kind: 'code'; id: string; text: string; raises: boolean };

function parse(body: string): Root {
  return unified().use(remarkParse).use(remarkMdx).use(remarkMath).parse(body) as Root;
}

function isCell(node: RootContent): boolean {
  return node.type === 'code' && parseFenceMeta(node.meta).flags.has('cell');
}

function isKeras(node: RootContent | undefined): boolean {
  return (
    node?.type === 'code' &&
    (node.lang === 'python' || node.lang === 'py') &&
    parseFenceMeta(node.meta).flags.has('keras')
  );
}

/** Whether a JSX element is one of the site's components (capitalised), not plain HTML. */
function isComponent(node: RootContent): boolean {
  return (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && /^[A-Z]/.test(node.name ?? '');
}

function slice(body: string, node: RootContent): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) throw new Error(`notebook export: a ${node.type} node has no source position`);
  return body.slice(start, end);
}

/**
 * Drops `\allowbreak`: the lessons' display equations use it as a line-break hint for KaTeX
 * on phones, and Jupyter's MathJax (v2/v3) does not define it (it would show as an error).
 */
export function dropKatexHints(markdown: string): string {
  return markdown.replace(/\\allowbreak\b\s*/g, '');
}

/** Site-absolute lesson links -> sibling notebooks (`/lessons/gru/#x` -> `gru.ipynb#x`). */
export function rewriteLessonLinks(markdown: string): string {
  return markdown.replace(/\]\(\/lessons\/([a-z0-9-]+)\/?(#[^)\s]*)?\)/g, (_m, slug: string, frag?: string) => `](${slug}.ipynb${frag ?? ''})`);
}

function pieces(body: string, nodes: RootContent[], out: Piece[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.type === 'mdxjsEsm' || node.type === 'mdxFlowExpression') continue;
    if (isCell(node)) {
      const id = parseFenceMeta(node.type === 'code' ? node.meta : '').attrs.get('id') ?? `cell-${i}`;
      const next = nodes[i + 1];
      if (isKeras(next) && next.type === 'code') {
        out.push({ kind: 'code', id, text: next.value, raises: parseFenceMeta(next.meta).flags.has('raises') });
        i++;
      }
      continue;
    }
    if (isKeras(node)) continue; // a stray twin: remark-cells already fails the build for it
    if (isComponent(node)) {
      const kids = 'children' in node ? (node.children as RootContent[]) : [];
      pieces(body, kids, out);
      continue;
    }
    out.push({ kind: 'prose', text: slice(body, node), heading: node.type === 'heading' && node.depth <= 3 });
  }
}

/** Splits text into nbformat's list-of-lines form (each line keeps its `\n`, the last has none). */
export function toLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)).filter((l, i, all) => !(i === all.length - 1 && l === ''));
}

/** The live cells of a lesson, in order, with their Keras twins (used by tests and the cheat sheet). */
export function lessonCells(body: string): LessonCellSource[] {
  const nodes = parse(body).children;
  const cells: LessonCellSource[] = [];
  const walk = (kids: RootContent[]) => {
    for (let i = 0; i < kids.length; i++) {
      const node = kids[i];
      if (isCell(node) && node.type === 'code') {
        const next = kids[i + 1];
        cells.push({
          id: parseFenceMeta(node.meta).attrs.get('id') ?? '',
          lang: node.lang ?? '',
          source: node.value,
          keras: isKeras(next) && next.type === 'code' ? next.value : undefined,
        });
      } else if ('children' in node && Array.isArray(node.children)) walk(node.children as RootContent[]);
    }
  };
  walk(nodes);
  return cells;
}

/** Builds the notebook for one lesson. Throws (naming the lesson) if a live cell has no Keras twin. */
export function lessonToNotebook(input: NotebookExportInput): Notebook {
  const missing = lessonCells(input.body).filter((c) => c.keras === undefined).map((c) => c.id);
  if (missing.length) {
    throw new Error(
      `content/lessons/${input.slug}.mdx: cell(s) ${missing.join(', ')} have no \`\`\`python keras twin, so the Jupyter notebook would skip a step. Add one after each cell.`,
    );
  }
  const out: Piece[] = [];
  pieces(input.body, parse(input.body).children, out);

  const cells: NotebookCell[] = [];
  const intro = [
    `# ${input.title}`,
    '',
    input.description,
    '',
    `*This notebook is generated from the lesson \`${input.slug}\` of RNN Notebook: its prose and the Keras (Python) version of every code cell, in order. ` +
      `It runs top to bottom with a stock TensorFlow/Keras (Jupyter or Colab). The diagrams and the live TensorFlow.js cells are on the lesson page` +
      (input.pageUrl ? `: ${input.pageUrl}` : '.') +
      '*',
  ].join('\n');
  cells.push({ id: 'intro', cell_type: 'markdown', metadata: {}, source: toLines(intro) });
  cells.push({ id: 'setup', cell_type: 'code', metadata: {}, source: toLines(SETUP_CELL), outputs: [], execution_count: null });

  let prose: string[] = [];
  let n = 0;
  const flush = () => {
    const text = prose.join('\n\n').trim();
    prose = [];
    if (text) cells.push({ id: `md-${++n}`, cell_type: 'markdown', metadata: {}, source: toLines(dropKatexHints(rewriteLessonLinks(text))) });
  };
  for (const p of out) {
    if (p.kind === 'code') {
      flush();
      cells.push({
        id: `${p.id}-keras`.slice(0, 64),
        cell_type: 'code',
        // Jupyter's convention (nbval, nbconvert --allow-errors, papermill) for a cell that
        // fails on purpose: "Run all" tools carry on past it.
        metadata: p.raises ? { tags: ['raises-exception'] } : {},
        source: toLines(p.text),
        outputs: [],
        execution_count: null,
      });
    } else {
      if (p.heading) flush();
      prose.push(p.text);
    }
  }
  flush();

  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
      language_info: { name: 'python', file_extension: '.py', mimetype: 'text/x-python', pygments_lexer: 'ipython3' },
      title: input.title,
      rnn_notebook: { lesson: input.slug, source: `content/lessons/${input.slug}.mdx` },
    },
    cells,
  };
}
