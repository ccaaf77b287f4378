/**
 * TypeScript support for cells: type annotations are stripped with sucrase, which keeps every
 * line where it was (it blanks out interfaces and type aliases instead of removing lines) and
 * emits a token-level source map, so positions in the stripped JavaScript can be mapped back to
 * columns in the reader's TypeScript.
 */
import { transform } from 'sucrase';
import { decodeMappings, type MappingSegment, type Position } from './positions';

/** A TypeScript cell with its types stripped by sucrase, and the map from the stripped text back to the source. */
export interface StrippedTypeScript {
  /** The JavaScript, line for line the same as the TypeScript source. */
  code: string;
  /** Maps a 1-based position in `code` to the same position in the TypeScript source. */
  toSource(pos: Position): Position;
}

/** Strips TypeScript syntax. Throws sucrase's SyntaxError when the source is not valid TS. */
export function stripTypes(source: string): StrippedTypeScript {
  const result = transform(source, {
    transforms: ['typescript'],
    disableESTransforms: true,
    keepUnusedImports: true,
    filePath: 'cell.ts',
    sourceMapOptions: { compiledFilename: 'cell.js' },
  });
  const lines = decodeMappings(result.sourceMap?.mappings ?? '');
  return { code: result.code, toSource: (pos) => mapPosition(lines, pos) };
}

function mapPosition(lines: MappingSegment[][], pos: Position): Position {
  const segs = lines[pos.line - 1];
  const col = pos.column - 1;
  if (!segs || segs.length === 0) return pos;
  let best: MappingSegment | undefined;
  for (const s of segs) {
    if (s.genColumn <= col) best = s;
    else break;
  }
  if (!best) best = segs[0];
  return { line: best.srcLine + 1, column: best.srcColumn + Math.max(0, col - best.genColumn) + 1 };
}
