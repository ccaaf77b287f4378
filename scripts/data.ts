/**
 * `npm run data`: gets IMDB once and converts it into the compact files the site serves from
 * `public/data/imdb/` (see src/rnn/data/imdb-format.ts and docs/DATA.md).
 *
 *   npm run data                               download Keras's imdb.npz + imdb_word_index.json
 *   npm run data -- --from ~/imdb.npz          use a local imdb.npz (word index from next to it, if present)
 *   npm run data -- --from imdb_tfjs_data.zip  use the TensorFlow.js examples' copy
 *   options: --word-index FILE, --out DIR, --cache DIR, --base-url URL, --force, --check
 *
 * Exit status 0 on success (or when the data is already there and valid), 1 with a message on
 * any failure. Nothing else in the project needs the network.
 */
import { runDataCommand } from './data-lib/cli';

runDataCommand(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`npm run data: ${(err as Error)?.stack ?? err}`);
    process.exit(1);
  },
);
