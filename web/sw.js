// Keeps the studio's own files so the page, and with it the local library, opens offline.
// Network first: online, every file comes fresh from the server; the cache is only a fallback.
// API calls (/openai/...) and admin calls are never touched.
const CACHE = "sora-studio-shell";
// The shell: the app's navigation document. Only its own URL replaces it; opening `/icon.svg` in a
// tab is a navigation too, and must not become the page the studio opens offline.
const SHELL = new URL("./", self.registration.scope).href;
const SHELL_PATHS = [new URL(SHELL).pathname, new URL("index.html", SHELL).pathname];
// trunk's content-hashed files (`name-<hash>.js`, `name-<hash>_bg.wasm`, `style-<hash>.css`): each
// version has its own, so an old version's are dead weight once a new shell is in place.
const HASHED = /-[0-9a-f]{8,}(?:_bg)?\.(?:js|wasm|css)$/;

/** The same-origin files a shell's HTML refers to: trunk's hashed JS, wasm and CSS, and snippets. */
function assets(html) {
  // Quoted or not: the release build's minified HTML drops the quotes.
  const refs = html.matchAll(/\b(?:href|src|data-js|data-wasm)=(?:"([^"]+)"|'([^']+)'|([^\s"'>]+))/g);
  const urls = [...refs].map((m) => m[1] ?? m[2] ?? m[3]).filter((u) => !u.includes("//"));
  return [...new Set(urls.map((u) => new URL(u, SHELL).href))];
}

/** Drops the hashed files that the shell `html` no longer refers to. */
async function prune(cache, html) {
  const keep = new Set(assets(html));
  for (const request of await cache.keys()) {
    if (HASHED.test(new URL(request.url).pathname) && !keep.has(request.url)) await cache.delete(request);
  }
}

/** Keeps `response` as the shell, and evicts what the previous one needed and this one does not. */
async function storeShell(cache, response) {
  const html = await response.clone().text();
  await cache.put(SHELL, response);
  await prune(cache, html);
  return html;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const html = await storeShell(cache, await fetch(SHELL, { cache: "no-store" }));
      await cache.addAll(assets(html));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) =>
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const shell = await cache.match(SHELL);
      if (shell) await prune(cache, await shell.text());
      await self.clients.claim();
    })(),
  ),
);

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname.includes("/openai/") || url.pathname.startsWith("/admin/") || url.pathname === "/healthz") return;
  const isShell = SHELL_PATHS.includes(url.pathname);
  const navigate = event.request.mode === "navigate";
  event.respondWith(
    (async () => {
      try {
        const response = await fetch(event.request);
        if (response.ok && isShell) {
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => storeShell(cache, copy)));
        } else if (response.ok && !navigate) {
          // A file the page loaded. A document opened in a tab (an image, the icon) is not kept.
          const copy = response.clone();
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(event.request, copy)));
        }
        return response;
      } catch (error) {
        const cached = await caches.match(isShell ? SHELL : event.request);
        if (cached) return cached;
        throw error;
      }
    })(),
  );
});
