/**
 * The logic of `npm run data` (scripts/data.ts), as a function tests can call.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MANIFEST_FILE, sha256Hex, type ImdbManifest } from '../../src/rnn/data/imdb-format';
import { buildCompactFiles, ConvertError, readImdbArchive, readWordIndex } from './convert';
import { downloadOnce, DownloadError } from './download';

export const KERAS_BASE_URL = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/';
/** Checksums Keras's own `get_file` uses for these two files. */
export const KERAS_HASHES: Record<string, string> = {
  'imdb.npz': '69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f',
  'imdb_word_index.json': 'bfafd718b763782e994055a2d397834f',
};

const HELP = `Usage: npm run data [-- options]

Downloads IMDB (Keras's imdb.npz and imdb_word_index.json, ~17 MB) once, verifies it and
converts it into compact files in public/data/imdb/ that the lessons load in the page.

  --from FILE        convert a local imdb.npz or imdb_tfjs_data.zip instead of downloading
  --word-index FILE  a local imdb_word_index.json (default: next to --from, if there)
  --out DIR          output folder (default: public/data/imdb)
  --cache DIR        download cache (default: .cache/data)
  --base-url URL     where to download from (default: ${KERAS_BASE_URL})
  --force            convert again even if the output is already there and valid
  --check            only verify the output folder
  --help             this text
`;

export interface CliIO {
  log: (line: string) => void;
  error: (line: string) => void;
  /** The project root: --out and --cache are relative to it. */
  cwd: string;
  /** Where the user typed the command (npm's INIT_CWD): --from and --word-index are relative to it. */
  inputCwd?: string;
  fetchImpl?: typeof fetch;
}

const defaultIO: CliIO = {
  log: (l) => console.log(l),
  error: (l) => console.error(l),
  cwd: process.cwd(),
  inputCwd: process.env.INIT_CWD,
};

/** Verifies an output folder against its manifest; returns a problem or null. */
export async function checkOutput(outDir: string): Promise<string | null> {
  const manifestPath = join(outDir, MANIFEST_FILE);
  if (!existsSync(manifestPath)) return `${manifestPath} does not exist`;
  let manifest: ImdbManifest;
  try {
    manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch {
    return `${manifestPath} is not valid JSON`;
  }
  for (const [name, entry] of Object.entries(manifest.files ?? {})) {
    const p = join(outDir, name);
    if (!existsSync(p)) return `${p} is missing`;
    const bytes = new Uint8Array(await readFile(p));
    if (bytes.length !== entry.bytes || (await sha256Hex(bytes)) !== entry.sha256) return `${p} does not match the manifest`;
  }
  return null;
}

export async function runDataCommand(argv: string[], io: CliIO = defaultIO): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        'word-index': { type: 'string' },
        out: { type: 'string' },
        cache: { type: 'string' },
        'base-url': { type: 'string' },
        force: { type: 'boolean' },
        check: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    io.error(`npm run data: ${(err as Error).message}\n\n${HELP}`);
    return 1;
  }
  if (values.help) {
    io.log(HELP);
    return 0;
  }
  const outDir = resolve(io.cwd, values.out ?? 'public/data/imdb');
  const cacheDir = resolve(io.cwd, values.cache ?? '.cache/data');

  if (values.check) {
    const problem = await checkOutput(outDir);
    if (problem) {
      io.error(`npm run data: ${problem}. Run \`npm run data\` to (re)create it.`);
      return 1;
    }
    io.log(`${outDir} is complete and matches its manifest.`);
    return 0;
  }
  if (!values.force && (await checkOutput(outDir)) === null) {
    io.log(`IMDB is already in ${outDir} (verified). Use --force to convert again.`);
    return 0;
  }

  try {
    let archive: { bytes: Uint8Array; name: string };
    let wordIndexFile: { bytes: Uint8Array; name: string } | null = null;
    if (values.from) {
      const inputCwd = io.inputCwd ?? io.cwd;
      const path = resolve(inputCwd, values.from);
      if (!existsSync(path)) throw new ConvertError(`--from ${values.from}: no such file`);
      archive = { bytes: new Uint8Array(await readFile(path)), name: basename(path) };
      const wi = values['word-index'] ? resolve(inputCwd, values['word-index']) : join(dirname(path), 'imdb_word_index.json');
      if (existsSync(wi)) wordIndexFile = { bytes: new Uint8Array(await readFile(wi)), name: basename(wi) };
      else if (values['word-index']) throw new ConvertError(`--word-index ${values['word-index']}: no such file`);
      else io.log(`note: no imdb_word_index.json next to ${values.from}; imdb.decode/encode will not work (pass --word-index FILE).`);
    } else {
      const base = (values['base-url'] ?? KERAS_BASE_URL).replace(/\/?$/, '/');
      const official = base === KERAS_BASE_URL;
      const get = async (file: string) => {
        const { bytes } = await downloadOnce({
          url: base + file,
          cacheDir,
          hash: official ? KERAS_HASHES[file] : undefined,
          log: io.log,
          fetchImpl: io.fetchImpl,
        });
        return { bytes, name: file };
      };
      archive = await get('imdb.npz');
      wordIndexFile = await get('imdb_word_index.json');
    }
    io.log(`reading ${archive.name}…`);
    const { raw, kind } = readImdbArchive(archive.bytes, archive.name);
    const wordIndex = wordIndexFile ? readWordIndex(wordIndexFile.bytes, wordIndexFile.name) : null;
    const description = kind === 'npz' ? `${archive.name} (Keras imdb.npz)` : `${archive.name} (TensorFlow.js examples imdb_tfjs_data.zip)`;
    const { manifest, files } = await buildCompactFiles(raw, wordIndex, { description, sha256: await sha256Hex(archive.bytes) });

    await mkdir(outDir, { recursive: true });
    await rm(join(outDir, MANIFEST_FILE), { force: true }); // the manifest is written last: no manifest, no data
    for (const [name, bytes] of files) await writeFile(join(outDir, name), bytes);
    await writeFile(join(outDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    const problem = await checkOutput(outDir);
    if (problem) throw new ConvertError(`verification after writing failed: ${problem}`);
    const size = [...files.values()].reduce((s, b) => s + b.length, 0);
    io.log(
      `IMDB ready in ${outDir}: ${manifest.splits.train.reviews} train + ${manifest.splits.test.reviews} test reviews, ` +
        `${(size / 1e6).toFixed(1)} MB${wordIndex ? `, ${Object.keys(wordIndex).length} words in the index` : ''}.`,
    );
    return 0;
  } catch (err) {
    if (err instanceof ConvertError || err instanceof DownloadError) {
      io.error(`npm run data: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
