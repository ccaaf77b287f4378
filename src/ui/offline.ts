/**
 * Registers the service worker (`${BASE_URL}sw.js`, made by src/site/offline/integration.ts) so
 * the site, its search, the notebook kernel, tfjs and the library keep working offline after a
 * first visit, and shows an update notice when a newer version of the site has been downloaded in
 * the background: "Reload" hands over to it (message `skip-waiting`), then the page reloads once
 * the new version controls it. Nothing happens in `astro dev` (no sw.js there) or where service
 * workers are unavailable (file://, some private modes).
 *
 * The notice is a small `role="status"` box at the bottom of the window; `data-testid` hooks are
 * for the browser test (tests/e2e/offline.test.ts).
 */

const base = import.meta.env.BASE_URL.endsWith('/') ? import.meta.env.BASE_URL : `${import.meta.env.BASE_URL}/`;

function showUpdateNotice(waiting: ServiceWorker): void {
  if (document.querySelector('.sw-update')) return;
  const box = document.createElement('div');
  box.className = 'sw-update';
  box.setAttribute('role', 'status');
  box.dataset.testid = 'sw-update';
  box.style.cssText =
    'position:fixed;inset:auto 1rem 1rem auto;max-width:min(26rem,calc(100vw - 2rem));z-index:1000;' +
    'padding:.75rem 1rem;border:1px solid var(--border-strong,#999);border-radius:var(--radius,6px);' +
    'background:var(--bg-raised,#fff);color:var(--text,#000);box-shadow:var(--shadow,0 1px 6px rgb(0 0 0/.2));font:inherit';
  const text = document.createElement('span');
  text.textContent = 'A new version of RNN Notebook is ready. Reload to use it (running cells will stop). ';
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.textContent = 'Reload';
  reload.addEventListener('click', () => {
    reload.disabled = true;
    waiting.postMessage({ type: 'skip-waiting' });
  });
  const later = document.createElement('button');
  later.type = 'button';
  later.textContent = 'Later';
  later.style.marginLeft = '.5rem';
  later.addEventListener('click', () => box.remove());
  box.append(text, reload, later);
  document.body.append(box);
}

async function register(): Promise<void> {
  const registration = await navigator.serviceWorker.register(`${base}sw.js`, { scope: base });
  // A first install (no controller yet) needs no notice: the site simply becomes available offline.
  const hadController = navigator.serviceWorker.controller !== null;
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (!hadController || reloading) return;
    reloading = true;
    location.reload();
  });
  const watch = (worker: ServiceWorker | null) => {
    if (!worker) return;
    const check = () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller) showUpdateNotice(worker);
    };
    check();
    worker.addEventListener('statechange', check);
  };
  watch(registration.waiting);
  watch(registration.installing);
  registration.addEventListener('updatefound', () => watch(registration.installing));
}

/**
 * A reader who asked the browser to save data (Chrome's Lite mode / Android's Data Saver,
 * `navigator.connection.saveData`) is not sent the offline copy: it is the whole site (about
 * 1.7 MB compressed), downloaded in the background. Pages and cells still work as usual.
 */
const savingData = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection?.saveData === true;

if ('serviceWorker' in navigator && import.meta.env.PROD && !savingData) {
  // After load, so the first visit's own downloads come first.
  if (document.readyState === 'complete') void register().catch((e) => console.warn('Offline copy unavailable:', e));
  else addEventListener('load', () => void register().catch((e) => console.warn('Offline copy unavailable:', e)), { once: true });
}
