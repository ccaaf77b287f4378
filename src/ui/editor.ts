/**
 * The cell editor: CodeMirror 6 in JavaScript/TypeScript mode. This module is loaded with a
 * dynamic import the first time a reader edits or runs a cell, so lesson pages stay light.
 *
 * Keys: Shift+Enter runs the cell and moves to the next one, Ctrl/Cmd+Enter runs in place,
 * Escape leaves the editor. Tab is not bound (focus moves on as usual), so keyboard users are
 * never trapped; the standard indent commands stay on Ctrl+] / Ctrl+[.
 */
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState, Prec, StateEffect, StateField, type Extension } from '@codemirror/state';
import {
  Decoration,
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
  type DecorationSet,
} from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

/**
 * What `createEditor` needs: where to mount, the initial code, the accessible name and the
 * callbacks for changes and the run keys.
 */
export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  /** Accessible name of the editing area, e.g. "Code of cell 3". */
  label: string;
  onChange(code: string): void;
  onRun(): void;
  onRunAndAdvance(): void;
  onEscape(): void;
}

/** A mounted cell editor: read and replace its code, focus it, mark an error line and destroy it. */
export interface CellEditor {
  readonly view: EditorView;
  getCode(): string;
  setCode(code: string): void;
  focus(): void;
  /** Marks a 1-based line (and column) as the error location; scrolls it into view. */
  markError(line: number, column?: number): void;
  clearError(): void;
  destroy(): void;
}

/** Syntax colours come from CSS variables, so light and dark themes both work. */
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword], color: 'var(--nb-syn-keyword)' },
  { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--nb-syn-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--nb-syn-number)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--nb-syn-comment)', fontStyle: 'italic' },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: 'var(--nb-syn-function)' },
  { tag: [t.typeName, t.className, t.namespace], color: 'var(--nb-syn-type)' },
  { tag: [t.propertyName], color: 'var(--nb-syn-property)' },
  { tag: [t.definition(t.variableName)], color: 'var(--nb-syn-definition)' },
  { tag: t.invalid, color: 'var(--nb-error)' },
]);

const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--nb-code-bg)', color: 'var(--nb-fg)', fontSize: '0.9rem' },
  '.cm-content': { fontFamily: 'var(--nb-mono)', caretColor: 'var(--nb-fg)' },
  '.cm-scroller': { fontFamily: 'var(--nb-mono)', lineHeight: '1.5' },
  '.cm-gutters': { backgroundColor: 'var(--nb-code-bg)', color: 'var(--nb-muted)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'var(--nb-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--nb-active-line)' },
  '&.cm-focused': { outline: '2px solid var(--nb-focus)', outlineOffset: '-2px' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--nb-fg)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--nb-selection)' },
  '.cm-error-line': { backgroundColor: 'var(--nb-error-bg)', boxShadow: 'inset 3px 0 0 var(--nb-error)' },
  '.cm-error-mark': { textDecoration: 'underline wavy var(--nb-error)' },
});

const setError = StateEffect.define<{ line: number; column?: number } | null>();

const errorField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) {
      if (!e.is(setError)) continue;
      if (!e.value) return Decoration.none;
      const doc = tr.state.doc;
      const n = Math.min(Math.max(1, e.value.line), doc.lines);
      const line = doc.line(n);
      const marks = [Decoration.line({ class: 'cm-error-line', attributes: { 'data-error-line': String(n) } }).range(line.from)];
      if (e.value.column !== undefined && line.length > 0) {
        const from = line.from + Math.min(Math.max(0, e.value.column - 1), line.length - 1);
        marks.push(Decoration.mark({ class: 'cm-error-mark' }).range(from, from + 1));
      }
      return Decoration.set(marks, true);
    }
    return tr.docChanged ? Decoration.none : deco.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** Mounts a CodeMirror editor in `o.parent` with the keys described above. */
export function createEditor(o: EditorOptions): CellEditor {
  const runKeys = Prec.highest(
    keymap.of([
      { key: 'Shift-Enter', run: () => (o.onRunAndAdvance(), true) },
      { key: 'Mod-Enter', run: () => (o.onRun(), true) },
      { key: 'Ctrl-Enter', run: () => (o.onRun(), true) },
      { key: 'Escape', run: () => (o.onEscape(), true) },
    ]),
  );
  const extensions: Extension[] = [
    runKeys,
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightActiveLine(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    syntaxHighlighting(highlight),
    keymap.of([...defaultKeymap, ...historyKeymap]),
    javascript({ typescript: true }),
    EditorState.tabSize.of(2),
    errorField,
    theme,
    EditorView.contentAttributes.of({ 'aria-label': o.label, tabindex: '0' }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) o.onChange(u.state.doc.toString());
    }),
  ];
  const view = new EditorView({ parent: o.parent, state: EditorState.create({ doc: o.doc, extensions }) });

  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    focus: () => view.focus(),
    markError(line, column) {
      view.dispatch({ effects: setError.of({ line, column }) });
      const n = Math.min(Math.max(1, line), view.state.doc.lines);
      view.dispatch({ effects: EditorView.scrollIntoView(view.state.doc.line(n).from, { y: 'nearest' }) });
    },
    clearError: () => view.dispatch({ effects: setError.of(null) }),
    destroy: () => view.destroy(),
  };
}
