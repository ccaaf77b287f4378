/**
 * Command-line options of the measuring scripts (`npm run lighthouse`, `interactions`,
 * `font-lookups`): `--name value` pairs and bare `--flag`s after `npm run X --`.
 *
 * An option the script does not know stops it, naming the ones it does, so that a mistyped
 * option is never silently ignored and a run never measures something other than what was asked.
 */

/** The options one script takes: each name with how its value is shown in messages ('' for a flag). */
export type KnownOptions = Record<`--${string}`, string>;

export interface CliOptions {
  /** The value after `name`, or undefined when `name` is absent. */
  value(name: string): string | undefined;
  /** The value after `name`; stops the script with `what` when `name` is absent. */
  required(name: string, what: string): string;
  /** Whether the bare flag `name` was given. */
  flag(name: string): boolean;
}

/** Reads `argv` (by default this process's arguments) for `npm run <command>`; see the module comment. */
export function cliOptions(command: string, known: KnownOptions, argv = process.argv.slice(2)): CliOptions {
  const fail = (message: string): never => {
    console.error(`npm run ${command}: ${message}`);
    process.exit(1);
  };
  for (const a of argv) {
    if (a.startsWith('--') && !(a in known)) {
      const list = Object.entries(known).map(([name, shown]) => (shown ? `${name} ${shown}` : name));
      fail(`unknown option ${a} (known: ${list.join(', ')})`);
    }
  }
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return {
    value,
    required: (name, what) => value(name) ?? fail(`${name} ${known[name as `--${string}`]} is required (${what})`),
    flag: (name) => argv.includes(name),
  };
}
