/**
 * What an `.astro` component takes, read from its own source, so that the props a lesson may
 * pass are written in one place only: the component's `interface Props` (which Astro and
 * TypeScript already check in `.astro` pages).
 *
 * - props: the members of `interface Props { … }` (or `type Props = { … }`): name, whether it
 *   is optional (`name?:`) and, for a union of string literals (`'note' | 'tip'`), its values.
 *   A Props the reader below cannot take apart (`extends`, an index signature, a method, a
 *   `type Props` that is not an object literal) gives `props: null`: any prop passes. No Props
 *   at all: the component takes no props, unless it reads `Astro.props` (then any prop passes).
 * - slots: `<slot name="x" />` (or `Astro.slots.render('x')`) is the named slot `x`; `<slot />`
 *   is the default slot, which shows what is written between the tags. Without one, that
 *   content would be dropped.
 *
 * A regular-expression reader, not a TypeScript parser: enough for the simple Props of the
 * components lessons use (tests/unit/site-lesson-check.test.ts reads every one of them).
 */

export interface PropInfo {
  optional: boolean;
  /** The allowed values when the type is a union of string literals. */
  values?: string[];
}

export interface ComponentInterface {
  /** The props by name, in declaration order; null when unknown (any prop passes). */
  props: Map<string, PropInfo> | null;
  /** Named slots; null when unknown (a `<slot name={…}>` computed at run time). */
  slots: Set<string> | null;
  /** True when content between the tags is shown (`<slot />`). */
  defaultSlot: boolean;
}

/** A component about which nothing is known: any prop, slot and content pass. */
export const OPEN_INTERFACE: ComponentInterface = { props: null, slots: null, defaultSlot: true };

/** Reads an `.astro` file's props and slots (see the module comment). */
export function readComponentInterface(astroSource: string): ComponentInterface {
  const fm = /^\s*---\r?\n([\s\S]*?)\r?\n---/.exec(astroSource);
  const script = stripComments(fm?.[1] ?? '');
  return {
    props: readProps(script, /\bAstro\.props\b/.test(astroSource)),
    ...readSlots(astroSource),
  };
}

function readProps(script: string, readsProps: boolean): Map<string, PropInfo> | null {
  const decl = /\binterface\s+Props\b\s*(extends\b)?[^{]*\{|\btype\s+Props\s*=\s*(\{)?/.exec(script);
  if (!decl) return readsProps ? null : new Map();
  if (decl[1] || (decl[0].startsWith('type') && !decl[2])) return null;
  const open = decl.index + decl[0].length - 1;
  const close = matchingBrace(script, open);
  if (close < 0) return null;
  const body = script.slice(open + 1, close);
  const flat = maskNested(body);
  // Anything at the top level other than `name?: type` members (an index signature `[k: string]`,
  // a method `f(): void`) means the reader cannot know every prop.
  if (/(^|[;,\n])\s*(\[|(?:readonly\s+)?[A-Za-z_$][\w$]*\s*\??\s*[(<])/.test(flat)) return null;
  const member = /(^|[;,\n])\s*(?:readonly\s+)?(?:(['"])[^'"]*\2|([A-Za-z_$][\w$]*))\s*(\?)?\s*:/g;
  const starts: { name: string; optional: boolean; at: number; typeAt: number }[] = [];
  for (const m of flat.matchAll(member)) {
    // Quoted names are blanked in `flat`: read them from `body` (same offsets).
    const name = m[3] ?? /(['"])([^'"]*)\1/.exec(body.slice(m.index, m.index! + m[0].length))![2]!;
    starts.push({ name, optional: m[4] === '?', at: m.index! + m[1]!.length, typeAt: m.index! + m[0].length });
  }
  if (flat.slice(0, starts[0]?.at ?? flat.length).trim() !== '') return null;
  const props = new Map<string, PropInfo>();
  starts.forEach((s, i) => {
    const type = body.slice(s.typeAt, starts[i + 1]?.at ?? body.length).trim().replace(/[;,]$/, '').trim();
    const literals = /^\|?\s*(?:'[^']*'|"[^"]*")(?:\s*\|\s*(?:'[^']*'|"[^"]*"))*$/.test(type)
      ? [...type.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2]!)
      : undefined;
    props.set(s.name, literals ? { optional: s.optional, values: literals } : { optional: s.optional });
  });
  return props;
}

function readSlots(source: string): Pick<ComponentInterface, 'slots' | 'defaultSlot'> {
  let slots: Set<string> | null = new Set();
  let defaultSlot = false;
  for (const m of source.matchAll(/<slot\b([^>]*)>/g)) {
    const name = /\bname\s*=\s*(?:"([^"]*)"|'([^']*)'|(\{))/.exec(m[1]!);
    if (!name) defaultSlot = true;
    else if (name[3]) slots = null;
    else slots?.add(name[1] ?? name[2]!);
  }
  for (const m of source.matchAll(/\bAstro\.slots\.render\(\s*(?:'([^']*)'|"([^"]*)"|([^)]))/g)) {
    const name = m[1] ?? m[2];
    if (name === undefined) slots = null;
    else if (name === 'default') defaultSlot = true;
    else slots?.add(name);
  }
  return { slots, defaultSlot };
}

function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '));
}

/** Index of the `}` that closes the `{` at `open` (strings skipped); -1 if none. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      i = endOfString(text, i);
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function endOfString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return text.length;
}

/**
 * The text with the inside of every bracket pair (`{}`, `[]`, `()`, `<>`) and string blanked
 * out (same length), so that only the top level of an object type is left to read.
 */
function maskNested(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      const end = endOfString(text, i);
      out += depth ? ' '.repeat(end - i + 1) : c + ' '.repeat(Math.max(0, end - i - 1)) + (text[end] ?? '');
      i = end;
      continue;
    }
    const opens = '{[(<'.includes(c);
    const closes = '}])'.includes(c) || (c === '>' && text[i - 1] !== '=');
    if (opens) {
      out += depth ? ' ' : c;
      depth++;
    } else if (closes && depth > 0) {
      depth--;
      out += depth ? ' ' : c;
    } else {
      out += depth ? (c === '\n' ? '\n' : ' ') : c;
    }
  }
  return out;
}
