// The service worker's cache (web/sw.js): only the shell's own URL replaces the cached shell, and
// content-hashed files that the current shell no longer refers to are evicted.
//
// Used by studio.e2e.mjs: `await serviceWorkerShell({ context, base, open })`.

import { check } from "./card.mjs";

const CACHE = "sora-studio-shell";
/** What an older version left: trunk-style hashed names no current shell refers to. */
const OLD = ["sora-studio-0123456789abcdef_bg.wasm", "sora-studio-0123456789abcdef.js", "style-fedcba9876543210.css"];

/** The cache's keys (paths) and the cached shell's content type, read inside the page. */
function cacheState(page, base) {
  return page.evaluate(
    async ([name, shell]) => {
      const cache = await caches.open(name);
      const keys = (await cache.keys()).map((r) => new URL(r.url).pathname);
      const cached = await cache.match(shell);
      return { keys, shellType: cached?.headers.get("content-type") ?? null, shellStart: cached ? (await cached.text()).slice(0, 15) : null };
    },
    [CACHE, `${base}/`],
  );
}

export async function serviceWorkerShell({ context, base, open }) {
  const page = await open(context);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 10_000 });
  const before = await cacheState(page, base);
  check(/text\/html/.test(before.shellType ?? ""), `the shell is cached as HTML (${before.shellType})`);
  const current = before.keys.filter((k) => /-[0-9a-f]{8,}(?:_bg)?\.(?:js|wasm|css)$/.test(k));
  check(current.some((k) => k.endsWith("_bg.wasm")), `the current hashed wasm is cached (${before.keys.join(", ")})`);

  // Opening another same-origin file in the tab is a navigation the worker sees.
  const icon = await page.goto(`${base}/icon.svg`);
  check(icon.ok() && /svg/.test(icon.headers()["content-type"] ?? ""), "the icon opened in the tab");
  await page.waitForTimeout(500);
  const after = await cacheState(page, base);
  check(/text\/html/.test(after.shellType ?? "") && /<!doctype html/i.test(after.shellStart ?? ""), `the icon did not replace the shell (${after.shellType}: ${after.shellStart})`);

  // An older version's hashed files, as if left by the previous deployment.
  await page.evaluate(
    async ([name, origin, old]) => {
      const cache = await caches.open(name);
      for (const file of old) await cache.put(`${origin}/${file}`, new Response("old version"));
    },
    [CACHE, base, OLD],
  );
  // Online again: the fresh shell is stored, and what it no longer refers to is evicted.
  await page.goto(`${base}/`);
  await page.waitForSelector("body[data-app=mounted]", { timeout: 20_000 });
  let state;
  for (let i = 0; i < 50; i++) {
    state = await cacheState(page, base);
    if (!OLD.some((f) => state.keys.includes(`/${f}`))) break;
    await page.waitForTimeout(100);
  }
  const left = OLD.filter((f) => state.keys.includes(`/${f}`));
  check(left.length === 0, `an old version's hashed files are evicted (left: ${left.join(", ")})`);
  check(current.every((k) => state.keys.includes(k)), `the current version's files stay (${state.keys.join(", ")})`);

  // Offline, the studio's shell (not the icon) is what opens.
  await page.goto(`${base}/icon.svg`);
  await page.waitForTimeout(500);
  await context.setOffline(true);
  const offline = await page.goto(`${base}/`);
  check(/text\/html/.test(offline.headers()["content-type"] ?? ""), "offline, the shell opens after the icon was opened");
  await context.setOffline(false);
}
