// Offline support: after the first visit the page and its assets come from this cache.
// Assets have content-hashed names (cache first); the page itself is fetched from the network
// first, so a new deploy shows at once, and from the cache when offline. Only the page itself
// is ever cached as the page (never another file opened in the tab), and each fresh copy of the
// page drops the assets it no longer links to, so old deploys do not pile up.
const CACHE = 'scaling-calc-v1';
const PAGE = new URL('./', self.location).href;

/** The absolute URLs a copy of the page needs: what its HTML links to, the manifest and icon. */
function assetsOf(html) {
  const linked = [...html.matchAll(/(?:href|src)="([^"]+)"/g)]
    .map((m) => m[1])
    .filter((url) => !url.startsWith('data:') && !/^[a-z]+:\/\//i.test(url));
  // Absolute and unique: addAll rejects duplicates such as 'icon.svg' and './icon.svg'.
  const urls = [...linked, './manifest.webmanifest', './icon.svg'].map((u) => new URL(u, self.location).href);
  return [...new Set(urls)];
}

/** Keeps `response` (a fresh copy of the page) and its assets; forgets every other entry. */
async function keepPage(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  await cache.put(PAGE, response);
  const wanted = new Set([PAGE, ...assetsOf(html)]);
  await Promise.all(
    [...wanted].filter((url) => url !== PAGE).map(async (url) => {
      if (!(await cache.match(url))) await cache.add(url);
    }),
  );
  for (const request of await cache.keys()) {
    if (!wanted.has(request.url.split('?')[0])) await cache.delete(request);
  }
}

/** Whether a navigation is to the page itself (the app's folder or its index.html). */
function isPage(request) {
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  return url.href === PAGE || url.href === new URL('./index.html', self.location).href;
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    await keepPage(await fetch(PAGE, { cache: 'reload' }));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    if (!isPage(request)) return; // another file opened in the tab: the network's, never cached as the page
    event.respondWith((async () => {
      try {
        const fresh = await fetch(request);
        const html = (fresh.headers.get('content-type') || '').includes('text/html');
        if (fresh.ok && html) event.waitUntil(keepPage(fresh.clone()));
        return fresh;
      } catch {
        return (await caches.match(PAGE)) || Response.error();
      }
    })());
    return;
  }
  event.respondWith((async () => {
    const cached = await caches.match(request, { ignoreSearch: true });
    if (cached) return cached;
    const fresh = await fetch(request);
    if (fresh.ok) (await caches.open(CACHE)).put(request, fresh.clone());
    return fresh;
  })());
});
