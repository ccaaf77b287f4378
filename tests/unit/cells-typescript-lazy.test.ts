/**
 * sucrase, which strips TypeScript from cells, loads on demand (src/cells/parse.ts): plain
 * JavaScript parses without it, and a reader who never writes TypeScript never downloads it.
 * Its own file: the loaded stripper is module state, and every other cell test loads it.
 */
import { describe, expect, it } from 'vitest';
import { CellSyntaxError, TypeScriptNotLoaded, loadTypeScript, parseCell } from '../../src/cells/index';

describe('sucrase loads on demand', () => {
  it('plain JavaScript parses without it; other code asks for it, then parses as TypeScript', async () => {
    expect(parseCell('const a = 1;\na').typescript).toBeUndefined();
    expect(() => parseCell('const a: number = 1;\na')).toThrow(TypeScriptNotLoaded);
    expect(() => parseCell('const = ;')).toThrow(TypeScriptNotLoaded);
    await loadTypeScript();
    expect(parseCell('const a: number = 1;\na').typescript).toBeDefined();
    expect(() => parseCell('const = ;')).toThrow(CellSyntaxError);
  });
});
