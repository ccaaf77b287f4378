/**
 * The reader's edits, kept in localStorage per page and cell so they survive a reload.
 *
 * Each entry remembers the hash of the authored source it was made against. When the author
 * has since changed the cell (the hash differs) the stored edit must not silently win: it is
 * reported as `stale`, the page shows the authored code and offers "Restore my edit".
 *
 * Nothing is lost silently: when storage refuses a write (full, or blocked) the reader is
 * warned that the edit lasts for this visit only, and when another tab of the same lesson
 * saved an edit of a cell (seen through the `storage` event, or found at save time) the reader
 * is warned that the last tab to save wins.
 */

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * One stored edit, as JSON in localStorage: the authored hash, the edited code and when it was
 * saved (ms since the epoch).
 */
export interface StoredEdit {
  /** `data-source-hash` of the authored code the edit started from. */
  hash: string;
  code: string;
  savedAt: number;
}

/**
 * What `EditStore.load` finds for a cell: no edit, an edit to use, or a stale edit made against
 * code the author has since changed.
 */
export type LoadedEdit =
  | { kind: 'none' }
  | { kind: 'edit'; code: string }
  | { kind: 'stale'; code: string; savedAt: number };

const PREFIX = 'rnn-notebook:edit:';

/** Where the store's warnings go (the notebook bar). */
export interface EditStoreEvents {
  warn(text: string): void;
}

/** `/rnn-notebook/lessons/lstm/index.html` and `/rnn-notebook/lessons/lstm` -> `/rnn-notebook/lessons/lstm/`. */
export function pageKey(pathname: string): string {
  let p = pathname.replace(/index\.html$/, '');
  if (!p.endsWith('/')) p += '/';
  return p;
}

/**
 * The reader's edits of one page's cells, kept as described above; storage may be null
 * (localStorage unavailable), and then nothing is kept.
 */
export class EditStore {
  /** The raw stored value this tab last read or wrote, per key (to notice other tabs' writes). */
  private readonly seen = new Map<string, string | null>();
  private warnedFull = false;

  constructor(
    private readonly storage: StorageLike | null,
    private readonly page: string,
    private readonly events: EditStoreEvents = { warn: () => {} },
  ) {}

  /**
   * A `storage` event from another tab (`key` null: storage cleared). Warns when it concerns
   * an edit of this lesson, and returns the cell id it concerns (or undefined).
   */
  foreignChange(key: string | null, newValue: string | null): string | undefined {
    const prefix = `${PREFIX}${this.page}#`;
    if (key === null || !key.startsWith(prefix) || key.endsWith(':stale')) return undefined;
    const cellId = key.slice(prefix.length);
    this.seen.set(key, newValue);
    this.events.warn(
      `This lesson is open in another tab, which just saved an edit of cell "${cellId}". ` +
        'Each tab keeps its own code; the last tab to save wins on reload.',
    );
    return cellId;
  }

  private key(cellId: string): string {
    return `${PREFIX}${this.page}#${cellId}`;
  }

  private staleKey(cellId: string): string {
    return `${this.key(cellId)}:stale`;
  }

  private read(key: string): StoredEdit | null {
    try {
      const raw = this.storage?.getItem(key) ?? null;
      this.seen.set(key, raw);
      if (!raw) return null;
      const v = JSON.parse(raw) as StoredEdit;
      return typeof v?.code === 'string' && typeof v?.hash === 'string' ? v : null;
    } catch {
      return null;
    }
  }

  /** Writes (or removes) an entry; false when storage refused it. */
  private write(key: string, value: StoredEdit | null): boolean {
    if (!this.storage) return false;
    try {
      const raw = value ? JSON.stringify(value) : null;
      if (raw) this.storage.setItem(key, raw);
      else this.storage.removeItem(key);
      this.seen.set(key, raw);
      return true;
    } catch {
      // Storage full or disabled (private mode): edits then last for this visit only.
      return false;
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

  /**
   * Saves the reader's code; code equal to the authored source removes the entry. Returns
   * false (after warning the reader) when the browser refused to store it.
   */
  save(cellId: string, hash: string, code: string, authored: string): boolean {
    const key = this.key(cellId);
    // Another tab wrote this cell since this tab last looked: say that this save replaces it.
    if (this.storage && this.seen.has(key)) {
      let now: string | null = null;
      try {
        now = this.storage.getItem(key);
      } catch {
        now = null;
      }
      if (now !== this.seen.get(key)) {
        this.events.warn(
          `Cell "${cellId}" was also edited in another tab of this lesson; this tab's code was saved over it (the last tab to save wins).`,
        );
      }
    }
    const ok = this.write(key, code === authored ? null : { hash, code, savedAt: Date.now() });
    if (!ok && code !== authored && !this.warnedFull) {
      this.warnedFull = true;
      this.events.warn(
        `Your edit of cell "${cellId}" could not be saved: the browser's storage for this site is full or blocked. ` +
          'Edits last until you leave this page; copy code you want to keep.',
      );
    }
    if (ok) this.warnedFull = false;
    return ok;
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
