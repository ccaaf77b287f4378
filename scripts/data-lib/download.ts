/**
 * Downloading a file once into a local cache folder, with progress on stderr, a `.part` file
 * renamed only when complete, and an optional checksum check (SHA-256 or MD5, as Keras's
 * `get_file(file_hash=…)`). Errors say what failed and what to try.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** Hex digest; the algorithm is chosen by length as Keras does (64 chars SHA-256, else MD5). */
export function hashHex(bytes: Uint8Array, expectedLike: string): string {
  return createHash(expectedLike.length === 64 ? 'sha256' : 'md5').update(bytes).digest('hex');
}

export interface DownloadOptions {
  url: string;
  cacheDir: string;
  /** Expected hash; a cached or downloaded file that differs is rejected. */
  hash?: string;
  log?: (line: string) => void;
  fetchImpl?: typeof fetch;
}

/** Returns the file's bytes, downloading only if no valid cached copy exists. */
export async function downloadOnce({ url, cacheDir, hash, log = () => {}, fetchImpl = fetch }: DownloadOptions): Promise<{ path: string; bytes: Uint8Array }> {
  const name = basename(new URL(url).pathname);
  const path = join(cacheDir, name);
  if (existsSync(path)) {
    const bytes = new Uint8Array(await readFile(path));
    if (!hash || hashHex(bytes, hash) === hash) {
      log(`using the cached ${path}`);
      return { path, bytes };
    }
    log(`${path} does not match the expected checksum; downloading it again`);
  }
  await mkdir(cacheDir, { recursive: true });
  log(`downloading ${url}`);
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new DownloadError(
      `could not download ${url}: ${(err as Error).message}${cause ? ` (${cause})` : ''}. ` +
        'Check your network, or download the file yourself and run `npm run data -- --from path/to/' + name + '`.',
    );
  }
  if (!response.ok) {
    throw new DownloadError(`could not download ${url}: HTTP ${response.status} ${response.statusText}.`);
  }
  const total = Number(response.headers.get('content-length') ?? 0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  let lastReport = 0;
  try {
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
      if (size - lastReport > 1 << 20) {
        lastReport = size;
        log(`  ${(size / 1e6).toFixed(1)} MB${total ? ` of ${(total / 1e6).toFixed(1)} MB` : ''}`);
      }
    }
  } catch (err) {
    throw new DownloadError(`the download of ${url} broke off after ${size} bytes: ${(err as Error).message}. Run the command again.`);
  }
  const bytes = new Uint8Array(size);
  let p = 0;
  for (const c of chunks) {
    bytes.set(c, p);
    p += c.length;
  }
  if (total && size !== total) throw new DownloadError(`the download of ${url} is incomplete (${size} of ${total} bytes). Run the command again.`);
  if (hash) {
    const got = hashHex(bytes, hash);
    if (got !== hash) {
      throw new DownloadError(`${url} has checksum ${got}, expected ${hash}: the download is corrupt or the file changed upstream.`);
    }
  }
  const part = `${path}.part`;
  await writeFile(part, bytes);
  await rm(path, { force: true });
  await rename(part, path);
  return { path, bytes };
}
