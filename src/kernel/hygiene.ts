/**
 * Tensor hygiene across runs. Each run is wrapped in a tfjs engine scope
 * (`startScope`/`endScope`), so the intermediate tensors a cell creates are freed when it
 * ends, as with `tf.tidy`. What survives is what the notebook can still reach: the tensors
 * found in the shared scope (directly, or inside arrays, plain objects, Maps and Sets, a few
 * levels deep) are `tf.keep`-ed. Weights are tfjs variables, which scopes never free.
 *
 * When a later run re-binds a name, the tensors, models and optimizers the kernel kept
 * earlier and that are no longer reachable are disposed, so re-running a cell that rebinds a
 * tensor or builds a new model does not make `numTensors` grow. Values hidden in closures are
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

/** Finds the tensors, models and optimizers reachable from the given roots. */
export function findReachable(tf: Tf, roots: unknown[]): Reachable {
  const out: Reachable = { tensors: new Set(), models: new Set(), optimizers: new Set() };
  const seen = new Set<object>();
  let visits = 0;
  const visit = (v: unknown, depth: number): void => {
    if (typeof v !== 'object' || v === null || visits++ > MAX_VISITS || seen.has(v)) return;
    seen.add(v);
    if (v instanceof tf.Tensor) {
      out.tensors.add(v);
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
    if (depth >= MAX_DEPTH || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return;
    if (v instanceof tf.layers.Layer) return;
    if (Array.isArray(v)) {
      // Long arrays of numbers (a dataset) are skipped after a look at their ends.
      if (v.length > 64 && typeof v[0] !== 'object' && typeof v[v.length - 1] !== 'object') return;
      for (const item of v) visit(item, depth + 1);
      return;
    }
    if (v instanceof Map) {
      for (const [k, item] of v) {
        visit(k, depth + 1);
        visit(item, depth + 1);
      }
      return;
    }
    if (v instanceof Set) {
      for (const item of v) visit(item, depth + 1);
      return;
    }
    for (const key of Object.keys(v)) {
      let item: unknown;
      try {
        item = (v as Record<string, unknown>)[key];
      } catch {
        continue;
      }
      visit(item, depth + 1);
    }
  };
  for (const r of roots) visit(r, 0);
  return out;
}

export class TensorHygiene {
  private tensors = new Set<tfTypes.Tensor>();
  private models = new Set<Disposable>();
  private optimizers = new Set<Disposable>();
  private depth = 0;

  constructor(private readonly tf: Tf) {}

  /** Opens the run's engine scope. */
  begin(): void {
    const engine = this.tf.engine() as unknown as { state: { scopeStack: unknown[] } };
    this.depth = engine.state.scopeStack.length;
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
    for (const m of this.models) {
      if (!reach.models.has(m as never)) safeDispose(m);
    }
    this.models = new Set(reach.models);
    for (const o of this.optimizers) {
      if (!reach.optimizers.has(o)) safeDispose(o);
    }
    this.optimizers = reach.optimizers;
  }
}

function safeDispose(d: Disposable): void {
  try {
    d.dispose();
  } catch {
    // already disposed, or shared with a model still in use
  }
}
