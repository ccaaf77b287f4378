/**
 * The notebook scope: one object shared by all cells (`__nb` in compiled code). Its prototype
 * holds the builtins (`tf`, `rnn`, `display`…), so a cell may shadow them and a later
 * `delete` would reveal them again. Top-level `const` names are made read-only after their
 * declaration runs and writable again when a cell declares them anew, which is what lets a
 * re-run cell redefine them (as in Jupyter) while `model = other` elsewhere still fails.
 */
export class NotebookScope {
  readonly builtins: Record<string, unknown> = Object.create(null);
  readonly values: Record<string, unknown> = Object.create(this.builtins);
  private readonly locked = new Set<string>();

  has(name: string): boolean {
    return name in this.values;
  }

  /** Own (cell-defined) values: the roots of tensor reachability. */
  ownValues(): unknown[] {
    return Object.keys(this.values).map((k) => this.values[k]);
  }

  /** Makes `names` writable again before a cell re-declares them. */
  unlock(names: Iterable<string>): void {
    for (const name of names) {
      if (!this.locked.delete(name)) continue;
      const value = this.values[name];
      Object.defineProperty(this.values, name, { value, writable: true, enumerable: true, configurable: true });
    }
  }

  lock(names: string[]): void {
    for (const name of names) {
      if (!Object.prototype.hasOwnProperty.call(this.values, name)) continue;
      Object.defineProperty(this.values, name, { writable: false });
      this.locked.add(name);
    }
  }

  isLocked(name: string): boolean {
    return this.locked.has(name);
  }

  /** `__rt.ref(name)`: a free name looked up when the code runs. */
  ref(name: string, forTypeof = false): unknown {
    if (name in this.values) return this.values[name];
    if (name in globalThis) return (globalThis as Record<string, unknown>)[name];
    if (forTypeof) return undefined;
    throw new ReferenceError(`${name} is not defined`);
  }
}
