/**
 * The error classes Keras raises for bad arguments, so that a reader of a Keras course sees the
 * class they know: `ValueError` for an argument of the right type but a bad value (an unknown
 * regularizer name, a padding mode, a negative factor). For a wrong type where Keras raises
 * `TypeError` (an unrecognized keyword argument) JavaScript's own `TypeError` already has
 * Keras's name. Messages keep Keras's wording where it has one, and name the argument.
 */

/** Keras's error class for an argument of the right type but a bad value (`error.name` is 'ValueError'). */
export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

/**
 * The `ValueError` for a Keras argument that is known but not implemented at the value given:
 * `LSTM: argument 'dtype' = "float16" is not supported: the layers compute in float32 only.`
 */
export function unsupportedArgument(where: string, key: string, value: unknown, why: string): ValueError {
  const shown = JSON.stringify(value) ?? (typeof value === 'function' ? 'a function' : String(value));
  return new ValueError(`${where}: argument '${key}' = ${shown} is not supported: ${why}.`);
}

/** tfjs camelCase of a snake_case key: `'return_sequences'` -> `'returnSequences'`. */
export function camelCaseOf(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/**
 * The `TypeError` for an argument key that `where` does not take, in the layers' wording
 * (`layers/weight-args.ts`): `LSTM: unrecognized keyword argument 'return_sequences' (use tfjs
 * camelCase spelling, e.g. 'returnSequences'). Known arguments: …`. The hint is given only when
 * it names a known key: the camelCase of a snake_case key, or else the known key that differs
 * only in case and underscores (`maxLen`, `max_len` -> `(did you mean 'maxlen'?)`). `written`
 * is the key as the reader wrote it, when the hint is worked out from another spelling (Keras 2's
 * `lr` is looked up as `learning_rate`).
 */
export function unrecognizedArgument(where: string, key: string, known: readonly string[], written = key): TypeError {
  const camel = camelCaseOf(key);
  const loose = (k: string) => k.replace(/_/g, '').toLowerCase();
  const near = known.find((k) => loose(k) === loose(key));
  const hint =
    key.includes('_') && known.includes(camel)
      ? ` (use tfjs camelCase spelling, e.g. '${camel}')`
      : near !== undefined
        ? ` (did you mean '${near}'?)`
        : '';
  return new TypeError(`${where}: unrecognized keyword argument '${written}'${hint}. Known arguments: ${known.join(', ')}.`);
}
