/**
 * A lesson's MDX source -> a Jupyter notebook (nbformat 4.5), at build time, so the download
 * can never drift from the page (`src/pages/lessons/[slug].ipynb.ts` serves it).
 *
 * What goes in, in source order:
 * - the prose, as Markdown cells, sliced from the MDX (maths stays `$…$` / `$$…$$`, which Jupyter
 *   and Colab render with MathJax); a new Markdown cell starts at every `##`/`###` heading and
 *   after every code cell;
 * - the `python keras` twin of every live cell, as a Python code cell (the cell id + `-keras`
 *   becomes the notebook cell id);
 * - plain HTML blocks (`<details>` exercises) verbatim: Jupyter renders them.
 *
 * The site's components become Markdown: `<Aside type title>` a blockquote led by its label in
 * bold (the title, else Note / Tip / Watch out, as on the page); `<Figure>` its content and then
 * its caption (`caption="…"` or `<Fragment slot="caption">`) as an italic line. Site images
 * (`/images/a.png`) point to the deployed site when its URL is known (`siteUrl`), else become a
 * link `[Image: alt](images/a.png)` beside the notebook.
 *
 * What is left out, because a stock Jupyter cannot run or show it: the TensorFlow.js cells
 * themselves (`js cell` / `ts cell` fences), ESM `import`/`export` lines, `{expressions}` and MDX
 * comments, and other components (`<LstmCell />`, any capitalised JSX tag; the content
 * of a paired one is kept as prose). Site links `/lessons/<slug>/…` become `<slug>.ipynb…`,
 * so a folder of downloaded notebooks links to itself.
 *
 * Pure (no DOM, no Astro; only node:crypto through cell-fence); unit-tested in tests/unit/export-notebook.test.ts.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkMdx from 'remark-mdx';
import remarkMath from 'remark-math';
import type { Root, RootContent } from 'mdast';
import type { Node } from 'unist';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import { parseFenceMeta } from '../markdown/cell-fence';
import { findCellFences, isCellFence, isKerasFence } from '../markdown/remark-cells';
import { ASIDE_LABELS } from './aside';

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
  /**
   * Absolute URL of the deployed site's root, base path included (`https://x.github.io/course/`),
   * when known (Astro's `site`): site images (`/images/a.png`) then point there. Without it an
   * image becomes a link `[Image: alt](images/a.png)`, relative to the notebook.
   */
  siteUrl?: string;
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

/** Whether a JSX element is one of the site's components (capitalised), not plain HTML. */
function isComponent(node: RootContent | Node): node is MdxJsxFlowElement | MdxJsxTextElement {
  return (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && /^[A-Z]/.test((node as MdxJsxFlowElement).name ?? '');
}

/** A string attribute of a JSX element (`title="…"`); undefined when absent or an `{expression}`. */
function attr(el: MdxJsxFlowElement | MdxJsxTextElement, name: string): string | undefined {
  for (const a of el.attributes) {
    if (a.type === 'mdxJsxAttribute' && a.name === name && typeof a.value === 'string') return a.value;
  }
  return undefined;
}

/**
 * The component a block stands for: a flow element (`<Aside>` with its content on the lines
 * below), or a paragraph that holds nothing but one component written on a single line
 * (`<Aside title="…">Short.</Aside>`, `<Fragment slot="caption">…</Fragment>`), which MDX
 * parses as phrasing inside a paragraph.
 */
function blockComponent(node: RootContent): MdxJsxFlowElement | MdxJsxTextElement | undefined {
  if (isComponent(node)) return node;
  if (node.type !== 'paragraph') return undefined;
  const kids = node.children.filter((k) => !(k.type === 'text' && k.value.trim() === ''));
  return kids.length === 1 && isComponent(kids[0]!) ? (kids[0] as MdxJsxTextElement) : undefined;
}

function span(node: Node): [number, number] {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) throw new Error(`notebook export: a ${node.type} node has no source position`);
  return [start, end];
}

/** What the Markdown of the notebook is rendered with, besides the MDX source. */
interface Ctx {
  body: string;
  /** Absolute URL of the deployed site's root (with its base path), when known. */
  siteUrl?: string;
  /** Inside a blockquote (an `<Aside>`): display maths goes on one line (see `replacement`). */
  quoted?: boolean;
}

/** `/images/x.png` -> the deployed image, or (site unknown) the path beside the notebook. */
function imageMarkdown(ctx: Ctx, alt: string, url: string, title?: string | null): string {
  const altText = alt.replace(/([[\]\\])/g, '\\$1');
  if (ctx.siteUrl) {
    const abs = new URL(url.replace(/^\/+/, ''), ctx.siteUrl).href;
    return `![${altText}](${abs}${title ? ` "${title.replace(/"/g, '\\"')}"` : ''})`;
  }
  return `[Image: ${altText || url}](${url.replace(/^\/+/, '')})`;
}

const siteAbsolute = (url: string) => url.startsWith('/') && !url.startsWith('//');

/**
 * What a node inside a prose block is written as, when not its own source text: site images
 * (see `imageMarkdown`), inline components (their content; nothing if they have none), MDX
 * `{expressions}` and comments (nothing), display maths in a blockquote (one line: Jupyter's and
 * Colab's maths extraction would otherwise keep the `> ` of every line in the TeX). Undefined =
 * the node's source as written.
 */
function replacement(ctx: Ctx, node: Node): string | undefined {
  const n = node as RootContent;
  if (n.type === 'image' && siteAbsolute(n.url)) return imageMarkdown(ctx, n.alt ?? '', n.url, n.title);
  if (n.type === 'mdxTextExpression' || n.type === 'mdxFlowExpression' || n.type === 'mdxjsEsm') return '';
  if ((n.type === 'mdxJsxFlowElement' || n.type === 'mdxJsxTextElement') && n.name === 'img') {
    const src = attr(n, 'src');
    if (src && siteAbsolute(src)) return imageMarkdown(ctx, attr(n, 'alt') ?? '', src, attr(n, 'title'));
  }
  if (isComponent(n)) return inner(ctx, n);
  if (n.type === 'math' && ctx.quoted) return `$$ ${n.value.trim().replace(/\s*\n\s*/g, ' ')} $$`;
  if ('children' in n && n.children.length) return renderRange(ctx, ...span(n), n.children as Node[]);
  return undefined;
}

/** The source from `start` to `end`, with each of `kids` written as `replacement` says. */
function renderRange(ctx: Ctx, start: number, end: number, kids: readonly Node[]): string {
  let out = '';
  let pos = start;
  for (const k of kids) {
    const r = replacement(ctx, k);
    if (r === undefined) continue;
    const [ks, ke] = span(k);
    out += ctx.body.slice(pos, ks) + r;
    pos = ke;
  }
  return out + ctx.body.slice(pos, end);
}

/** A component's content (from its first child to its last), rendered; '' when it has none. */
function inner(ctx: Ctx, el: MdxJsxFlowElement | MdxJsxTextElement): string {
  const kids = el.children as Node[];
  if (!kids.length) return '';
  return renderRange(ctx, span(kids[0]!)[0], span(kids[kids.length - 1]!)[1], kids);
}

/**
 * A block's Markdown: its source, rendered (see `replacement`), its continuation lines
 * dedented by the block's own indentation (content indented inside a component, e.g.
 * `<Figure>\n  ![…](…)\n</Figure>`, would otherwise turn into an indented code block).
 */
function render(ctx: Ctx, node: RootContent): string {
  const text = replacement(ctx, node) ?? ctx.body.slice(...span(node));
  const indent = (node.position?.start.column ?? 1) - 1;
  if (indent === 0) return text;
  const re = new RegExp(`\n[ \t]{0,${indent}}`, 'g');
  return text.replace(re, '\n');
}


/** `text` as a Markdown blockquote (blank lines kept inside it). */
function quote(text: string): string {
  return text
    .split('\n')
    .map((l) => (l.trim() ? `> ${l}` : '>'))
    .join('\n');
}

/**
 * `<Aside type title>` -> a blockquote led by its label in bold (the title, or the type's
 * label as on the page: Note, Tip, Watch out). A live cell inside it stays a code cell; the
 * prose around it is quoted on both sides.
 */
function asidePieces(ctx: Ctx, el: MdxJsxFlowElement | MdxJsxTextElement, out: Piece[]): void {
  const label = attr(el, 'title') ?? (ASIDE_LABELS as Record<string, string>)[attr(el, 'type') ?? 'note'] ?? 'Note';
  const q: Ctx = { ...ctx, quoted: true };
  const kids: Piece[] = [];
  if (el.type === 'mdxJsxTextElement') kids.push({ kind: 'prose', text: inner(q, el), heading: false });
  else pieces(q, el.children as RootContent[], kids);
  let first = true;
  let prose: string[] = [];
  const emit = () => {
    const text = prose.join('\n\n').trim();
    prose = [];
    if (!text && !first) return;
    out.push({ kind: 'prose', text: quote(first ? `**${label}**${text ? `\n\n${text}` : ''}` : text), heading: false });
    first = false;
  };
  for (const p of kids) {
    if (p.kind === 'code') {
      emit();
      out.push(p);
    } else prose.push(p.text);
  }
  emit();
}

/** Whether a node is `<Fragment slot="caption">` (on its own lines or on one line). */
function captionSlot(node: RootContent): MdxJsxFlowElement | MdxJsxTextElement | undefined {
  const el = blockComponent(node);
  return el && el.name === 'Fragment' && attr(el, 'slot') === 'caption' ? el : undefined;
}

/**
 * `<Figure>` -> its content (images as `imageMarkdown` says; diagram components left out), then
 * its caption (the `caption` attribute or the `caption` slot) as an italic line.
 */
function figurePieces(ctx: Ctx, el: MdxJsxFlowElement | MdxJsxTextElement, out: Piece[]): void {
  let caption = attr(el, 'caption') ?? '';
  if (el.type === 'mdxJsxTextElement') {
    const kids = (el.children as Node[]).filter((k) => !(isComponent(k) && k.name === 'Fragment' && attr(k, 'slot') === 'caption'));
    const slot = (el.children as Node[]).find((k) => isComponent(k) && k.name === 'Fragment' && attr(k, 'slot') === 'caption');
    if (slot) caption = inner(ctx, slot as MdxJsxTextElement);
    const text = kids.length ? renderRange(ctx, span(kids[0]!)[0], span(kids[kids.length - 1]!)[1], kids).trim() : '';
    if (text) out.push({ kind: 'prose', text, heading: false });
  } else {
    const content: RootContent[] = [];
    for (const k of el.children as RootContent[]) {
      const slot = captionSlot(k);
      if (slot) caption = inner(ctx, slot);
      else content.push(k);
    }
    pieces(ctx, content, out);
  }
  const paras = caption
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s*\n\s*/g, ' ').trim())
    .filter(Boolean);
  if (paras.length) out.push({ kind: 'prose', text: paras.map((p) => `*${p}*`).join('\n\n'), heading: false });
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

function pieces(ctx: Ctx, nodes: RootContent[], out: Piece[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.type === 'mdxjsEsm' || node.type === 'mdxFlowExpression') continue;
    if (isCellFence(node)) {
      const id = parseFenceMeta(node.meta).attrs.get('id') ?? `cell-${i}`;
      const next = nodes[i + 1];
      if (isKerasFence(next)) {
        out.push({ kind: 'code', id, text: next.value, raises: parseFenceMeta(next.meta).flags.has('raises') });
        i++;
      }
      continue;
    }
    if (isKerasFence(node)) continue; // a stray twin: remark-cells already fails the build for it
    const el = blockComponent(node);
    if (el?.name === 'Aside') {
      asidePieces(ctx, el, out);
      continue;
    }
    if (el?.name === 'Figure') {
      figurePieces(ctx, el, out);
      continue;
    }
    if (el?.type === 'mdxJsxFlowElement') {
      // Any other paired component: its content, as the lesson's own blocks; a diagram: nothing.
      pieces(ctx, el.children as RootContent[], out);
      continue;
    }
    const text = render(ctx, node);
    if (!text.trim()) continue; // e.g. a one-line component with no content, an {/* comment */}
    out.push({ kind: 'prose', text, heading: !ctx.quoted && node.type === 'heading' && node.depth <= 3 });
  }
}

/** Splits text into nbformat's list-of-lines form (each line keeps its `\n`, the last has none). */
export function toLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)).filter((l, i, all) => !(i === all.length - 1 && l === ''));
}

/** The live cells of a lesson, in order, with their Keras twins (used by tests and the cheat sheet). */
export function lessonCells(body: string): LessonCellSource[] {
  return findCellFences(parse(body)).cells.map((c) => ({ id: c.id, lang: c.lang, source: c.node.value, keras: c.keras?.value }));
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
  pieces({ body: input.body, siteUrl: input.siteUrl }, parse(input.body).children, out);

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
