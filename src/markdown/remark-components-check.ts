/**
 * Checks every JSX element of a lesson (`<Aside …>`, `<LstmCell />`, `<details>`) before it is
 * rendered, so that a misspelt component, prop, value or slot stops the build at its line
 * instead of being dropped silently (`<Aside typ="tip">` would render a plain Note):
 *
 * - a capitalised name must be an author component (`AUTHOR_COMPONENTS`: handed to every lesson
 *   by the lesson page, no import needed), a name the lesson imports or exports, or `Fragment`
 *   (only for `slot="…"`); `<Cell>` is never written by hand (a ```js cell fence makes it);
 * - a lowercase name must be an HTML element (anything inside `<svg>` or `<math>`, and custom
 *   elements with a `-`, pass);
 * - each prop must be one the component declares in its `interface Props`, a required prop must
 *   be given, and a prop typed as a union of strings (`type?: 'note' | 'tip' | 'warning'`) must
 *   have one of those values when written as a string;
 * - `slot="x"` must sit directly inside a component that has the named slot `x`, and content
 *   between the tags of a component without `<slot />` would not be shown.
 *
 * The props and slots are read from each component's own `.astro` source
 * (./component-interface.ts): nothing is listed twice. Components the lesson imports from an
 * `.astro` file are checked the same way; any other import (a named import, a `.jsx`/`.mdx`
 * file) and a `{…spread}` are taken as they are, since nothing here can know what they accept.
 * HTML attributes are not checked.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Root } from 'mdast';
import type { MdxJsxAttribute, MdxJsxExpressionAttribute, MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx-jsx';
import type { Node, Parent } from 'unist';
import type { VFile } from 'vfile';
import { OPEN_INTERFACE, readComponentInterface, type ComponentInterface } from './component-interface';
import { closest } from '../site/closest';
import { problemAt, type LessonProblem } from './lesson-problems';

/**
 * The components every lesson may use without an import, and their files in src/components/.
 * The lesson page hands exactly these (plus the generated `Cell`) to MDX:
 * `<Content components={{ Cell, Aside, Figure }} />` in src/pages/lessons/[slug].astro
 * (tests/unit/site-lesson-check.test.ts keeps the two in step). Their props and slots come
 * from the files themselves.
 */
export const AUTHOR_COMPONENTS: Readonly<Record<string, string>> = {
  Aside: 'Aside.astro',
  Figure: 'Figure.astro',
};

/** A one-line description of each author component, for the "unknown component" message. */
const WHAT: Readonly<Record<string, string>> = {
  Aside: 'a note, tip or warning',
  Figure: 'a figure with a caption',
};

const COMPONENTS_DIR = fileURLToPath(new URL('../components/', import.meta.url));

/** HTML elements a lesson may write (lowercase JSX names are HTML elements, not components). */
const HTML_ELEMENTS = new Set(
  `a abbr address area article aside audio b bdi bdo blockquote br button canvas caption cite
  code col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption
  figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr i iframe img input ins kbd label legend li
  main map mark menu meter nav noscript object ol optgroup option output p picture pre progress q
  rp rt ruby s samp search section select small source span strong sub summary sup table tbody td
  template textarea tfoot th thead time tr track u ul var video wbr svg math`.split(/\s+/),
);

type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

export interface ComponentsCheckOptions {
  /** Where the author components' files are (default: src/components/ next to this folder). */
  componentsDir?: string;
}

/** Every problem with the lesson's JSX elements (see the module comment), in document order. */
export function componentProblems(tree: Root, file: Pick<VFile, 'path'>, options: ComponentsCheckOptions = {}): LessonProblem[] {
  const componentsDir = options.componentsDir ?? COMPONENTS_DIR;
  const problems: LessonProblem[] = [];
  const imported = importedComponents(tree, file);
  const interfaces = new Map<string, ComponentInterface>();
  const interfaceOf = (name: string): ComponentInterface | undefined => {
    if (!interfaces.has(name)) {
      const path = imported.has(name) ? imported.get(name) : name in AUTHOR_COMPONENTS ? join(componentsDir, AUTHOR_COMPONENTS[name]!) : undefined;
      if (path === undefined) return undefined;
      interfaces.set(name, path && existsSync(path) ? readComponentInterface(readFileSync(path, 'utf8')) : OPEN_INTERFACE);
    }
    return interfaces.get(name);
  };

  const visit = (node: Node, ancestors: Parent[]): void => {
    if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
      checkElement(node as JsxElement, ancestors);
    }
    const kids = (node as Parent).children;
    if (Array.isArray(kids)) for (const kid of kids) visit(kid, [...ancestors, node as Parent]);
  };

  const checkElement = (el: JsxElement, ancestors: Parent[]): void => {
    const at = (place: Node | undefined, message: string) => problems.push(problemAt(place?.position?.start ?? el.position?.start, message));
    const name = el.name;
    const attrs = el.attributes.filter((a): a is MdxJsxAttribute => a.type === 'mdxJsxAttribute');
    const slotAttr = attrs.find((a) => a.name === 'slot');
    if (slotAttr) checkSlot(el, slotAttr, ancestors, at);
    if (name === null) return; // <>…</>

    if (name.includes('.') || name.includes(':')) {
      const root = name.split(/[.:]/)[0]!;
      if (!imported.has(root)) at(el, `\`<${name}>\`: \`${root}\` is not imported. Import it at the top of the lesson, after the frontmatter.`);
      return;
    }

    if (/^[a-z]/.test(name)) {
      const inSvg = ancestors.some((a) => isJsx(a) && (a.name === 'svg' || a.name === 'math'));
      if (inSvg || name.includes('-') || HTML_ELEMENTS.has(name)) return;
      const guess = closest(name, [...HTML_ELEMENTS]);
      at(el, `\`<${name}>\` is not an HTML element${guess ? `; did you mean \`<${guess}>\`?` : '.'} (Components start with a capital letter.)`);
      return;
    }

    if (name === 'Fragment') {
      for (const a of attrs) {
        if (a.name !== 'slot') at(a, `Fragment has no prop \`${a.name}\`. Fragment takes only slot (as in <Fragment slot="caption">…</Fragment> inside a <Figure>).`);
      }
      return;
    }

    const spec = interfaceOf(name);
    if (!spec) {
      at(el, unknownComponent(name, file, componentsDir));
      return;
    }
    checkProps(name, spec, el, attrs, at);
    if (!spec.defaultSlot) {
      const content = el.children.find((c) => !isJsxWithSlot(c) && !(c.type === 'text' && !c.value.trim()));
      if (content) {
        const caption = spec.props === null || spec.props.has('caption') ? ` (a caption goes in caption="…")` : '';
        at(content, `${name} does not show what is written between its tags; write it as <${name} />${caption}.`);
      }
    }
  };

  const checkProps = (
    name: string,
    spec: ComponentInterface,
    el: JsxElement,
    attrs: MdxJsxAttribute[],
    at: (place: Node | undefined, message: string) => void,
  ): void => {
    const props = spec.props;
    if (!props) return;
    const names = [...props.keys()];
    const takes = names.length ? `${name} takes ${names.join(', ')}.` : `${name} takes no props.`;
    for (const a of attrs) {
      if (a.name === 'slot') continue;
      const prop = props.get(a.name);
      if (!prop) {
        const asValue = [...props].find(([, p]) => p.values?.includes(a.name));
        const guess = asValue ? `${asValue[0]}="${a.name}"` : closest(a.name, names);
        at(a, `${name} has no prop \`${a.name}\`${guess ? `; did you mean \`${guess}\`?` : '.'} ${takes}`);
        continue;
      }
      if (!prop.values) continue;
      const one = `${name}'s ${a.name} must be one of ${prop.values.join(', ')}`;
      if (a.value === null || a.value === undefined) {
        at(a, `${one}: write ${a.name}="${prop.values[0]}" (or another of them).`);
        continue;
      }
      const value = typeof a.value === 'string' ? a.value : /^\s*(['"`])([^'"`]*)\1\s*$/.exec(a.value.value)?.[2];
      if (value === undefined || prop.values.includes(value)) continue; // an expression: known only when the page renders
      const guess = closest(value, prop.values);
      at(a, `${one}, not "${value}"${guess ? `; did you mean "${guess}"?` : '.'}`);
    }
    const given = new Set(el.attributes.map((a: MdxJsxAttribute | MdxJsxExpressionAttribute) => (a.type === 'mdxJsxAttribute' ? a.name : '')));
    const spread = el.attributes.some((a) => a.type === 'mdxJsxExpressionAttribute');
    for (const [prop, info] of props) {
      if (!info.optional && !given.has(prop) && !spread) at(el, `${name} needs the prop \`${prop}\`. ${takes}`);
    }
  };

  const checkSlot = (
    el: JsxElement,
    slot: MdxJsxAttribute,
    ancestors: Parent[],
    at: (place: Node | undefined, message: string) => void,
  ): void => {
    const value = typeof slot.value === 'string' ? slot.value : undefined;
    const tag = el.name ?? '';
    const shown = `<${tag} slot="${value ?? '…'}">`;
    const parent = ancestors[ancestors.length - 1];
    const jsxParent = [...ancestors].reverse().find(isJsx);
    const isComponent = (n: JsxElement | undefined) => !!n?.name && /^[A-Z]/.test(n.name) && n.name !== 'Fragment';
    if (jsxParent && parent !== jsxParent && isComponent(jsxParent)) {
      // Written on the same line as other text (or without blank lines around it), the element
      // is part of a paragraph: the component never sees it as a slot, it shows as body text.
      at(slot, `${shown} is inside a paragraph, so ${jsxParent.name} does not take it as its ${value ?? ''} slot (it would show as body text). Put it on its own line with a blank line before and after, directly inside <${jsxParent.name}>.`);
      return;
    }
    const owner = parent && isJsx(parent) && isComponent(parent) ? parent.name! : undefined;
    const spec = owner ? interfaceOf(owner) : undefined;
    if (!owner || !spec) {
      at(slot, `slot="${value ?? '…'}" on <${tag}> only works directly inside a component that has that slot (such as <Figure>); here it does nothing. Move it inside the component, on its own lines, or remove slot.`);
      return;
    }
    if (value === undefined || spec.slots === null || spec.slots.has(value)) return;
    const slots = [...spec.slots];
    if (!slots.length) {
      at(slot, `${owner} has no named slots, so <${tag} slot="${value}"> would not be shown. Remove slot="${value}".`);
      return;
    }
    const guess = closest(value, slots);
    at(slot, `${owner} has no slot \`${value}\`${guess ? `; did you mean \`${guess}\`?` : '.'} ${owner}'s named slots: ${slots.join(', ')}.`);
  };

  visit(tree, []);
  return problems;
}

function isJsx(node: Node): node is JsxElement {
  return node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement';
}

function isJsxWithSlot(node: Node): boolean {
  return isJsx(node) && node.attributes.some((a) => a.type === 'mdxJsxAttribute' && a.name === 'slot');
}

/**
 * The names the lesson imports or exports (ESM at its top). A default import of an `.astro`
 * file maps to that file's path (its props are checked); any other name maps to '' (taken as is).
 */
function importedComponents(tree: Root, file: Pick<VFile, 'path'>): Map<string, string> {
  const names = new Map<string, string>();
  for (const node of tree.children) {
    if (node.type !== 'mdxjsEsm') continue;
    const program = (node.data as { estree?: { body?: EsNode[] } } | undefined)?.estree;
    for (const statement of program?.body ?? []) {
      if (statement.type === 'ImportDeclaration') {
        const source = String(statement.source?.value ?? '');
        for (const s of statement.specifiers ?? []) {
          const astro = s.type === 'ImportDefaultSpecifier' && source.endsWith('.astro') && file.path && source.startsWith('.');
          names.set(s.local.name, astro ? resolve(dirname(file.path!), source) : '');
        }
      } else if (statement.type.startsWith('Export')) {
        const decl = statement.declaration;
        for (const d of decl?.declarations ?? []) if (d.id?.name) names.set(d.id.name, '');
        if (decl?.id?.name) names.set(decl.id.name, '');
        for (const s of statement.specifiers ?? []) if (s.exported?.name) names.set(s.exported.name, '');
      }
    }
  }
  return names;
}

/** The bits of an ESTree statement read above. */
interface EsNode {
  type: string;
  source?: { value?: unknown };
  specifiers?: { type: string; local: { name: string }; exported?: { name?: string } }[];
  declaration?: { id?: { name?: string }; declarations?: { id?: { name?: string } }[] };
}

function unknownComponent(name: string, file: Pick<VFile, 'path'>, componentsDir: string): string {
  if (name === 'Cell') {
    return '`<Cell>` is not written by hand: a live cell is a fenced block that starts with ```js cell id="a-unique-name" (see content/README.md, Code cells).';
  }
  const diagramsDir = join(componentsDir, 'diagrams');
  const diagrams = existsSync(diagramsDir) ? readdirSync(diagramsDir).filter((f) => f.endsWith('.astro')).map((f) => f.slice(0, -6)) : [];
  if (diagrams.includes(name)) {
    const from = file.path ? relative(dirname(file.path), join(diagramsDir, `${name}.astro`)).split(sep).join('/') : `src/components/diagrams/${name}.astro`;
    return `${name} is not imported. Add \`import ${name} from '${from.startsWith('.') ? from : `./${from}`}';\` at the top of the lesson, after the frontmatter.`;
  }
  const known = [...Object.keys(AUTHOR_COMPONENTS), ...diagrams];
  const guess = closest(name, known);
  const authors = Object.keys(AUTHOR_COMPONENTS).map((c) => `<${c}> (${WHAT[c] ?? c})`).join(' and ');
  return (
    `there is no component \`<${name}>\`${guess ? `; did you mean \`<${guess}>\`?` : '.'} ` +
    `Lessons can use ${authors} without an import, HTML elements such as <details>, and components they import ` +
    `(the diagrams in src/components/diagrams/); see content/README.md, Components.`
  );
}
