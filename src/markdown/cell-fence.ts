import { createHash } from 'node:crypto';

/**
 * Reading the info string of a fenced code block: `js cell id="lstm-build"` has the language
 * `js`, the flag `cell` and the attribute `id`. Quoted ("…" or '…') and bare values are accepted.
 */

export interface FenceInfo {
  flags: Set<string>;
  attrs: Map<string, string>;
}

export function parseFenceMeta(meta: string | null | undefined): FenceInfo {
  const flags = new Set<string>();
  const attrs = new Map<string, string>();
  const re = /([^\s=]+)(?:=(?:"([^"]*)"|'([^']*)'|(\S+)))?/g;
  for (const m of (meta ?? '').matchAll(re)) {
    const [, key, dq, sq, bare] = m;
    const value = dq ?? sq ?? bare;
    if (value === undefined) flags.add(key);
    else attrs.set(key, value);
  }
  return { flags, attrs };
}

/** The short hash of a cell's source: the first 8 hex digits of its SHA-256 (UTF-8). */
export function sourceHash(source: string): string {
  return createHash('sha256').update(source, 'utf8').digest('hex').slice(0, 8);
}
