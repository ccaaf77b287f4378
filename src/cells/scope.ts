/**
 * Scope analysis of a parsed cell. Two walks, in the manner of acorn-globals and Observable
 * Framework's references.ts: the first records which names each function, block and catch
 * clause declares; the second resolves every identifier that is read or written against that
 * chain of scopes. The outcome tells the transpiler which identifiers belong to the notebook
 * (top-level declarations of the cell, or free names) and which are ordinary locals.
 *
 * Unlike Observable, function and class declarations in blocks are block scoped (cells are
 * module code, hence strict), and `var` anywhere outside a function is a top-level name.
 */
import type { AnyNode, Identifier, Node, Pattern } from 'acorn';
import { ancestor } from 'acorn-walk';

/** One identifier that reads or writes a notebook name (a top-level declaration or a free name). */
export interface IdentifierUse {
  node: Identifier;
  /** 'top' = declared at the top level of the cell; 'free' = declared nowhere in the cell. */
  binding: 'top' | 'free';
  /** True when the identifier is written (assignment target, `++`, for-in/of head). */
  write: boolean;
  /** True when it is the operand of `typeof`. */
  typeofOperand: boolean;
  /** True for the `x` of a shorthand property `{x}` / `{x = 1}`: it must become `x: …`. */
  shorthand: boolean;
  /** Number of ancestors (used to order nested rewrites). */
  depth: number;
}

/** What the scope analysis found: the cell's top-level names and every use of a notebook name. */
export interface ScopeInfo {
  /** Names declared at the top level of the cell, in source order, without duplicates. */
  declarations: string[];
  /** Every use of a top-level or free name. */
  uses: IdentifierUse[];
}

type Scoped = Node;

function isFunction(node: Node): boolean {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression'
  );
}

function isBlockScope(node: Node): boolean {
  return (
    node.type === 'BlockStatement' ||
    node.type === 'StaticBlock' ||
    node.type === 'SwitchStatement' ||
    node.type === 'ForStatement' ||
    node.type === 'ForInStatement' ||
    node.type === 'ForOfStatement' ||
    isFunction(node)
  );
}

/** Names bound by a destructuring pattern, with their identifier nodes. */
export function patternIdentifiers(pattern: Pattern, out: Identifier[] = []): Identifier[] {
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties) patternIdentifiers(p.type === 'Property' ? p.value : p.argument, out);
      break;
    case 'ArrayPattern':
      for (const e of pattern.elements) if (e) patternIdentifiers(e, out);
      break;
    case 'RestElement':
      patternIdentifiers(pattern.argument, out);
      break;
    case 'AssignmentPattern':
      patternIdentifiers(pattern.left, out);
      break;
  }
  return out;
}

/** Finds the names a cell declares at its top level and every use of those or of free names. */
export function analyzeScope(root: Node): ScopeInfo {
  const locals = new Map<Scoped, Set<string>>();
  const declarations: string[] = [];
  // An expression cell has no top level of its own: its root may itself be a function.
  const top: Node | null = root.type === 'Program' ? root : null;

  const declare = (scope: Scoped, name: string) => {
    let set = locals.get(scope);
    if (!set) locals.set(scope, (set = new Set()));
    set.add(name);
    if (scope === top && !declarations.includes(name)) declarations.push(name);
  };
  const nearest = (parents: AnyNode[], test: (n: Node) => boolean, skipSelf: boolean): Scoped => {
    for (let i = parents.length - (skipSelf ? 2 : 1); i >= 0; i--) {
      if (parents[i] === root || test(parents[i])) return parents[i];
    }
    return root;
  };
  const declareFunction = (node: AnyNode) => {
    const fn = node as unknown as { params: Pattern[]; id?: Identifier | null; type: string };
    for (const p of fn.params) for (const id of patternIdentifiers(p)) declare(node, id.name);
    if (fn.type === 'FunctionExpression' && fn.id) declare(node, fn.id.name);
    if (fn.type !== 'ArrowFunctionExpression') declare(node, 'arguments');
  };

  ancestor(root, {
    VariableDeclaration(node, _state, parents) {
      const scope =
        node.kind === 'var' ? nearest(parents, isFunction, true) : nearest(parents, isBlockScope, true);
      for (const d of node.declarations) for (const id of patternIdentifiers(d.id)) declare(scope, id.name);
    },
    FunctionDeclaration(node, _state, parents) {
      if (node.id) declare(nearest(parents, isBlockScope, true), node.id.name);
      declareFunction(node);
    },
    FunctionExpression: declareFunction,
    ArrowFunctionExpression: declareFunction,
    ClassDeclaration(node, _state, parents) {
      if (node.id) declare(nearest(parents, isBlockScope, true), node.id.name);
    },
    ClassExpression(node) {
      if (node.id) declare(node, node.id.name);
    },
    CatchClause(node) {
      if (node.param) for (const id of patternIdentifiers(node.param)) declare(node, id.name);
    },
  });

  const uses: IdentifierUse[] = [];
  const visit = (node: Identifier, parents: AnyNode[], viaPattern: boolean) => {
    const parent = parents[parents.length - 2];
    // The names of functions and classes stay as they are (they are declared, not used).
    if (
      parent &&
      (parent.type === 'FunctionDeclaration' ||
        parent.type === 'FunctionExpression' ||
        parent.type === 'ClassDeclaration' ||
        parent.type === 'ClassExpression') &&
      parent.id === node
    ) {
      return;
    }
    let binding: IdentifierUse['binding'] = 'free';
    for (let i = parents.length - 2; i >= 0; i--) {
      if (locals.get(parents[i])?.has(node.name)) {
        if (parents[i] !== top) return; // an ordinary local: left alone
        binding = 'top';
        break;
      }
    }
    const grand = parents[parents.length - 3];
    const write =
      viaPattern ||
      (parent?.type === 'UpdateExpression' && parent.argument === node) ||
      ((parent?.type === 'ForInStatement' || parent?.type === 'ForOfStatement') && parent.left === node);
    const shorthand = isShorthandValue(node, parent, grand);
    const typeofOperand = parent?.type === 'UnaryExpression' && parent.operator === 'typeof';
    uses.push({ node, binding, write, typeofOperand, shorthand, depth: parents.length });
  };

  ancestor(root, {
    Identifier(node, _state, parents) {
      visit(node, parents, false);
    },
    Pattern(node, _state, parents) {
      if (node.type === 'Identifier') visit(node, parents, true);
    },
  });

  uses.sort((a, b) => a.node.start - b.node.start);
  return { declarations, uses };
}

/**
 * True when `node` is the value of a shorthand property, `{x}` or `{x = 1}`. In patterns
 * acorn-walk does not visit the Property node itself, so the pattern's properties are searched.
 */
function isShorthandValue(node: Identifier, parent: AnyNode | undefined, grand: AnyNode | undefined): boolean {
  const holds = (container: AnyNode | undefined, value: AnyNode): boolean => {
    if (!container) return false;
    if (container.type === 'Property') return container.shorthand && container.value === value;
    if (container.type === 'ObjectPattern') {
      return container.properties.some((p) => p.type === 'Property' && p.shorthand && p.value === value);
    }
    return false;
  };
  if (holds(parent, node)) return true;
  return parent?.type === 'AssignmentPattern' && parent.left === node && holds(grand, parent);
}
