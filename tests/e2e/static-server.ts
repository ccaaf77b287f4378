/** A tiny static file server for the built site, mounted under a base path, on 127.0.0.1. */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.bin': 'application/octet-stream',
};

export interface StaticServer {
  url: string; // e.g. http://127.0.0.1:41234/rnn-notebook/
  server: Server;
  close(): Promise<void>;
}

/**
 * Response headers in the format of Netlify's and Cloudflare Pages' `_headers` file: a path
 * pattern (`/*`, `/_astro/*`) on its own line, then indented `Name: value` lines. Returns the
 * headers for a path (from the site root): every matching rule applies, and a header named by
 * several rules gets their values joined with ", " (as those hosts do).
 */
export function headersFor(rulesText: string, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  let matches = false;
  for (const raw of rulesText.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (!line || line.trimStart().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const pattern = new RegExp(`^${line.trim().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
      matches = pattern.test(path);
      continue;
    }
    if (!matches) continue;
    const i = line.indexOf(':');
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    out[name] = out[name] ? `${out[name]}, ${value}` : value;
  }
  return out;
}

export async function startStaticServer(dir: string, base = '/', opts: { headers?: string } = {}): Promise<StaticServer> {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      let path = decodeURIComponent(url.pathname);
      if (!path.startsWith(base)) {
        res.writeHead(404).end('not under base');
        return;
      }
      path = '/' + path.slice(base.length);
      // As Netlify and Cloudflare Pages do: their configuration files are read, never served.
      if (path === '/_headers' || path === '/_redirects') {
        res.writeHead(404).end('not served');
        return;
      }
      let file = normalize(join(dir, path));
      if (!file.startsWith(dir)) {
        res.writeHead(403).end();
        return;
      }
      let s = await stat(file).catch(() => null);
      if (s?.isDirectory()) {
        file = join(file, 'index.html');
        s = await stat(file).catch(() => null);
      }
      if (!s) {
        const notFound = await readFile(join(dir, '404.html')).catch(() => null);
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(notFound ?? 'not found');
        return;
      }
      const extra = opts.headers ? headersFor(opts.headers, path) : {};
      res.writeHead(200, { ...extra, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(await readFile(file));
    } catch (e) {
      res.writeHead(500).end(String(e));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    server,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
