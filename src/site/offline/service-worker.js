/*
 * RNN Notebook's service worker (the source of `${BASE_URL}sw.js`). The build
 * (src/site/offline/integration.ts) puts `self.__PRECACHE = { version, base, files }` in front of
 * this file: the build's own list of every page, script, style, font and search file, and a version
 * that is a hash of their contents.
 *
 * - install: downloads every listed file into the cache `rnn-notebook:<base>:<version>`
 *   (bypassing the HTTP cache). It does not take over by itself: a page that is already
 *   controlled by an older version shows an update notice (src/ui/offline.ts), and the new version
 *   takes over when the reader clicks Reload (message `skip-waiting`).
 * - activate: deletes this site's caches of other versions (only those of the same base, so two
 *   courses on one origin do not delete each other's), then controls open pages.
 * - fetch (GET, same origin, inside the base): listed files come from the cache (they never change
 *   within a version); page navigations match `lessons/lstm/` and `lessons/lstm/?q=` alike; anything
 *   else (the IMDB data files, for example) goes to the network and a copy is kept in the version's
 *   runtime cache, so it works offline after the first use. Offline and not cached: the network
 *   error goes to the page as usual (a navigation gets the cached 404 page).
 */
/* global self, caches, fetch, URL, Response */
const { version, base, files } = self.__PRECACHE;
const PREFIX = `rnn-notebook:${base}:`;
const PRECACHE = `${PREFIX}${version}`;
const RUNTIME = `${PREFIX}${version}:runtime`;
const scope = new URL(base, self.location.origin).href;
const listed = new Set(files.map((f) => new URL(f, scope).href));

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(PRECACHE);
      const missing = [];
      // A few at a time: the whole site is a few MB and the reader may be browsing meanwhile.
      const queue = [...listed];
      const workers = Array.from({ length: 6 }, async () => {
        for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
          if (await cache.match(url)) continue;
          const response = await fetch(url, { cache: 'reload' }).catch(() => undefined);
          if (response && response.ok) await cache.put(url, response);
          else missing.push(url);
        }
      });
      await Promise.all(workers);
      // An incomplete copy would break offline use in ways the reader cannot see: fail the install
      // (the previous version, if any, stays in charge and the browser retries later).
      if (missing.length > 0) throw new Error(`RNN Notebook offline copy: could not fetch ${missing.length} file(s), e.g. ${missing[0]}`);
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX) && key !== PRECACHE && key !== RUNTIME) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
  if (event.data && event.data.type === 'version' && event.ports[0]) event.ports[0].postMessage({ version, files: listed.size });
});

/** The listed URL a request stands for: `lessons/lstm` and `lessons/lstm/index.html` -> `lessons/lstm/`. */
function precacheKey(url) {
  const u = new URL(url);
  u.hash = '';
  u.search = '';
  if (listed.has(u.href)) return u.href;
  if (u.pathname.endsWith('/index.html')) {
    u.pathname = u.pathname.slice(0, -'index.html'.length);
    if (listed.has(u.href)) return u.href;
  } else if (!u.pathname.endsWith('/')) {
    u.pathname += '/';
    if (listed.has(u.href)) return u.href;
  }
  return undefined;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(scope) || request.headers.has('range')) return;
  const key = precacheKey(request.url);
  const isNavigation = request.mode === 'navigate';
  if (key === undefined && isNavigation) {
    event.respondWith(
      fetch(request).catch(async () => (await caches.match(new URL('404.html', scope).href, { cacheName: PRECACHE })) || Response.error()),
    );
    return;
  }
  if (key !== undefined) {
    event.respondWith(
      (async () => {
        const hit = await caches.match(key, { cacheName: PRECACHE });
        if (hit) return hit;
        const response = await fetch(request);
        if (response.ok && !isNavigation) (await caches.open(PRECACHE)).put(key, response.clone());
        return response;
      })(),
    );
    return;
  }
  // Not part of the build (e.g. data/imdb/*): network first, keep a copy for offline use.
  event.respondWith(
    (async () => {
      const cache = await caches.open(RUNTIME);
      try {
        const response = await fetch(request);
        if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
        return response;
      } catch (error) {
        const hit = await cache.match(request);
        if (hit) return hit;
        throw error;
      }
    })(),
  );
});
