/**
 * The TensorFlow.js the site ships: what `@tensorflow/tfjs` resolves to in the site build
 * (a Vite alias in astro.config.mjs; Node, the unit tests and `npm run bench` keep the full
 * package).
 *
 * Why: the notebook runs on the `cpu` backend (see `rnn.preferredBackend`), and no lesson uses
 * the graph-model converter or `tf.data`, yet the full package pulls in tfjs-converter,
 * tfjs-data and the WebGL backend (about 46 KB gzip plus the WebGL backend) on the first Run.
 * This module re-exports the same core, layers and cpu backend that the full package does, in
 * the same order (core, its gradients and chained ops, layers, cpu backend), so `tf.*` behaves
 * exactly as before for everything the lessons and `src/rnn` use.
 *
 * What is left out fails loudly rather than vaguely: `tf.data.*` and `tf.loadGraphModel`
 * throw an error that names them; `tf.setBackend('webgl')` resolves to false and the kernel
 * falls back to 'cpu' with a warning (src/kernel/runtime.ts).
 */
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { version_core } from '@tensorflow/tfjs-core';
import { version_layers } from '@tensorflow/tfjs-layers';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
export * from '@tensorflow/tfjs-backend-cpu';

/** The message for a part of TensorFlow.js this site does not ship. */
function notShipped(name: string): Error {
  return new Error(
    `${name} is not part of this site's TensorFlow.js (it ships tfjs-core, tfjs-layers and the cpu backend). ` +
      'Load data with rnn.imdb, rnn.datasets or files.pick(), and build models with tf.sequential / rnn layers.',
  );
}

/**
 * `tf.data` stand-in: reading any of its members (`tf.data.array`, `tf.data.csv`, …) throws an
 * error naming it. Symbols and `then` read as undefined, so inspecting or awaiting the object
 * stays harmless.
 */
export const data: Record<string, never> = new Proxy(
  {},
  {
    get(_target, name) {
      if (typeof name === 'symbol' || name === 'then' || name === 'toJSON') return undefined;
      throw notShipped(`tf.data.${name}`);
    },
  },
);

/** `tf.loadGraphModel` stand-in (tfjs-converter is not shipped): always throws, naming itself. */
export function loadGraphModel(): never {
  throw notShipped('tf.loadGraphModel');
}

/** `tf.loadGraphModelSync` stand-in (tfjs-converter is not shipped): always throws, naming itself. */
export function loadGraphModelSync(): never {
  throw notShipped('tf.loadGraphModelSync');
}

/** Versions of the packages shipped, like the full package's `tf.version` (minus the absent ones). */
export const version = {
  'tfjs-core': version_core,
  'tfjs-backend-cpu': version_cpu,
  'tfjs-layers': version_layers,
  tfjs: version_core,
};
