/**
 * The reader's edits, kept in localStorage per page and cell so they survive a reload.
 *
 * Each entry remembers the hash of the authored source it was made against. When the author
 * has since changed the cell (the hash differs) the stored edit must not silently win: it is
 * reported as `stale`, the page shows the authored code and offers "Restore my edit".
 */

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface StoredEdit {
  /** `data-source-hash` of the authored code the edit started from. */
  hash: string;
  code: string;
  savedAt: number;
}

export type LoadedEdit =
  | { kind: 'none' }
  | { kind: 'edit'; code: string }
  | { kind: 'stale'; code: string; savedAt: number };

const PREFIX = 'rnn-notebook:edit:';

/** `/rnn-notebook/lessons/lstm/index.html` and `/rnn-notebook/lessons/lstm` -> `/rnn-notebook/lessons/lstm/`. */
export function pageKey(pathname: string): string {
  let p = pathname.replace(/index\.html$/, '');
  if (!p.endsWith('/')) p += '/';
  return p;
}

export class EditStore {
  constructor(
    private readonly storage: StorageLike | null,
    private readonly page: string,
  ) {}

  private key(cellId: string): string {
    return `${PREFIX}${this.page}#${cellId}`;
  }

  private staleKey(cellId: string): string {
    return `${this.key(cellId)}:stale`;
  }

  private read(key: string): StoredEdit | null {
    try {
      const raw = this.storage?.getItem(key);
      if (!raw) return null;
      const v = JSON.parse(raw) as StoredEdit;
      return typeof v?.code === 'string' && typeof v?.hash === 'string' ? v : null;
    } catch {
      return null;
    }
  }

  private write(key: string, value: StoredEdit | null): void {
    try {
      if (value) this.storage?.setItem(key, JSON.stringify(value));
      else this.storage?.removeItem(key);
    } catch {
      // Storage full or disabled (private mode): edits then last for this visit only.
    }
  }

  /**
   * What to show for a cell whose authored source has hash `hash`. A stale edit is moved
   * aside (so editing the new authored code cannot overwrite it) until the reader restores
   * or discards it.
   */
  load(cellId: string, hash: string, authored: string): LoadedEdit {
    const e = this.read(this.key(cellId));
    if (e && e.hash === hash) {
      return e.code === authored ? { kind: 'none' } : { kind: 'edit', code: e.code };
    }
    if (e) {
      if (e.code !== authored) this.write(this.staleKey(cellId), e);
      this.write(this.key(cellId), null);
    }
    const stale = this.read(this.staleKey(cellId));
    if (stale && stale.code !== authored) return { kind: 'stale', code: stale.code, savedAt: stale.savedAt };
    if (stale) this.write(this.staleKey(cellId), null);
    return { kind: 'none' };
  }

  /** Saves the reader's code; code equal to the authored source removes the entry. */
  save(cellId: string, hash: string, code: string, authored: string): void {
    this.write(this.key(cellId), code === authored ? null : { hash, code, savedAt: Date.now() });
  }

  /** Forgets the edit (Reset). */
  remove(cellId: string): void {
    this.write(this.key(cellId), null);
  }

  /** Forgets the edit made against an older version of the cell. */
  discardStale(cellId: string): void {
    this.write(this.staleKey(cellId), null);
  }
}
