/**
 * An error that stops the build with our own message and points Astro's "Location:" at the
 * author's file. Astro prints a plain Error's `message` as it is, its `hint` under "Hint:", and
 * its `loc` under "Location:" (without `loc` it takes the first `src/` frame of the stack, which
 * would name our checking code instead of the lesson).
 */
export interface BuildErrorLocation {
  /** Relative to the project root (Astro joins it to the root) or absolute. */
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
}

export type BuildError = Error & { loc?: { file: string; line: number; column: number }; hint?: string };

export function buildError(message: string, loc?: BuildErrorLocation, hint?: string): BuildError {
  const error: BuildError = new Error(message);
  // Astro recomputes `loc` from the stack when it has neither line nor column: give both.
  if (loc) error.loc = { file: loc.file, line: loc.line ?? 1, column: loc.column ?? 1 };
  if (hint) error.hint = hint;
  return error;
}
