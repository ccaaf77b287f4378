/**
 * The argument checks of every public data helper, so that no option is silently ignored:
 * - `checkOptions` refuses an options object with a key the helper does not take (a typo, a
 *   Keras snake_case spelling such as `num_words`) with the layers' `TypeError`
 *   (`unrecognizedArgument` in ../errors.ts), a Keras argument the helper cannot honour with a
 *   `ValueError` saying why, a value of the wrong type or outside its set with a `ValueError`
 *   naming the accepted values, and a non-object (`padSequences(seqs, 100)`, Python's
 *   positional style) with a `TypeError` showing the named spelling;
 * - `checkArgCount` refuses extra positional arguments;
 * - `integerOption` / `fractionOption` check the numeric options of the generators the same
 *   way, e.g. `ValueError: gap must be an integer in [1, ∞), got 0.5`.
 */
import { unrecognizedArgument, unsupportedArgument, ValueError } from '../errors';

/** How one option's value is checked: `test`, and `accepts`, the words that describe what passes. */
export interface OptionRule {
  accepts: string;
  test(value: unknown): boolean;
}

/**
 * The options a helper takes: key -> its rule, or `null` when the helper checks that value
 * itself (with a message of its own, e.g. Keras's `Padding type "middle" not understood`).
 */
export type OptionRules = Record<string, OptionRule | null>;

/** A value as a message shows it: strings quoted, functions and objects by kind. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

const range = (min: number, max: number) => `[${min}, ${max === Infinity ? '∞)' : `${max}]`}`;

/** Building blocks of `OptionRules`. */
export const rule = {
  /** An integer in [min, max] (any integer when `min` is -Infinity). */
  int: (min: number, max = Infinity): OptionRule => ({
    accepts: min === -Infinity ? 'an integer' : `an integer in ${range(min, max)}`,
    test: (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
  }),
  /** Any number (NaN included, as NumPy fills with it). */
  number: (): OptionRule => ({ accepts: 'a number', test: (v) => typeof v === 'number' }),
  /** A string (non-empty when `nonEmpty`). */
  string: (nonEmpty = false): OptionRule => ({
    accepts: nonEmpty ? 'a non-empty string' : 'a string',
    test: (v) => typeof v === 'string' && (!nonEmpty || v.length > 0),
  }),
  boolean: (): OptionRule => ({ accepts: 'true or false', test: (v) => typeof v === 'boolean' }),
  function: (): OptionRule => ({ accepts: 'a function', test: (v) => typeof v === 'function' }),
  /** One of the listed values. */
  oneOf: (...values: readonly (string | number | boolean)[]): OptionRule => ({
    accepts: values.map(showValue).join(' or '),
    test: (v) => values.includes(v as string),
  }),
  /** Either rule. */
  either: (a: OptionRule, b: OptionRule): OptionRule => ({ accepts: `${a.accepts} or ${b.accepts}`, test: (v) => a.test(v) || b.test(v) }),
  /** The rule, or null. */
  nullable: (r: OptionRule): OptionRule => ({ accepts: `${r.accepts} or null`, test: (v) => v === null || r.test(v) }),
};

/**
 * Checks the options object of `where` against `rules` and returns it. Keys whose value is
 * `undefined` count as absent (as in the layers). `unsupported` lists Keras arguments the
 * helper refuses, each with the reason; `positional` is the key a bare value most likely
 * meant (Keras's first positional argument after the data: `maxlen` for `pad_sequences`).
 */
export function checkOptions<T>(
  where: string,
  options: T | undefined,
  rules: OptionRules,
  { unsupported = {}, positional }: { unsupported?: Record<string, string>; positional?: string } = {},
): T {
  const known = Object.keys(rules);
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    const named = positional && options !== null && typeof options !== 'object' ? `; to pass ${positional}, write { ${positional}: ${typeof options === 'string' ? `'${options}'` : String(options)} }` : '';
    throw new TypeError(
      `${where}: expected an object of named options (${known.join(', ')}), got ${showValue(options)}${named}.`,
    );
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const value = o[key];
    if (value === undefined) continue;
    if (Object.prototype.hasOwnProperty.call(unsupported, key)) {
      throw unsupportedArgument(where, key, value, unsupported[key]!);
    }
    if (!Object.prototype.hasOwnProperty.call(rules, key)) throw unrecognizedArgument(where, key, known);
    const r = rules[key];
    if (r && !r.test(value)) throw new ValueError(`${where}: ${key} must be ${r.accepts}, got ${showValue(value)}`);
  }
  return options;
}

/**
 * Refuses more positional arguments than `where` takes (JavaScript would drop them silently;
 * Python raises a TypeError). `params` is the signature shown, e.g. `'sequences, options'`.
 */
export function checkArgCount(where: string, count: number, params: string): void {
  const max = params === '' ? 0 : params.split(',').length;
  if (count > max) {
    const takes = max === 0 ? 'takes no arguments' : `takes at most ${max} argument${max === 1 ? '' : 's'} (${params})`;
    const hint = /options|config/.test(params) ? '; put the options in one object' : '';
    throw new TypeError(`${where} ${takes}, got ${count}${hint}.`);
  }
}

/**
 * Returns `value` when it is an integer in [min, max]; throws a ValueError naming `name`
 * otherwise. `max` defaults to no upper bound.
 */
export function integerOption(name: string, value: number, min: number, max = Infinity): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = `[${min}, ${max === Infinity ? '∞' : max}]`.replace(', ∞]', ', ∞)');
    throw new ValueError(`${name} must be an integer in ${range}, got ${String(value)}`);
  }
  return value;
}

/** Returns `value` when it is a number in [min, max); throws a ValueError naming `name` otherwise. */
export function fractionOption(name: string, value: number, min: number, maxExclusive: number): number {
  if (!(value >= min && value < maxExclusive)) {
    throw new ValueError(`${name} must be a number in [${min}, ${maxExclusive}), got ${String(value)}`);
  }
  return value;
}
