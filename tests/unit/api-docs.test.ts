// The API reference is generated from the code's doc comments (scripts/api-docs.ts): it must
// match the code, and every export of cells, contract, kernel, rnn and ui must say what it is.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectApi, generatedFiles } from '../../scripts/api-docs';

describe('generated API reference', () => {
  it('docs/API.md and the table in src/rnn/README.md match the code (run `npm run docs:api`)', () => {
    for (const { path, text } of generatedFiles()) {
      expect(readFileSync(path, 'utf8'), path).toBe(text);
    }
  });

  it('every export has a doc comment', () => {
    const entries = collectApi();
    expect(entries.length).toBeGreaterThan(100);
    expect(entries.filter((e) => !e.summary).map((e) => `${e.file}: ${e.name}`)).toEqual([]);
    // Namespaces (`export * as inspect`) are documented by the comment on their export line.
    for (const { path, text } of generatedFiles()) expect(text, path).not.toContain('(undocumented)');
  });
});
