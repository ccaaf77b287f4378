/**
 * Generates the API reference from the code's own doc comments, as CodeMirror does: every
 * export of `src/cells`, `src/contract`, `src/kernel`, `src/rnn` and `src/ui`, one table per folder, with the
 * first sentence of its doc comment, written to docs/API.md. The public names a cell sees
 * (`src/rnn/index.ts`) also go into src/rnn/README.md between `<!-- api:start -->` and
 * `<!-- api:end -->`.
 *
 *   npm run docs:api           rewrite the generated files
 *   npm run docs:api -- --check  exit 1 when they differ from the code (tests/unit/api-docs.test.ts)
 *
 * An export without a doc comment is listed as "(undocumented)"; the unit test fails on any.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FOLDERS = ['cells', 'contract', 'kernel', 'rnn', 'ui'] as const;
const API_MD = join(ROOT, 'docs/API.md');
const RNN_README = join(ROOT, 'src/rnn/README.md');
const START = '<!-- api:start -->';
const END = '<!-- api:end -->';

/** One exported name: where it is declared, its kind and the first sentence of its doc. */
export interface ApiEntry {
  file: string;
  name: string;
  kind: string;
  summary: string | null;
}

function sourceFiles(): string[] {
  const out: string[] = [];
  for (const folder of FOLDERS) {
    out.push(...ts.sys.readDirectory(join(ROOT, 'src', folder), ['.ts'], undefined, undefined).filter((f) => !f.endsWith('.wasm.ts') && !f.endsWith('.d.ts')));
  }
  return out.sort();
}

function kindOf(decl: ts.Declaration | undefined): string {
  if (!decl) return 'value';
  if (ts.isFunctionDeclaration(decl)) return 'function';
  if (ts.isClassDeclaration(decl)) return 'class';
  if (ts.isInterfaceDeclaration(decl)) return 'interface';
  if (ts.isTypeAliasDeclaration(decl)) return 'type';
  if (ts.isEnumDeclaration(decl)) return 'enum';
  if (ts.isVariableDeclaration(decl)) return 'const';
  if (ts.isModuleDeclaration(decl)) return 'namespace';
  return 'value';
}

function firstSentence(text: string): string | null {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return null;
  const m = /^(.+?[.!?])(\s|$)/.exec(flat);
  return (m ? m[1]! : flat).replace(/\|/g, '\\|');
}

/** Every export declared in the four folders (re-exports are listed where they are declared). */
export function collectApi(): ApiEntry[] {
  const files = sourceFiles();
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowJs: false,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const entries: ApiEntry[] = [];
  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (!sf) continue;
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    if (!moduleSymbol) continue;
    for (const sym of checker.getExportsOfModule(moduleSymbol)) {
      if (sym.flags & ts.SymbolFlags.Alias) continue; // a re-export: documented where declared
      const decl = sym.declarations?.[0];
      if (!decl || decl.getSourceFile() !== sf) continue;
      let doc = ts.displayPartsToString(sym.getDocumentationComment(checker));
      // `export const x = …` keeps its comment on the variable statement.
      if (!doc && ts.isVariableDeclaration(decl)) {
        const jsdoc = ts.getJSDocCommentsAndTags(decl.parent.parent);
        doc = jsdoc.map((d) => (typeof d.comment === 'string' ? d.comment : ts.getTextOfJSDocComment(d.comment) ?? '')).join(' ');
      }
      entries.push({ file: relative(ROOT, file), name: sym.getName(), kind: kindOf(decl), summary: firstSentence(doc) });
    }
  }
  return entries;
}

/** The public names of `src/rnn/index.ts` (what a cell sees as `rnn.*`). */
function rnnPublic(all: ApiEntry[]): ApiEntry[] {
  const index = readFileSync(join(ROOT, 'src/rnn/index.ts'), 'utf8');
  const names = new Set<string>();
  for (const m of index.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim();
      if (name) names.add(name);
    }
  }
  for (const m of index.matchAll(/export\s+(?:async\s+)?(?:function|const|class|interface|type)\s+(\w+)/g)) names.add(m[1]!);
  // `export * as name from …`: a namespace, documented by the comment on that line.
  const namespaceDocs = new Map<string, string | null>();
  for (const m of index.matchAll(/(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?export\s+\*\s+as\s+(\w+)/g)) {
    names.add(m[2]!);
    namespaceDocs.set(m[2]!, m[1] ? firstSentence(m[1].replace(/^\s*\*\s?/gm, ' ')) : null);
  }
  const byName = new Map<string, ApiEntry>();
  for (const e of all) if (e.file.startsWith('src/rnn/') && !byName.has(e.name)) byName.set(e.name, e);
  return [...names]
    .sort((a, b) => a.localeCompare(b))
    .map((n) => byName.get(n) ?? { file: 'src/rnn/index.ts', name: n, kind: 'namespace', summary: namespaceDocs.get(n) ?? null });
}

const row = (e: ApiEntry, withFile: boolean) =>
  `| ${withFile ? `\`${e.file.replace(/^src\/[a-z]+\//, '')}\` | ` : ''}\`${e.name}\` | ${e.kind} | ${e.summary ?? '(undocumented)'} |`;

/** The text of docs/API.md. */
export function renderApiMarkdown(entries: ApiEntry[]): string {
  const parts = [
    '# API reference (generated)',
    '',
    'Generated by `npm run docs:api` from the doc comments in the code; do not edit by hand',
    '(`tests/unit/api-docs.test.ts` fails when this file and the code disagree). The layering and',
    'the contracts between the folders are in [ARCHITECTURE.md](./ARCHITECTURE.md).',
  ];
  for (const folder of FOLDERS) {
    const rows = entries.filter((e) => e.file.startsWith(`src/${folder}/`));
    parts.push('', `## src/${folder}`, '', '| module | export | kind | what |', '| --- | --- | --- | --- |', ...rows.map((e) => row(e, true)));
  }
  return parts.join('\n') + '\n';
}

/** src/rnn/README.md with its generated public-API table replaced. */
export function renderRnnReadme(entries: ApiEntry[], current: string): string {
  const table = ['| name | kind | what |', '| --- | --- | --- |', ...rnnPublic(entries).map((e) => row(e, false))].join('\n');
  const block = `${START}\n${table}\n${END}`;
  if (current.includes(START) && current.includes(END)) {
    return current.slice(0, current.indexOf(START)) + block + current.slice(current.indexOf(END) + END.length);
  }
  return `${current.trimEnd()}\n\n## Public API (generated by \`npm run docs:api\`)\n\n${block}\n`;
}

/** The generated files and their wanted contents. */
export function generatedFiles(): { path: string; text: string }[] {
  const entries = collectApi();
  return [
    { path: API_MD, text: renderApiMarkdown(entries) },
    { path: RNN_README, text: renderRnnReadme(entries, readFileSync(RNN_README, 'utf8')) },
  ];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { path, text } of generatedFiles()) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      /* missing: written below */
    }
    if (current === text) continue;
    if (check) {
      console.error(`${relative(ROOT, path)} is out of date: run npm run docs:api`);
      stale++;
    } else {
      writeFileSync(path, text);
      console.log(`wrote ${relative(ROOT, path)}`);
    }
  }
  process.exit(stale ? 1 : 0);
}
