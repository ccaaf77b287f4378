/**
 * One validator for the numeric options of the data generators, so that every bad option
 * fails the same way: a `ValueError` (the class a Keras reader knows) naming the option, the
 * range it must be in and the value it got, e.g.
 * `ValueError: gap must be an integer in [1, ∞), got 0.5`.
 */
import { ValueError } from '../errors';

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
