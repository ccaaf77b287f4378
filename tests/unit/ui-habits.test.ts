/**
 * Pure helpers behind the notebook's habits and search (issue 11): which name a
 * ReferenceError is about, and dropping search sub-results that repeat the page title.
 */
import { describe, expect, it } from 'vitest';
import { undefinedName } from '../../src/ui/cell';
import { dropTitleRepeats } from '../../src/components/site/search-client';
import { isTyping } from '../../src/components/site/search-dialog';

describe('undefinedName', () => {
  it('reads the name from V8, SpiderMonkey and JavaScriptCore messages', () => {
    expect(undefinedName('ReferenceError', 'model is not defined')).toBe('model');
    expect(undefinedName('ReferenceError', "Can't find variable: xTrain")).toBe('xTrain');
    expect(undefinedName('ReferenceError', '$x_1 is not defined')).toBe('$x_1');
  });
  it('ignores other errors and other ReferenceErrors', () => {
    expect(undefinedName('TypeError', 'model is not defined')).toBeNull();
    expect(undefinedName('ReferenceError', "Cannot access 'model' before initialization")).toBeNull();
    expect(undefinedName('ReferenceError', 'model')).toBeNull();
  });
});

describe('dropTitleRepeats', () => {
  it("removes a sub-result that only repeats the page's title, keeps the rest", () => {
    const r = dropTitleRepeats({
      url: '/lessons/gru/',
      meta: { title: 'Gated recurrent units (GRU)' },
      sub_results: [
        { title: 'Gated recurrent units (GRU)', url: '/lessons/gru/#_top' },
        { title: 'The gates, intuitively', url: '/lessons/gru/#the-gates-intuitively' },
      ],
    });
    expect(r.sub_results!.map((s) => s.title)).toEqual(['The gates, intuitively']);
  });
  it('keeps the page itself (Pagefind hides that one) and results without sub-results', () => {
    const page = { title: 'T', url: '/a/' };
    expect(dropTitleRepeats({ url: '/a/', meta: { title: 'T' }, sub_results: [page] }).sub_results).toEqual([page]);
    expect(dropTitleRepeats({ url: '/a/', meta: {} })).toEqual({ url: '/a/', meta: {} });
  });
});

describe('isTyping', () => {
  it('is false without an element', () => {
    expect(isTyping(null)).toBe(false);
    expect(isTyping({} as EventTarget)).toBe(false);
  });
  it('asks the element whether it is inside a text field or editor', () => {
    const inEditor = { closest: (s: string) => (s.includes('[contenteditable="true"]') ? {} : null) };
    expect(isTyping(inEditor as unknown as EventTarget)).toBe(true);
    const onPage = { closest: () => null };
    expect(isTyping(onPage as unknown as EventTarget)).toBe(false);
  });
});
