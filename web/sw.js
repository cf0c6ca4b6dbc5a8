// Keeps the studio's own files so the page, and with it the local library, opens offline.
// Network first: online, every file comes fresh from the server; the cache is only a fallback.
// API calls (/openai/...) and admin calls are never touched.
const CACHE = "sora-studio-shell";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const response = await fetch("./", { cache: "no-store" });
      const html = await response.clone().text();
      await cache.put("./", response);
      // The hashed files trunk put in index.html: the app's JS, wasm, CSS and snippets.
      const urls = [...html.matchAll(/(?:href|src|data-js|data-wasm)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u.includes("//"));
      await cache.addAll([...new Set(urls)]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname.includes("/openai/") || url.pathname.startsWith("/admin/") || url.pathname === "/healthz") return;
  event.respondWith(
    (async () => {
      try {
        const response = await fetch(event.request);
        if (response.ok && event.request.mode !== "navigate") {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(event.request, copy));
        } else if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put("./", copy));
        }
        return response;
      } catch (error) {
        const cached = await caches.match(event.request.mode === "navigate" ? "./" : event.request);
        if (cached) return cached;
        throw error;
      }
    })(),
  );
});
