/**
 * `data/imdb-available.json`: a small marker the build writes next to the IMDB files, saying
 * whether they were in `public/data/imdb/` when the site was built (`npm run data` before
 * `npm run build`). The in-page loader reads it first, so a site built without the data falls
 * back to the stand-in quietly instead of requesting a manifest that is not there (a 404 in
 * every reader's console). In `astro dev` it is computed on each request.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRoute } from 'astro';
import { IMDB_DIR, MANIFEST_FILE, type ImdbAvailability } from '../../rnn/data/imdb-format';

export const prerender = true;

export const GET: APIRoute = () => {
  const body: ImdbAvailability = { imdb: existsSync(join(process.cwd(), 'public', IMDB_DIR, MANIFEST_FILE)) };
  return new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
};
