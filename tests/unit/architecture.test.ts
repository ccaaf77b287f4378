/**
 * The import rules of docs/ARCHITECTURE.md ("Imports go one way"), checked on every source
 * file under src/ so that a rule broken by a change fails `npm test` instead of living on as
 * prose. Each folder may import the folders listed for it (and itself); any other `src/`
 * folder is an upward or sideways import. Packages are checked where a layer promises to stay
 * free of them (no tfjs in cells or ui, no `node:` modules in code that runs in the browser),
 * and the worker-side layers must not touch the DOM.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/** Folder -> the other src/ folders (or single files, `folder/file`) it may import. */
const ALLOWED: Record<string, string[]> = {
  cells: [],
  rnn: [],
  // The site build's `@tensorflow/tfjs` (core, layers, cpu backend; an alias in astro.config.mjs).
  tfjs: [],
  // The page/worker contract (messages, display bundles, Keras number formatting, PickedFile):
  // both sides import it, so it imports nothing (no DOM, no tfjs, no other layer).
  contract: [],
  kernel: ['contract', 'cells', 'rnn'],
  // The page talks to the worker only through the contract; `kernel/worker` is the worker's
  // entry, named in `new Worker(new URL(…))` (a separate bundle), the one kernel file the page
  // may name. `cells/parse` and `cells/scope` (pure, loaded by dynamic import) find which cell
  // defines a name after a ReferenceError (docs/ARCHITECTURE.md, "One more arrow").
  ui: ['contract', 'kernel/worker', 'site/url', 'styles', 'cells/parse', 'cells/scope'],
  // Build-time utilities (only site/url.ts is shared with the page, see FORBIDDEN_PACKAGES);
  // the notebook export reads cell fences the way the markdown plugins do.
  site: ['markdown'],
  markdown: ['site', 'cells'],
  components: ['site', 'ui'],
  layouts: ['site', 'components', 'ui', 'styles'],
  // `rnn/data/imdb-format`: the build writes the data-availability marker in the loader's format.
  pages: ['site', 'components', 'layouts', 'markdown', 'styles', 'rnn/data/imdb-format'],
  styles: [],
};

/**
 * Packages a folder (or one file, `folder/file.ts`) must not import (prefix match). `node:` is
 * for build-time code only; `site/url.ts` is the one build-time module the page also loads.
 */
const FORBIDDEN_PACKAGES: Record<string, string[]> = {
  cells: ['@tensorflow/', 'node:'],
  rnn: ['node:'],
  tfjs: ['node:'],
  kernel: ['node:'],
  ui: ['@tensorflow/', 'node:'],
  'site/url.ts': ['node:'],
};

/** Folders whose code runs in the worker (or on both sides): no DOM. */
const NO_DOM = ['cells', 'contract', 'kernel', 'rnn'];
const DOM_NAMES = /\b(document|window|HTMLElement|customElements|localStorage|sessionStorage|getComputedStyle)\b/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mts|astro)$/.test(name) && !/\.wasm\.ts$/.test(name)) out.push(p);
  }
  return out;
}

/** The module specifiers a file imports: static, re-exports, dynamic `import('…')` and `new URL('…', import.meta.url)`. */
export function importsOf(text: string): string[] {
  const code = stripComments(text);
  const specs: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[\w*{}\s,$]+\s+from\s+['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bnew URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) specs.push(m[1]!);
  return specs;
}

/** Removes comments (and keeps strings), so that prose about `document` is not code. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|(^|[^:'"\\])\/\/.*$/gm, '$1');
}

const folderOf = (file: string) => relative(SRC, file).split(sep)[0]!;

const files = sourceFiles(SRC);

describe('architecture: imports go one way', () => {
  it('finds the source folders it checks', () => {
    for (const f of ['cells', 'contract', 'kernel', 'rnn', 'ui']) expect(files.some((p) => folderOf(p) === f)).toBe(true);
  });

  it('every relative import stays inside the folders its layer may use', () => {
    const bad: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      if (!(from in ALLOWED)) continue;
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = relative(SRC, resolve(dirname(file), spec));
        if (target.startsWith('..')) continue; // outside src/ (e.g. content)
        const parts = target.split(sep);
        const to = parts[0]!;
        if (to === from || !parts[1]) continue;
        const toFile = `${to}/${parts.slice(1).join('/').replace(/\.(ts|js)$/, '')}`;
        const allowed = ALLOWED[from]!.some((a) => a === to || a === toFile);
        if (!allowed) bad.push(`${relative(SRC, file)} imports ${spec} (${from} -> ${toFile})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('layers stay free of the packages they promise not to use', () => {
    const bad: string[] = [];
    for (const file of files) {
      const banned = FORBIDDEN_PACKAGES[folderOf(file)] ?? FORBIDDEN_PACKAGES[relative(SRC, file).split(sep).join('/')];
      if (!banned) continue;
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (banned.some((b) => spec.startsWith(b))) bad.push(`${relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the contract imports no package at all (plain types and pure functions both sides load)', () => {
    const bad: string[] = [];
    for (const file of files) {
      if (folderOf(file) !== 'contract') continue;
      for (const spec of importsOf(readFileSync(file, 'utf8'))) if (!spec.startsWith('.')) bad.push(`${relative(SRC, file)} imports ${spec}`);
    }
    expect(bad).toEqual([]);
  });

  it('cells, contract, kernel and rnn do not touch the DOM (they run in the worker)', () => {
    const bad: string[] = [];
    for (const file of files) {
      if (!NO_DOM.includes(folderOf(file))) continue;
      const code = stripComments(readFileSync(file, 'utf8')).replace(/(['"`])(?:\\.|(?!\1)[^\\])*\1/g, '""');
      code.split('\n').forEach((line, i) => {
        const m = DOM_NAMES.exec(line);
        if (m) bad.push(`${relative(SRC, file)}:${i + 1} uses ${m[1]}`);
      });
    }
    expect(bad).toEqual([]);
  });

  it('the checker itself catches what it is for', () => {
    expect(importsOf("import { a } from '../kernel/kernel';\nconst x = import('node:fs');")).toEqual(['../kernel/kernel', 'node:fs']);
    expect(importsOf("// import { a } from '../ui/cell';\nexport { b } from './b';")).toEqual(['./b']);
    expect(importsOf("new Worker(new URL('../kernel/worker.ts', import.meta.url))")).toEqual(['../kernel/worker.ts']);
  });
});
