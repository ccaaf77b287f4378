/**
 * Builders behind `display.gates(trace, options)` and `display.plot({...})`: they check what
 * the cell passed (a clear error names the bad argument; nothing is silently ignored) and
 * turn it into a bounded, structured-clone bundle (contract/protocol.ts) for the page to draw.
 */
import type { GateTrace } from '../rnn/inspect/gates';
import type { GatesBundle, GatesRow, PlotBundle } from '../contract/protocol';

/** Most steps one gates display shows (a longer review is cut, and the note says so). */
export const MAX_GATE_STEPS = 120;
/** Most units per heatmap. */
export const MAX_GATE_UNITS = 32;
/** Most points per plotted series. */
export const MAX_PLOT_POINTS = 2000;

/** Options of `display.gates`. */
export interface GatesDisplayOptions {
  /**
   * The token read at each step, e.g. the review's words. Aligned to the *end* of the trace
   * (the last token is the last step), which skips the 'pre' padding of padSequences.
   * Default: the step numbers.
   */
  tokens?: string[];
  /** `rnn.inspect.stepPredictions(...)` ([batch][step][outputs]) or one number per step. */
  predictions?: number[] | number[][][];
  /** What the prediction means; default 'prediction'. */
  predictionLabel?: string;
  /** Which sequence of the batch (default 0). */
  batch?: number;
  /** Which values to draw, in order (default all of trace.names). */
  names?: string[];
  title?: string;
}

const KNOWN = new Set(['tokens', 'predictions', 'predictionLabel', 'batch', 'names', 'title']);

function isTrace(t: unknown): t is GateTrace {
  const v = t as Partial<GateTrace> | null;
  return !!v && typeof v === 'object' && Array.isArray(v.names) && typeof v.values === 'object' && typeof v.steps === 'number';
}

/** The bundle for `display.gates(trace, options)`. */
export function gatesBundle(trace: unknown, options: GatesDisplayOptions = {}): GatesBundle {
  if (!isTrace(trace)) {
    throw new TypeError('display.gates: the first argument must be a trace from rnn.inspect.gates(layer, x, ...) (for a Bidirectional, pass trace.forward or trace.backward).');
  }
  for (const k of Object.keys(options ?? {})) {
    if (!KNOWN.has(k)) throw new TypeError(`display.gates: unknown option '${k}' (known: ${[...KNOWN].join(', ')}).`);
  }
  const b = options.batch ?? 0;
  if (!Number.isInteger(b) || b < 0 || b >= trace.batch) throw new RangeError(`display.gates: 'batch' must be an integer in [0, ${trace.batch - 1}], got ${String(options.batch)}.`);
  const T = trace.steps;
  const tokens = options.tokens ?? Array.from({ length: T }, (_, t) => String(t + 1));
  if (!Array.isArray(tokens) || tokens.length === 0 || tokens.length > T) {
    throw new RangeError(`display.gates: 'tokens' must be a non-empty array of at most ${T} strings (one per step), got ${Array.isArray(tokens) ? tokens.length : typeof tokens}.`);
  }
  const from = T - tokens.length;
  const names = options.names ?? trace.names;
  for (const n of names) {
    if (!trace.names.includes(n)) throw new RangeError(`display.gates: no value '${n}' in this ${trace.kerasClassName} trace (it has ${trace.names.join(', ')}).`);
  }
  const shown = Math.min(tokens.length, MAX_GATE_STEPS);
  const units = Math.min(trace.units, MAX_GATE_UNITS);
  const notes: string[] = [];
  if (from > 0) notes.push(`${from} padding step${from === 1 ? '' : 's'} before the first word not shown`);
  if (shown < tokens.length) notes.push(`only the first ${shown} of ${tokens.length} words shown`);
  if (units < trace.units) notes.push(`only the first ${units} of ${trace.units} units shown`);
  const rows: GatesRow[] = names.map((n) => {
    const values = trace.values[n][b].slice(from, from + shown).map((r) => r.slice(0, units));
    let range = trace.ranges[n];
    if (!range) {
      let m = 0;
      for (const r of values) for (const v of r) m = Math.max(m, Math.abs(v));
      const top = m > 0 ? Number(m.toPrecision(2)) : 1;
      range = [-Math.max(top, m), Math.max(top, m)];
    }
    return { name: n, label: trace.labels[n] ?? n, range, values };
  });
  const bundle: GatesBundle = {
    kind: 'gates',
    title: options.title ?? `${trace.layer} (${trace.kerasClassName}), ${trace.units} unit${trace.units === 1 ? '' : 's'}${trace.goBackwards ? ', reading backwards' : ''}`,
    tokens: tokens.slice(0, shown).map(String),
    units,
    rows,
  };
  if (options.predictions !== undefined) {
    const p = options.predictions;
    let perStep: number[];
    if (Array.isArray(p) && Array.isArray(p[0])) perStep = (p as number[][][])[b].map((o) => o[0]);
    else perStep = p as number[];
    if (!Array.isArray(perStep) || (perStep.length !== T && perStep.length !== tokens.length) || perStep.some((v) => typeof v !== 'number')) {
      throw new RangeError(`display.gates: 'predictions' must be rnn.inspect.stepPredictions(...) or ${T} (or ${tokens.length}) numbers, one per step.`);
    }
    const start = perStep.length === T ? from : 0;
    bundle.prediction = perStep.slice(start, start + shown);
    bundle.predictionLabel = options.predictionLabel ?? 'prediction';
  } else if (options.predictionLabel !== undefined) {
    throw new TypeError(`display.gates: 'predictionLabel' needs 'predictions'.`);
  }
  if (notes.length) bundle.note = `(${notes.join('; ')})`;
  return bundle;
}

/**
 * Arguments of `display.plot`. Either every series shares the top-level `x` (a line per
 * series over the same x values), or every series brings its own `x` (an xy path, e.g. a
 * hidden-state trajectory in the plane of two principal components).
 */
export interface PlotArgs {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  x?: number[];
  series: { name: string; values: (number | null)[]; x?: number[]; dashed?: boolean; group?: string }[];
  logY?: boolean;
}

const PLOT_KEYS = new Set(['title', 'xLabel', 'yLabel', 'x', 'series', 'logY']);
const SERIES_KEYS = new Set(['name', 'values', 'x', 'dashed', 'group']);

/** The bundle for `display.plot({ series, x, logY, ... })`. */
export function plotBundle(args: PlotArgs): PlotBundle {
  if (!args || typeof args !== 'object') throw new TypeError('display.plot: expected an object { series: [{ name, values }], x, logY, title, xLabel, yLabel }.');
  for (const k of Object.keys(args)) {
    if (!PLOT_KEYS.has(k)) throw new TypeError(`display.plot: unknown option '${k}' (known: ${[...PLOT_KEYS].join(', ')}).`);
  }
  if (!Array.isArray(args.series) || args.series.length === 0) throw new TypeError(`display.plot: 'series' must be a non-empty array of { name, values }.`);
  const ownX = args.series.some((s) => s && typeof s === 'object' && s.x !== undefined);
  if (ownX && args.x !== undefined) throw new TypeError(`display.plot: give 'x' either once for all series or in every series, not both.`);
  const n = args.series[0]?.values?.length ?? 0;
  const x = ownX ? [] : (args.x ?? Array.from({ length: n }, (_, i) => i + 1));
  if (x.length > MAX_PLOT_POINTS) throw new RangeError(`display.plot: at most ${MAX_PLOT_POINTS} points per series, got ${x.length}.`);
  const finite = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const series = args.series.map((s, i) => {
    if (!s || typeof s.name !== 'string' || !Array.isArray(s.values)) throw new TypeError(`display.plot: series ${i} must be { name: string, values: number[] }.`);
    for (const k of Object.keys(s)) {
      if (!SERIES_KEYS.has(k)) throw new TypeError(`display.plot: series '${s.name}' has an unknown key '${k}' (known: ${[...SERIES_KEYS].join(', ')}).`);
    }
    const out: PlotBundle['series'][number] = { name: s.name, values: s.values.map(finite) };
    if (ownX) {
      if (!Array.isArray(s.x)) throw new TypeError(`display.plot: series '${s.name}' has no 'x'; when one series brings its own x, every series must.`);
      if (s.x.length !== s.values.length) throw new RangeError(`display.plot: series '${s.name}' has ${s.values.length} values and ${s.x.length} x values.`);
      if (s.x.length > MAX_PLOT_POINTS) throw new RangeError(`display.plot: at most ${MAX_PLOT_POINTS} points per series, got ${s.x.length} in '${s.name}'.`);
      out.x = s.x.map(finite);
    } else if (s.values.length !== x.length) {
      throw new RangeError(`display.plot: series '${s.name}' has ${s.values.length} values, x has ${x.length}.`);
    }
    if (s.dashed) out.dashed = true;
    if (s.group !== undefined) out.group = String(s.group);
    return out;
  });
  return {
    kind: 'plot',
    title: args.title ?? '',
    xLabel: args.xLabel ?? 'x',
    yLabel: args.yLabel ?? 'y',
    x: x.map(Number),
    series,
    logY: !!args.logY,
  };
}
