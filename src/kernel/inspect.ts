/**
 * A readable, bounded text form of any JavaScript value, in the spirit of Node's
 * `util.inspect` (which does not exist in a browser worker): strings quoted inside
 * structures, long arrays truncated ("… 24900 more items"), nesting limited, cycles marked,
 * short structures on one line and longer ones broken over lines with indentation.
 *
 * Tensors and models met inside a structure are described briefly; the caller passes a
 * `describe` hook for such special objects.
 */

export interface InspectOptions {
  /** Items shown per array / entries per object before "… n more". */
  maxItems?: number;
  /** Levels of nesting shown before "[Object]" / "[Array]". */
  depth?: number;
  /** Longest single line before a structure is broken over lines. */
  width?: number;
  /** Longest string shown inside a structure. */
  maxString?: number;
  /** Returns a short text for objects it recognises (tensors, models), else undefined. */
  describe?: (value: object) => string | undefined;
}

const DEFAULTS = { maxItems: 100, depth: 3, width: 80, maxString: 1000 };

/** The readable, bounded text form of `value` described above, with `options` overriding the defaults. */
export function inspect(value: unknown, options: InspectOptions = {}): string {
  const opts = { ...DEFAULTS, ...options };
  const seen = new Set<object>();

  const fmt = (v: unknown, level: number, indent: string): string => {
    switch (typeof v) {
      case 'string': {
        const s = v.length > opts.maxString ? `${v.slice(0, opts.maxString)}… (${v.length} chars)` : v;
        return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
      }
      case 'number':
        return Object.is(v, -0) ? '-0' : String(v);
      case 'bigint':
        return `${v}n`;
      case 'symbol':
        return v.toString();
      case 'undefined':
        return 'undefined';
      case 'boolean':
        return String(v);
      case 'function': {
        const isClass = /^class\b/.test(Function.prototype.toString.call(v));
        return `[${isClass ? 'class' : 'Function'}${v.name ? `: ${v.name}` : ' (anonymous)'}]`;
      }
    }
    if (v === null) return 'null';
    const obj = v as object;
    const special = opts.describe?.(obj);
    if (special !== undefined) return special;
    if (seen.has(obj)) return '[Circular]';
    if (obj instanceof Date) return isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
    if (obj instanceof RegExp) return String(obj);
    if (obj instanceof Error) return obj.stack?.split('\n')[0] ?? `${obj.name}: ${obj.message}`;
    if (obj instanceof Promise) return 'Promise { … }';
    if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) {
      const arr = obj as unknown as ArrayLike<number | bigint> & { constructor: { name: string } };
      const items = Array.from({ length: Math.min(arr.length, opts.maxItems) }, (_, i) =>
        typeof arr[i] === 'bigint' ? `${arr[i]}n` : String(arr[i]),
      );
      if (arr.length > opts.maxItems) items.push(more(arr.length - opts.maxItems));
      return `${arr.constructor.name}(${arr.length}) ${wrap('[', ']', items, indent)}`;
    }
    if (obj instanceof ArrayBuffer) return `ArrayBuffer { byteLength: ${obj.byteLength} }`;
    if (level > opts.depth) return Array.isArray(obj) ? '[Array]' : `[${ctorName(obj) ?? 'Object'}]`;
    seen.add(obj);
    try {
      const inner = indent + '  ';
      if (Array.isArray(obj)) {
        const n = Math.min(obj.length, opts.maxItems);
        const items: string[] = [];
        for (let i = 0; i < n; i++) items.push(i in obj ? fmt(obj[i], level + 1, inner) : '<empty>');
        if (obj.length > n) items.push(more(obj.length - n));
        return wrap('[', ']', items, indent);
      }
      if (obj instanceof Map) {
        const items: string[] = [];
        for (const [k, val] of obj) {
          if (items.length >= opts.maxItems) {
            items.push(more(obj.size - opts.maxItems));
            break;
          }
          items.push(`${fmt(k, level + 1, inner)} => ${fmt(val, level + 1, inner)}`);
        }
        return `Map(${obj.size}) ${wrap('{', '}', items, indent)}`;
      }
      if (obj instanceof Set) {
        const items: string[] = [];
        for (const val of obj) {
          if (items.length >= opts.maxItems) {
            items.push(more(obj.size - opts.maxItems));
            break;
          }
          items.push(fmt(val, level + 1, inner));
        }
        return `Set(${obj.size}) ${wrap('{', '}', items, indent)}`;
      }
      const keys = Object.keys(obj);
      const items: string[] = [];
      for (const key of keys.slice(0, opts.maxItems)) {
        const shown = /^[A-Za-z_$][\w$]*$/.test(key) ? key : fmt(key, level + 1, inner);
        let val: unknown;
        try {
          val = (obj as Record<string, unknown>)[key];
        } catch {
          val = '[getter threw]';
        }
        items.push(`${shown}: ${fmt(val, level + 1, inner)}`);
      }
      if (keys.length > opts.maxItems) items.push(more(keys.length - opts.maxItems));
      const name = ctorName(obj);
      const prefix = name && name !== 'Object' ? `${name} ` : '';
      return prefix + (items.length ? wrap('{', '}', items, indent, true) : '{}');
    } finally {
      seen.delete(obj);
    }
  };

  const wrap = (open: string, close: string, items: string[], indent: string, spaced = false): string => {
    if (items.length === 0) return `${open}${close}`;
    const pad = spaced ? ' ' : '';
    const one = `${open}${pad}${items.join(', ')}${pad}${close}`;
    if (one.length + indent.length <= opts.width && !one.includes('\n')) return one;
    const inner = indent + '  ';
    return `${open}\n${items.map((s) => inner + s).join(',\n')}\n${indent}${close}`;
  };

  return fmt(value, 0, '');
}

function more(n: number): string {
  return `... ${n} more item${n === 1 ? '' : 's'}`;
}

function ctorName(obj: object): string | undefined {
  const proto = Object.getPrototypeOf(obj);
  if (proto === null) return '[Object: null prototype]';
  return proto?.constructor?.name;
}
