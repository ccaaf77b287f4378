/**
 * Conversions between string offsets and 1-based line/column positions, plus a decoder for
 * the "mappings" field of a source map (base64 VLQ), which is all we need to read the
 * column map that sucrase produces when it strips TypeScript annotations.
 */

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** Offsets of the first character of every line of `text`. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** The 1-based line and column of a 0-based offset, given the text's `lineStarts`. */
export function offsetToPosition(starts: number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/** The 0-based offset of a 1-based line and column (a line outside the text is clamped to its first or last line). */
export function positionToOffset(starts: number[], pos: Position): number {
  const line = Math.min(Math.max(pos.line, 1), starts.length);
  return starts[line - 1] + Math.max(pos.column, 1) - 1;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A decoded mapping: generated column -> source line and column (all 0-based). */
export interface MappingSegment {
  genColumn: number;
  srcLine: number;
  srcColumn: number;
}

/** Decodes a source map's `mappings` string into segments grouped by generated line. */
export function decodeMappings(mappings: string): MappingSegment[][] {
  const lines: MappingSegment[][] = [];
  let srcLine = 0;
  let srcColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segs: MappingSegment[] = [];
    let genColumn = 0;
    for (const seg of lineText.split(',')) {
      if (!seg) continue;
      const values = decodeVlq(seg);
      genColumn += values[0];
      if (values.length >= 4) {
        srcLine += values[2];
        srcColumn += values[3];
        segs.push({ genColumn, srcLine, srcColumn });
      }
    }
    lines.push(segs);
  }
  return lines;
}

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = B64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}
