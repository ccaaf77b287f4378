/**
 * Bringing up tfjs and `src/rnn` inside the worker, once, on the first execute: choose the
 * backend, configure the data layer, patch `summary` (so it shows a SummaryBundle) and `fit`
 * (fit.ts), and fill the builtins every cell sees.
 */
import type * as tfTypes from '@tensorflow/tfjs';
import type * as RnnModule from '../rnn/index';
import { summarize, summaryText, type ModelLike } from './summary';

/** The tfjs namespace the kernel loads. */
export type Tf = typeof tfTypes;
/** The namespace of `src/rnn/index.ts` (checked by the compiler, not retyped here). */
export type Rnn = typeof RnnModule;

/** What the loader gives the kernel; tests may pass a part of `rnn`, or none. */
export interface LoadedModules {
  tf: Tf;
  rnn?: Partial<Rnn>;
}

/**
 * Sets the backend: the rnn library's measured choice (`rnn.useFastestBackend()`, which also
 * readies its WebAssembly kernels), else 'cpu'.
 */
export async function chooseBackend(mods: LoadedModules): Promise<string> {
  const { tf, rnn } = mods;
  if (rnn?.useFastestBackend) await rnn.useFastestBackend();
  else await tf.setBackend('cpu');
  await tf.ready();
  return tf.getBackend();
}

/**
 * Points src/rnn's data layer at the site base and routes its download progress and notices to the
 * kernel (does nothing when `rnn.configureData` is missing).
 */
export function configureData(
  mods: LoadedModules,
  base: string,
  onProgress: (label: string, loaded: number, total: number, done: boolean) => void,
  warn: (message: string) => void,
): void {
  const rnn = mods.rnn;
  // src/rnn resolves `data/imdb/…` under the site base itself (see src/rnn/data/config.ts).
  rnn?.configureData?.({ baseUrl: base, onProgress, warn });
}

const SUMMARY_PATCHED = Symbol.for('rnn-notebook.summary-patched');

/**
 * `model.summary()` with no printFn (or a console method) shows a SummaryBundle; a custom
 * printFn receives the Keras 3 text line by line instead.
 */
export function patchSummary(
  tf: Tf,
  show: (bundle: ReturnType<typeof summarize>) => boolean,
  isConsoleMethod: (fn: unknown) => boolean,
): void {
  for (const cls of [tf.LayersModel, tf.Sequential]) {
    const proto = cls.prototype as unknown as Record<PropertyKey, unknown> & { summary: (...a: unknown[]) => void };
    if (Object.prototype.hasOwnProperty.call(proto, SUMMARY_PATCHED)) continue;
    proto[SUMMARY_PATCHED] = true;
    const original = proto.summary;
    proto.summary = function (this: ModelLike, lineLength?: unknown, positions?: unknown, printFn?: unknown) {
      const bundle = summarize(this);
      if (printFn === undefined || isConsoleMethod(printFn)) {
        if (show(bundle)) return;
        return original.call(this, lineLength, positions, printFn);
      }
      for (const line of summaryText(bundle).split('\n')) (printFn as (s: string) => void)(line);
    };
  }
}

/** Names a cell sees besides its own: `tf`, `rnn` and the rnn helpers the lessons use. */
export function moduleBuiltins(mods: LoadedModules): Record<string, unknown> {
  const out: Record<string, unknown> = { tf: mods.tf };
  const rnn = mods.rnn;
  if (rnn) {
    out.rnn = rnn;
    const { imdb, datasets, padSequences, Tokenizer } = rnn;
    for (const [name, value] of Object.entries({ imdb, datasets, padSequences, Tokenizer })) {
      if (value !== undefined) out[name] = value;
    }
  }
  return out;
}
