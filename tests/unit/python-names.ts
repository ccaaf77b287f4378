/**
 * A deliberately small static check for the Keras twins exported to Jupyter: every name a cell
 * uses must be a Python builtin or defined earlier in the notebook (imported, assigned, a def,
 * class, loop or `with … as` target) or in the same cell. It reads Python by rules, not with a
 * parser (there is no Python in the test environment): strings and comments are blanked first,
 * attribute names (`x.name`) and keyword arguments (`f(name=…)`) are not uses.
 * It catches the mistakes that break "Run all": a missing import, a constant defined only on the
 * site, a helper that exists only in TensorFlow.js.
 */

const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

const BUILTINS = new Set(
  'print range len type round int float str bool list dict set tuple zip enumerate sum min max abs isinstance issubclass super self cls object sorted reversed map filter any all open repr format getattr setattr hasattr iter next divmod pow Exception ValueError TypeError KeyError IndexError ImportError RuntimeError StopIteration __name__ __file__'.split(' '),
);

/** Replaces string literals and comments by spaces (keeps line structure). */
export function blankStringsAndComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') { out += ' '; i++; }
      continue;
    }
    // A string prefix (f"…", r'…', b"…", rb, fr, u) is part of the literal, not a name.
    const prefix = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])(?=['"])/.exec(src.slice(i, i + 3));
    if (prefix && !/[A-Za-z0-9_]/.test(src[i - 1] ?? '')) {
      out += ' '.repeat(prefix[0].length);
      i += prefix[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = src.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      out += ' '.repeat(q.length);
      i += q.length;
      while (i < src.length && !src.startsWith(q, i)) {
        if (src[i] === '\\') { out += '  '; i += 2; continue; }
        out += src[i] === '\n' ? '\n' : ' ';
        i++;
      }
      out += ' '.repeat(q.length);
      i += q.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

/** Names a cell defines (imports, assignments, def/class, for/with/except/lambda targets, parameters). */
export function definedNames(cell: string): Set<string> {
  const code = blankStringsAndComments(cell);
  const names = new Set<string>();
  const add = (text: string) => {
    for (const m of text.matchAll(IDENT)) if (!KEYWORDS.has(m[0])) names.add(m[0]);
  };
  // from x import a, b as c, (d, e)
  for (const m of code.matchAll(/^\s*from\s+[\w.]+\s+import\s+\(?([^)]*?)\)?\s*$/gm)) {
    for (const part of m[1].split(',')) {
      const p = part.trim().split(/\s+as\s+/);
      if (p[0]) names.add((p[1] ?? p[0]).trim());
    }
  }
  // import a.b as c, d
  for (const m of code.matchAll(/^\s*import\s+(.+)$/gm)) {
    for (const part of m[1].split(',')) {
      const p = part.trim().split(/\s+as\s+/);
      names.add(p[1] ? p[1].trim() : p[0].trim().split('.')[0]);
    }
  }
  // def f(a, b=1, *args, **kw) / class C(Base)
  for (const m of code.matchAll(/^\s*def\s+(\w+)\s*\(([^)]*)\)/gm)) {
    names.add(m[1]);
    for (const param of m[2].split(',')) add(param.split('=')[0].replace(/[*:].*$/, (s) => (s.startsWith('*') ? s.slice(s.lastIndexOf('*') + 1) : '')));
  }
  for (const m of code.matchAll(/^\s*class\s+(\w+)/gm)) names.add(m[1]);
  // for a, (b, c) in … (statements and comprehensions)
  for (const m of code.matchAll(/\bfor\s+([\w\s,()]+?)\s+in\b/g)) add(m[1]);
  // with … as x / except E as e
  for (const m of code.matchAll(/\bas\s+(\w+)/g)) names.add(m[1]);
  // lambda a, b:
  for (const m of code.matchAll(/\blambda\s+([\w\s,]*):/g)) add(m[1]);
  // assignments: the part of a logical line before a lone "=" (or an augmented one)
  for (const line of code.split('\n')) {
    const m = /^\s*([^=]*?[^=!<>+\-*/%&|^@:])\s*(?:[+\-*/%&|^@]|\/\/|\*\*)?=(?!=)/.exec(line);
    const balanced = (t: string) => (t.match(/[([]/g) ?? []).length === (t.match(/[)\]]/g) ?? []).length;
    // A keyword argument inside a call (`f(x, epochs=3)`) leaves an open bracket before its "=".
    if (m && balanced(m[1]) && !/\w\s*\(/.test(m[1]) && !/\bdef\b|\bclass\b|\blambda\b/.test(m[1])) {
      // a, b = … ; (a, b), (c, d) = … ; x[0] = … defines nothing new ; obj.attr = … neither
      const lhs = m[1].replace(/\[[^\]]*\]/g, '').replace(/\.\s*\w+/g, '');
      add(lhs);
    }
  }
  return names;
}

/** Names a cell reads that are not attributes, keyword arguments or keywords. */
export function usedNames(cell: string): Set<string> {
  // Import statements name modules, not variables: blank them (what they bind is in definedNames).
  const code = blankStringsAndComments(cell).replace(/^\s*(?:from\s+[\w.]+\s+)?import\s+.*$/gm, '');
  const used = new Set<string>();
  for (const m of code.matchAll(IDENT)) {
    const name = m[0];
    const start = m.index ?? 0;
    const before = code.slice(0, start).replace(/\s+$/, '');
    const after = code.slice(start + name.length);
    if (KEYWORDS.has(name)) continue;
    if (before.endsWith('.')) continue; // attribute
    if (/^\s*=(?!=)/.test(after) && /[(,]\s*$/.test(before)) continue; // keyword argument
    if (/^\d/.test(name)) continue;
    // numbers like 3e-3 produce "e" after a digit
    if (/[0-9]$/.test(code.slice(Math.max(0, start - 1), start))) continue;
    used.add(name);
  }
  return used;
}

/** Problems found in a sequence of cells: `cell-id: name` for every name used before it exists. */
export function undefinedNames(cells: { id: string; source: string }[]): string[] {
  const known = new Set<string>(BUILTINS);
  const problems: string[] = [];
  for (const cell of cells) {
    const defined = definedNames(cell.source);
    for (const name of usedNames(cell.source)) {
      if (!known.has(name) && !defined.has(name)) problems.push(`${cell.id}: ${name}`);
    }
    for (const d of defined) known.add(d);
  }
  return problems;
}
