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
