/**
 * A tiny element builder for the notebook UI: `h('button', { class: 'x', onclick }, 'Run')`.
 * Attributes whose value is `false`, `null` or `undefined` are left out; `on*` functions
 * become event listeners; strings become text nodes (never HTML).
 */

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, unknown>;

/** Creates a `tag` element with the given attributes, listeners and children (arrays are flattened). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value as EventListener);
    } else if (key === 'class') {
      el.className = String(value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

/** Appends children (nested arrays allowed), turning strings and numbers into text. */
export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

let uid = 0;
/** A page-unique id for aria references. */
export function uniqueId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}
