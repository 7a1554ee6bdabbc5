// Offline support: after the first visit the page and its assets come from this cache.
// Assets have content-hashed names (cache first); the page itself is fetched from the network
// first, so a new deploy shows at once, and from the cache when offline.
const CACHE = 'scaling-calc-v1';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const response = await fetch('./', { cache: 'reload' });
    const html = await response.clone().text();
    await cache.put('./', response);
    // Everything index.html links to (the wasm, its JS, the CSS), found by reading it.
    const linked = [...html.matchAll(/(?:href|src)="([^"]+)"/g)]
      .map((m) => m[1])
      .filter((url) => !url.startsWith('data:') && !/^[a-z]+:\/\//i.test(url));
    // Resolved to absolute URLs first: addAll rejects duplicates such as 'icon.svg' and './icon.svg'.
    const urls = [...linked, './manifest.webmanifest', './icon.svg'].map((u) => new URL(u, self.location).href);
    await cache.addAll([...new Set(urls)]);
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
    event.respondWith((async () => {
      try {
        const fresh = await fetch(request);
        if (fresh.ok) (await caches.open(CACHE)).put('./', fresh.clone());
        return fresh;
      } catch {
        return (await caches.match('./')) || Response.error();
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
