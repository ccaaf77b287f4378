/**
 * Errors the data layer throws on purpose. Their messages are written for the reader of a
 * notebook cell: what is missing, the command that gets it, and what works offline.
 */
import { DATA_COMMAND } from './imdb-format';

/** The sentence that tells a reader what works without the IMDB files. */
export const OFFLINE_HINT =
  "Offline alternatives: imdb.loadData({ ..., fallback: 'toy' }) or datasets.toySentiment() " +
  '(a made-up IMDB-shaped task), or your own file with files.pick() + parseTextDataset() + Tokenizer.';

/** The IMDB files are not on the site, could not be fetched, or failed verification. */
export class DataUnavailableError extends Error {
  /** The file (URL) that was missing or bad. */
  readonly missing: string;
  /** The command that fetches the data. */
  readonly command = DATA_COMMAND;

  constructor(what: string, missing: string, detail?: string) {
    super(
      `${what}: ${missing}${detail ? ` (${detail})` : ''}. ` +
        `Run \`${DATA_COMMAND}\` in the project folder once to download IMDB (about 17 MB) ` +
        `and convert it into public/data/imdb/, then reload the page (rebuild first if you serve dist/). ${OFFLINE_HINT}`,
    );
    this.name = 'DataUnavailableError';
    this.missing = missing;
  }
}
