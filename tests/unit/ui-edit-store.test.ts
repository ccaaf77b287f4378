/** Stored edits per page and cell, and what happens when the author changes a cell. */
import { describe, expect, it } from 'vitest';
import { EditStore, pageKey, type StorageLike } from '../../src/ui/edit-store';

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe('EditStore', () => {
  it('normalises page keys', () => {
    expect(pageKey('/rnn-notebook/lessons/lstm')).toBe('/rnn-notebook/lessons/lstm/');
    expect(pageKey('/rnn-notebook/lessons/lstm/index.html')).toBe('/rnn-notebook/lessons/lstm/');
  });

  it('returns the edit made against the same authored source', () => {
    const s = new EditStore(memoryStorage(), '/a/');
    expect(s.load('c1', 'h1', 'orig')).toEqual({ kind: 'none' });
    s.save('c1', 'h1', 'mine', 'orig');
    expect(s.load('c1', 'h1', 'orig')).toEqual({ kind: 'edit', code: 'mine' });
    // Other pages and cells are separate.
    expect(new EditStore(s['storage'], '/b/').load('c1', 'h1', 'orig')).toEqual({ kind: 'none' });
    expect(s.load('c2', 'h1', 'orig')).toEqual({ kind: 'none' });
  });

  it('saving the authored code or Reset removes the entry', () => {
    const st = memoryStorage();
    const s = new EditStore(st, '/a/');
    s.save('c1', 'h1', 'mine', 'orig');
    s.save('c1', 'h1', 'orig', 'orig');
    expect(st.data.size).toBe(0);
    s.save('c1', 'h1', 'mine', 'orig');
    s.remove('c1');
    expect(s.load('c1', 'h1', 'orig')).toEqual({ kind: 'none' });
  });

  it('never lets an edit of an older version win silently', () => {
    const st = memoryStorage();
    const s = new EditStore(st, '/a/');
    s.save('c1', 'old-hash', 'my edit', 'old code');
    const loaded = s.load('c1', 'new-hash', 'new code');
    expect(loaded.kind).toBe('stale');
    expect(loaded.kind === 'stale' && loaded.code).toBe('my edit');
    // The reader edits the new version: the stale edit is still offered afterwards.
    s.save('c1', 'new-hash', 'new code, edited', 'new code');
    expect(s.load('c1', 'new-hash', 'new code')).toEqual({ kind: 'edit', code: 'new code, edited' });
    s.remove('c1');
    const again = s.load('c1', 'new-hash', 'new code');
    expect(again.kind === 'stale' && again.code).toBe('my edit');
    s.discardStale('c1');
    expect(s.load('c1', 'new-hash', 'new code')).toEqual({ kind: 'none' });
  });

  it('survives broken or missing storage', () => {
    const st = memoryStorage();
    st.data.set('rnn-notebook:edit:/a/#c1', '{not json');
    expect(new EditStore(st, '/a/').load('c1', 'h', 'x')).toEqual({ kind: 'none' });
    const none = new EditStore(null, '/a/');
    none.save('c1', 'h', 'y', 'x');
    expect(none.load('c1', 'h', 'x')).toEqual({ kind: 'none' });
  });

  it('warns (once) when storage refuses an edit, and when another tab saved the same cell', () => {
    const st = memoryStorage();
    const warnings: string[] = [];
    const s = new EditStore(st, '/a/', { warn: (t) => warnings.push(t) });
    s.load('c1', 'h', 'x');
    st.setItem = () => {
      throw new DOMException('quota', 'QuotaExceededError');
    };
    expect(s.save('c1', 'h', 'y', 'x')).toBe(false);
    expect(s.save('c1', 'h', 'yy', 'x')).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/Your edit of cell "c1" could not be saved: the browser's storage for this site is full or blocked/)]);
    st.setItem = (k, v) => void st.data.set(k, v);
    expect(s.save('c1', 'h', 'z', 'x')).toBe(true);
    // Another tab (a second store on the same storage) saves the cell: the event warns here,
    // and this tab's next save says it replaced the other tab's code.
    const other = new EditStore(st, '/a/');
    other.load('c1', 'h', 'x');
    other.save('c1', 'h', 'from tab 2', 'x');
    expect(s.foreignChange('rnn-notebook:edit:/a/#c1', st.data.get('rnn-notebook:edit:/a/#c1')!)).toBe('c1');
    expect(s.foreignChange('rnn-notebook:edit:/b/#c1', '{}')).toBeUndefined();
    expect(warnings.at(-1)).toMatch(/open in another tab, which just saved an edit of cell "c1"/);
    other.save('c1', 'h', 'from tab 2 again', 'x');
    s.save('c1', 'h', 'from tab 1', 'x');
    expect(warnings.at(-1)).toMatch(/Cell "c1" was also edited in another tab of this lesson; this tab's code was saved over it/);
    expect(warnings.length).toBe(3);
  });
});
