/**
 * Tensor hygiene across runs. Each run is wrapped in a tfjs engine scope
 * (`startScope`/`endScope`), so the intermediate tensors a cell creates are freed when it
 * ends, as with `tf.tidy`. What survives is what the notebook can still reach: the tensors
 * found in the shared scope (directly, or inside arrays, plain objects, Maps and Sets, a few
 * levels deep) are `tf.keep`-ed. Weights are tfjs variables, which scopes never free.
 *
 * When a later run re-binds a name, the tensors, models and optimizers the kernel kept
 * earlier and that are no longer reachable are disposed, and so are the variables a run
 * created that nothing reachable holds (models built and trained inside a function). So
 * re-running a cell does not make `numTensors` grow. Values hidden in closures are
 * not seen: a tensor only a function remembers should be `tf.keep`-ed by the cell.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { isModelLike } from './summary';

type Tf = typeof tfTypes;

interface Disposable {
  dispose(): unknown;
}

interface Reachable {
  tensors: Set<tfTypes.Tensor>;
  models: Set<Disposable & { optimizer?: unknown; isOptimizerOwned?: boolean }>;
  optimizers: Set<Disposable>;
}

const MAX_VISITS = 200_000;
const MAX_DEPTH = 8;

/**
 * Queues what a container holds: array items (long arrays of plain numbers — a dataset —
 * are skipped after a look at their ends), Map values (and keys when `mapKeys`), Set items,
 * and an object's own enumerable properties (ignoring getters that throw).
 */
function pushChildren(v: object, next: unknown[], mapKeys: boolean): void {
  try {
    pushChildrenUnguarded(v, next, mapKeys);
  } catch {
    // a Proxy whose traps throw, or a collection that cannot be iterated: not looked into
  }
}

function pushChildrenUnguarded(v: object, next: unknown[], mapKeys: boolean): void {
  // Only objects are queued: a number or a string holds nothing, and a dataset of 25,000
  // short reviews would otherwise queue millions of ids for the walk to skip one by one
  // (0.7 s at the end of the LSTM lesson's training cell under load: bench/page.ts --profile).
  if (Array.isArray(v)) {
    if (v.length > 64 && typeof v[0] !== 'object' && typeof v[v.length - 1] !== 'object') return;
    for (const item of v) if (typeof item === 'object' && item !== null) next.push(item);
  } else if (v instanceof Map) {
    for (const [k, item] of v) {
      if (mapKeys && typeof k === 'object' && k !== null) next.push(k);
      if (typeof item === 'object' && item !== null) next.push(item);
    }
  } else if (v instanceof Set) {
    for (const item of v) if (typeof item === 'object' && item !== null) next.push(item);
  } else {
    for (const key of Object.keys(v)) {
      try {
        const item = (v as Record<string, unknown>)[key];
        if (typeof item === 'object' && item !== null) next.push(item);
      } catch {
        // a throwing getter
      }
    }
  }
}

/** Finds the tensors, models and optimizers reachable from the given roots. */
export function findReachable(tf: Tf, roots: unknown[]): Reachable {
  const out: Reachable = { tensors: new Set(), models: new Set(), optimizers: new Set() };
  const seen = new Set<object>();
  // Breadth first, so that the depth limit never hides an object first met on a long path.
  let frontier: unknown[] = roots;
  for (let depth = 0; depth <= MAX_DEPTH && frontier.length && seen.size < MAX_VISITS; depth++) {
    const next: unknown[] = [];
    for (const v of frontier) {
      if (typeof v !== 'object' || v === null || seen.has(v)) continue;
      seen.add(v);
      try {
        visitReachable(tf, v, out, next);
      } catch {
        // a Proxy whose traps throw: not looked into
      }
    }
    frontier = next;
  }
  return out;
}

/** Classifies one object of the walk: a tensor, a model, an optimizer, or a container. */
function visitReachable(tf: Tf, v: object, out: Reachable, next: unknown[]): void {
  if (v instanceof tf.Tensor) {
    // Variables are weights: layers, models and optimizers own them, scopes never free
    // them, and a cell holding one (`layer.getWeights()`) must not get it disposed.
    if (!(v instanceof tf.Variable)) out.tensors.add(v);
    return;
  }
  if (isModelLike(v)) {
    out.models.add(v as unknown as Reachable['models'] extends Set<infer M> ? M : never);
    const opt = (v as { optimizer?: unknown }).optimizer;
    if (opt) out.optimizers.add(opt as Disposable);
    return;
  }
  if (v instanceof tf.Optimizer) {
    out.optimizers.add(v as unknown as Disposable);
    return;
  }
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof tf.layers.Layer) return;
  pushChildren(v, next, true);
}

/**
 * The tfjs variables reachable from `roots`, looking inside models, layers and optimizers
 * too (a LayerVariable keeps its tf.Variable in `val`, tfjs optimizers keep theirs in arrays).
 */
export function findVariables(tf: Tf, roots: unknown[]): Set<tfTypes.Variable> {
  const found = new Set<tfTypes.Variable>();
  const seen = new Set<object>();
  // Breadth first, so that a depth limit never hides an object first met on a long path.
  let frontier: unknown[] = roots;
  for (let depth = 0; depth < 16 && frontier.length && seen.size < MAX_VISITS * 2; depth++) {
    const next: unknown[] = [];
    for (const v of frontier) {
      if (typeof v !== 'object' || v === null || seen.has(v)) continue;
      seen.add(v);
      try {
        if (v instanceof tf.Variable) {
          found.add(v);
          continue;
        }
        if (v instanceof tf.Tensor || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) continue;
        // Models and layers list their weights; a LayerVariable keeps its tf.Variable in `val`.
        const weights = (v as { weights?: unknown }).weights;
        if ((isModelLike(v) || v instanceof tf.layers.Layer) && Array.isArray(weights)) for (const w of weights) next.push(w);
      } catch {
        continue; // a Proxy whose traps throw
      }
      pushChildren(v, next, false);
    }
    frontier = next;
  }
  return found;
}

function registeredVariables(tf: Tf): Record<string, tfTypes.Variable> {
  return (tf.engine() as unknown as { registeredVariables: Record<string, tfTypes.Variable> }).registeredVariables;
}

/**
 * Tensor hygiene for one kernel: `begin` opens a run's engine scope, `end(roots)` keeps what the
 * roots reach, closes the scope and disposes what earlier runs kept and nothing reaches any more.
 */
export class TensorHygiene {
  private tensors = new Set<tfTypes.Tensor>();
  private models = new Set<Disposable>();
  private optimizers = new Set<Disposable>();
  private depth = 0;
  private variablesBefore = new Set<string>();

  constructor(private readonly tf: Tf) {}

  /** Opens the run's engine scope. */
  begin(): void {
    const engine = this.tf.engine() as unknown as { state: { scopeStack: unknown[] } };
    this.depth = engine.state.scopeStack.length;
    this.variablesBefore = new Set(Object.keys(registeredVariables(this.tf)));
    this.tf.engine().startScope('cell');
  }

  /**
   * Keeps what `roots` reach, closes the run's scope (freeing the rest of the run's tensors)
   * and disposes what earlier runs kept that is no longer reachable.
   */
  end(roots: unknown[]): void {
    const tf = this.tf;
    const reach = findReachable(tf, roots);
    for (const t of reach.tensors) if (!t.isDisposed) tf.keep(t);
    const engine = tf.engine() as unknown as { state: { scopeStack: unknown[] } };
    // Close scopes a cell opened and never closed, then ours.
    while (engine.state.scopeStack.length > this.depth) tf.engine().endScope();
    for (const t of this.tensors) if (!reach.tensors.has(t) && !t.isDisposed) t.dispose();
    this.tensors = reach.tensors;
    const dropped = [...this.models].filter((m) => !reach.models.has(m as never));
    if (dropped.length) {
      // A model stays alive while the scope still holds one of its weights.
      const held = findVariables(tf, roots);
      for (const m of dropped) {
        if ([...findVariables(tf, [m])].some((v) => held.has(v))) {
          reach.models.add(m as never);
        } else {
          safeDispose(m);
        }
      }
    }
    this.models = new Set(reach.models);
    for (const o of this.optimizers) {
      if (!reach.optimizers.has(o)) safeDispose(o);
    }
    this.optimizers = reach.optimizers;
    this.disposeNewUnreachableVariables(roots);
  }

  /**
   * Variables (weights) the run created that nothing in the scope reaches any more, e.g. the
   * models a cell builds and trains inside a function to compare them. Older variables are
   * left to their models.
   */
  private disposeNewUnreachableVariables(roots: unknown[]): void {
    const registered = registeredVariables(this.tf);
    const fresh = Object.keys(registered).filter((name) => !this.variablesBefore.has(name));
    if (fresh.length === 0) return;
    const reachable = findVariables(this.tf, roots);
    for (const name of fresh) {
      const v = registered[name];
      if (v && !reachable.has(v) && !v.isDisposed) v.dispose();
    }
  }
}

function safeDispose(d: Disposable): void {
  try {
    d.dispose();
  } catch {
    // already disposed, or shared with a model still in use
  }
}
