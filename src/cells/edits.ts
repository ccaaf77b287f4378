/**
 * A list of text edits on a cell's source that remembers where every generated character
 * came from, so a position in the transpiled code (a V8 stack frame) can be mapped back to
 * the cell. Edits never add line breaks inside the user's code, so a generated line is always
 * the same line of the source; only columns move.
 *
 * Edits are of two kinds: a replacement of a source range (an identifier becoming
 * `__nb.model`, a `const` keyword dropped) and an insertion at a position (`return (` before
 * the final expression). Several insertions may share a position; `depth` orders them so that
 * wrappers nest properly: openers go outermost first, closers innermost first, and every
 * closer at a position comes before every opener there.
 */

interface Replacement {
  start: number;
  end: number;
  text: string;
}

interface Insertion {
  pos: number;
  text: string;
  /** Nesting depth of the node this insertion wraps (0 = statement level). */
  depth: number;
  /** 'open' text goes before the node, 'close' text after it. */
  side: 'open' | 'close';
  seq: number;
}

/** One run of generated text and the source offset it maps to. */
interface Segment {
  genStart: number;
  genEnd: number;
  srcStart: number;
  srcEnd: number;
  kind: 'copy' | 'insert' | 'replace';
}

/** The edit list of one cell source: record edits, then `apply()` them (see the module comment). */
export class EditList {
  private readonly replacements: Replacement[] = [];
  private readonly insertions: Insertion[] = [];
  private seq = 0;

  constructor(readonly source: string) {}

  /** Replaces source[start, end) by `text`. Replacements must not overlap. */
  replace(start: number, end: number, text: string): this {
    this.replacements.push({ start, end, text });
    return this;
  }

  /** Inserts `text` before whatever starts at `pos` (an opening wrapper). */
  open(pos: number, text: string, depth = 0): this {
    this.insertions.push({ pos, text, depth, side: 'open', seq: this.seq++ });
    return this;
  }

  /** Inserts `text` after whatever ends at `pos` (a closing wrapper). */
  close(pos: number, text: string, depth = 0): this {
    this.insertions.push({ pos, text, depth, side: 'close', seq: this.seq++ });
    return this;
  }

  /** Applies the edits; returns the generated text and a mapper back to source offsets. */
  apply(): { code: string; toSource(genOffset: number): number } {
    const reps = [...this.replacements].sort((a, b) => a.start - b.start);
    for (let i = 1; i < reps.length; i++) {
      if (reps[i].start < reps[i - 1].end) throw new Error('overlapping replacements');
    }
    const ins = [...this.insertions].sort(compareInsertions);
    const segments: Segment[] = [];
    let code = '';
    let src = 0;
    let r = 0;
    let k = 0;
    const push = (text: string, srcStart: number, srcEnd: number, kind: Segment['kind']) => {
      if (!text) return;
      segments.push({ genStart: code.length, genEnd: code.length + text.length, srcStart, srcEnd, kind });
      code += text;
    };
    const flushInsertions = (pos: number) => {
      while (k < ins.length && ins[k].pos === pos) {
        push(ins[k].text, pos, pos, 'insert');
        k++;
      }
    };
    while (src <= this.source.length) {
      const nextRep = r < reps.length ? reps[r].start : Infinity;
      const nextIns = k < ins.length ? ins[k].pos : Infinity;
      const next = Math.min(nextRep, nextIns, this.source.length);
      if (next > src) {
        push(this.source.slice(src, next), src, next, 'copy');
        src = next;
      }
      flushInsertions(src);
      if (r < reps.length && reps[r].start === src) {
        const rep = reps[r++];
        push(rep.text, rep.start, rep.end, 'replace');
        src = rep.end;
        continue;
      }
      if (src >= this.source.length) {
        flushInsertions(src);
        break;
      }
    }
    return { code, toSource: (g) => mapOffset(segments, g) };
  }
}

function compareInsertions(a: Insertion, b: Insertion): number {
  if (a.pos !== b.pos) return a.pos - b.pos;
  if (a.side !== b.side) return a.side === 'close' ? -1 : 1;
  if (a.depth !== b.depth) return a.side === 'close' ? b.depth - a.depth : a.depth - b.depth;
  return a.side === 'close' ? b.seq - a.seq : a.seq - b.seq;
}

/**
 * Maps a generated offset to a source offset. Inside a replacement such as `__nb.model`
 * the original name is a suffix of the new text, so positions on the suffix map onto it.
 */
function mapOffset(segments: Segment[], g: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid];
    if (g < s.genStart) hi = mid - 1;
    else if (g >= s.genEnd) lo = mid + 1;
    else {
      const delta = g - s.genStart;
      if (s.kind === 'copy') return s.srcStart + delta;
      if (s.kind === 'insert') return s.srcStart;
      const genLen = s.genEnd - s.genStart;
      const srcLen = s.srcEnd - s.srcStart;
      return s.srcStart + Math.min(srcLen, Math.max(0, delta - (genLen - srcLen)));
    }
  }
  const last = segments[segments.length - 1];
  return last ? last.srcEnd : 0;
}
