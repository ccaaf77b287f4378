/**
 * `parseTextDataset`: turns a file the reader picked or dropped (CSV, TSV or plain text with a
 * text column and a label column) into `{ texts, labels }` for `Tokenizer` and training.
 *
 * Accepted layouts:
 * - a header row naming the columns (text: `text`, `review`, `sentence`, `content`, `comment`,
 *   `document`; label: `label`, `sentiment`, `target`, `class`, `y`, `polarity`, `score`), any
 *   other columns are ignored;
 * - no header and exactly two columns, one of which holds only labels;
 * - separators: tab when the first line has one (or the file ends in .tsv), otherwise comma.
 *   Fields may be quoted CSV-style ("…", with "" for a quote). A row with more fields than
 *   expected, whose text column is unquoted, gets its extra commas put back into the text.
 *
 * Labels: integers are kept (0/1 for sentiment); the words positive/pos/negative/neg (any case)
 * become 1/0; other words are numbered in sorted order and listed in `labelNames`.
 * Every failure throws a `TextDatasetError` whose message says what is wrong and how to fix it
 * (a bad options object, e.g. `{ filename }`, is a TypeError/ValueError as everywhere in src/rnn).
 */
import { checkArgCount, checkOptions, rule } from './validate';

/** What `parseTextDataset` throws for a file it cannot read: the message says what is wrong and how to fix it. */
export class TextDatasetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TextDatasetError';
  }
}

/** A labelled text file read by `parseTextDataset`: the texts and their labels, in file order. */
export interface TextDataset {
  texts: string[];
  labels: number[];
  /** For word labels: `labelNames[i]` is the label numbered i. */
  labelNames?: string[];
}

const TEXT_NAMES = ['text', 'review', 'sentence', 'content', 'comment', 'document', 'tweet', 'body'];
const LABEL_NAMES = ['label', 'sentiment', 'target', 'class', 'y', 'polarity', 'score'];
const POSITIVE = new Set(['positive', 'pos']);
const NEGATIVE = new Set(['negative', 'neg']);

/** Splits text into rows of fields (RFC 4180 quotes, CRLF or LF line ends). */
export function parseDelimited(text: string, sep: string): { fields: string[]; quoted: boolean[]; line: number }[] {
  const rows: { fields: string[]; quoted: boolean[]; line: number }[] = [];
  let fields: string[] = [];
  let quoted: boolean[] = [];
  let field = '';
  let wasQuoted = false;
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  const endField = () => {
    fields.push(field);
    quoted.push(wasQuoted);
    field = '';
    wasQuoted = false;
  };
  const endRow = () => {
    endField();
    if (!(fields.length === 1 && fields[0].trim() === '' && !quoted[0])) rows.push({ fields, quoted, line: rowLine });
    fields = [];
    quoted = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          inQuotes = false;
        }
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      inQuotes = true;
      wasQuoted = true;
      field = '';
    } else if (ch === sep) {
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += ch;
    }
  }
  if (inQuotes) throw new TextDatasetError(`A quoted field opened on line ${rowLine} is never closed (missing ").`);
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

function isLabelValue(v: string): boolean {
  const t = v.trim().toLowerCase();
  return /^-?\d+$/.test(t) || POSITIVE.has(t) || NEGATIVE.has(t);
}

function decodeUtf8(bytes: ArrayBuffer | Uint8Array, name: string): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(view);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    let offset = 0;
    // Find the first invalid byte to point at it.
    for (let end = 1; end <= view.length; end++) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(view.subarray(0, end));
        offset = end;
      } catch {
        if (end - offset > 4) break;
      }
    }
    throw new TextDatasetError(
      `${name} is not UTF-8 text (invalid byte near offset ${offset}). Save it as UTF-8 ` +
        `(e.g. "CSV UTF-8" in a spreadsheet) and pick it again.`,
    );
  }
}

/**
 * Reads a labelled text file. `bytes` is the raw file content (e.g. from `files.pick()`),
 * `name` its file name (used for the separator guess and in error messages).
 */
export function parseTextDataset(bytes: ArrayBuffer | Uint8Array | string, options: { name?: string } = {}): TextDataset {
  checkArgCount('parseTextDataset', arguments.length, 'bytes, options');
  const { name = 'the file' } = checkOptions('parseTextDataset', options, { name: rule.string() }, { positional: 'name' });
  const text = typeof bytes === 'string' ? bytes.replace(/^\ufeff/, '') : decodeUtf8(bytes, name);
  if (text.trim() === '') throw new TextDatasetError(`${name} is empty: expected rows of text and label, e.g. "great movie,1".`);
  const firstLine = text.split(/\r?\n/, 1)[0];
  const sep = /\.tsv$/i.test(name) || firstLine.includes('\t') ? '\t' : ',';
  const sepName = sep === '\t' ? 'tab' : 'comma';
  const rows = parseDelimited(text, sep);
  if (rows.length === 0) throw new TextDatasetError(`${name} has no rows.`);

  const header = rows[0].fields.map((f) => f.trim().toLowerCase());
  let textCol = header.findIndex((h) => TEXT_NAMES.includes(h));
  let labelCol = header.findIndex((h) => LABEL_NAMES.includes(h));
  let body = rows;
  let width: number;
  if (textCol >= 0 && labelCol >= 0) {
    body = rows.slice(1);
    width = header.length;
  } else if (textCol >= 0 || labelCol >= 0) {
    throw new TextDatasetError(
      `${name}: the header row (${rows[0].fields.join(', ')}) needs both a text column ` +
        `(${TEXT_NAMES.slice(0, 3).join('/')}) and a label column (${LABEL_NAMES.slice(0, 3).join('/')}).`,
    );
  } else {
    width = 2;
    const firstRows = rows.slice(0, 200);
    const badWidth = firstRows.find((r) => r.fields.length < 2);
    if (badWidth) {
      throw new TextDatasetError(
        `${name}: line ${badWidth.line} has ${badWidth.fields.length} column; expected 2 ` +
          `(text and label, ${sepName}-separated), or a header row such as "text,label".`,
      );
    }
    const lastIsLabel = rows.every((r) => isLabelValue(r.fields[r.fields.length - 1]));
    const firstIsLabel = rows.every((r) => isLabelValue(r.fields[0]));
    if (lastIsLabel) {
      textCol = 0;
      labelCol = 1;
    } else if (firstIsLabel) {
      labelCol = 0;
      textCol = 1;
    } else {
      throw new TextDatasetError(
        `${name}: found no label column. Each row needs a text and a label (0/1 or ` +
          `positive/negative), e.g. "great movie,1", or a header row such as "text,label".`,
      );
    }
  }
  if (body.length === 0) throw new TextDatasetError(`${name} has a header row but no data rows.`);

  const texts: string[] = [];
  const rawLabels: string[] = [];
  for (const row of body) {
    let fields = row.fields;
    if (fields.length !== width) {
      // Unquoted commas inside the text: put them back when the text is the first or last column.
      const extra = fields.length - width;
      const textIsEdge = textCol === 0 || textCol === width - 1;
      if (extra > 0 && textIsEdge && !row.quoted[textCol]) {
        const start = textCol === 0 ? 0 : textCol;
        const merged = fields.slice(start, start + extra + 1).join(sep);
        fields = [...fields.slice(0, start), merged, ...fields.slice(start + extra + 1)];
      } else {
        throw new TextDatasetError(
          `${name}: line ${row.line} has ${fields.length} columns, expected ${width}. ` +
            `Put text that contains ${sep === ',' ? 'commas' : 'tabs'} in double quotes.`,
        );
      }
    }
    const label = fields[labelCol].trim();
    if (label === '') throw new TextDatasetError(`${name}: line ${row.line} has an empty label.`);
    texts.push(fields[textCol]);
    rawLabels.push(label);
  }

  if (rawLabels.every((l) => /^-?\d+$/.test(l))) return { texts, labels: rawLabels.map(Number) };
  const lower = rawLabels.map((l) => l.toLowerCase());
  if (lower.every((l) => POSITIVE.has(l) || NEGATIVE.has(l))) {
    return { texts, labels: lower.map((l) => (POSITIVE.has(l) ? 1 : 0)), labelNames: ['negative', 'positive'] };
  }
  const names = [...new Set(rawLabels)].sort();
  if (names.length > Math.max(20, rawLabels.length / 2)) {
    throw new TextDatasetError(
      `${name}: the label column has ${names.length} different values; is it really the label? ` +
        `Expected 0/1, positive/negative or a few class names.`,
    );
  }
  const ids = new Map(names.map((n, i) => [n, i]));
  return { texts, labels: rawLabels.map((l) => ids.get(l)!), labelNames: names };
}
