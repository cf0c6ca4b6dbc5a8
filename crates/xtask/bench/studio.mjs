// P2, P4, P5: the built studio (served by an emulator with --static-dir) in headless Chromium.
//
//   node studio.mjs http://127.0.0.1:PORT [--figures p2,p4,p5] [--runs N] [--p5-runs M] [--cycles C] [--rpm R] [--warmup W]
//
// Prints one `sample KEY VALUE` line per measurement (read by `cargo xtask bench`) and `# ...` progress.
//   P2: N cold loads, each in a fresh browser context (empty cache): first-load bytes (gzip -9 of every
//       same-origin asset the page requested) and time to interactive (navigation start -> app mounted).
//   P4: N 854x480 5 s jobs: the card turning Done -> the first `canplay` of its video.
//   P5: M runs of C create/play/delete cycles (after the Connection panel's "Requests per minute" is
//       set to R, default 6000, and W warm-up cycles, default 10): object URLs never revoked, JS heap growth after forced GC
//       (also logged at every quarter of the run).
// Helpers are copied from web/e2e/studio.e2e.mjs (kept separate so the tests and the bench can evolve).

import { chromium } from "playwright-core";
import { gzipSync } from "node:zlib";

const args = process.argv.slice(2);
const base = (args.find((a) => !a.startsWith("--")) ?? "").replace(/\/+$/, "");
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const figures = flag("--figures", "p2,p4,p5").split(",");
const runs = Number(flag("--runs", "5"));
const p5Runs = Number(flag("--p5-runs", String(runs)));
const cycles = Number(flag("--cycles", "100"));
/** P5's requests-per-minute setting, and its warm-up cycles before the heap baseline. */
const P5_RPM = Number(flag("--rpm", "6000"));
const P5_WARMUP = Number(flag("--warmup", "10"));
if (!/^https?:\/\//.test(base) || !(runs > 0) || !(p5Runs > 0) || !(cycles > 0) || !(P5_RPM > 0) || !(P5_WARMUP >= 0)) {
  console.error("usage: node studio.mjs http://127.0.0.1:PORT [--figures p2,p4,p5] [--runs N] [--p5-runs M] [--cycles C] [--rpm R] [--warmup W]");
  process.exit(2);
}

const sample = (key, value) => console.log(`sample ${key} ${value}`);
const check = (condition, message) => {
  if (!condition) throw new Error(message);
};

async function admin(p, body) {
  const headers = { "content-type": "application/json", "x-admin-token": process.env.SORA_EMULATOR_ADMIN_TOKEN ?? "" };
  const response = await fetch(base + p, { method: "POST", headers, body: JSON.stringify(body ?? {}) });
  if (!response.ok) throw new Error(`admin ${p} answered ${response.status}`);
}

// Runs in every page before the app: object URL accounting, `canplay`, Done and mount times.
const INSTRUMENT = () => {
  const create = URL.createObjectURL.bind(URL);
  const revoke = URL.revokeObjectURL.bind(URL);
  window.__urls = { created: 0, live: new Set() };
  URL.createObjectURL = (o) => {
    const u = create(o);
    window.__urls.created++;
    window.__urls.live.add(u);
    return u;
  };
  URL.revokeObjectURL = (u) => {
    window.__urls.live.delete(u);
    return revoke(u);
  };
  window.__canplay = [];
  document.addEventListener("canplay", () => window.__canplay.push(performance.now()), true);
  window.__done = [];
  window.__mounted = null;
  new MutationObserver(() => {
    if (window.__mounted === null && document.body && document.body.dataset.app === "mounted") window.__mounted = performance.now();
    for (const el of document.querySelectorAll("[data-testid=status]")) {
      if (el.textContent === "Done" && !el.__seen) {
        el.__seen = true;
        window.__done.push(performance.now());
      }
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
};

let browser;
async function newContext() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(INSTRUMENT);
  return context;
}

/** A fresh context (cold cache, empty storage), its page, and the URLs the page requested. */
async function openFresh() {
  const context = await newContext();
  const page = await context.newPage();
  const requested = new Set();
  page.on("request", (r) => requested.add(r.url()));
  await page.goto(base + "/");
  await page.waitForSelector("body[data-app=mounted]", { timeout: 30_000 });
  return { context, page, requested };
}

async function create(page, { prompt, size, seconds }) {
  await page.fill("#prompt", prompt);
  await page.selectOption("#size", { label: size });
  await page.fill("#seconds", String(seconds));
  const before = await page.locator("[data-testid=job]").count();
  await page.click("[data-testid=create]");
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=job]").length > n, before);
  return page.locator("[data-testid=job]").first();
}

/** Waits until the card's first video can play. */
async function playable(card, timeout = 120_000) {
  const video = card.locator("video").first();
  await video.waitFor({ timeout });
  await video.evaluate(
    (v, t) =>
      new Promise((resolve, reject) => {
        if (v.readyState >= 2) return resolve();
        v.addEventListener("loadeddata", () => resolve(), { once: true });
        v.addEventListener("error", () => reject(new Error("video error " + (v.error && v.error.code))), { once: true });
        setTimeout(() => reject(new Error("video never loaded")), t);
      }),
    timeout,
  );
}

async function p2(run) {
  await admin("/admin/reset");
  const { context, page, requested } = await openFresh();
  const tti = await page.evaluate(() => window.__mounted);
  // Late first-visit requests (icon, service worker) come just after mounting.
  await page.waitForTimeout(1_500);
  let raw = 0;
  let gz = 0;
  const assets = [...requested].filter((u) => u.startsWith(base) && !u.includes("/openai/") && !u.includes("/admin/"));
  for (const url of assets) {
    const body = Buffer.from(await (await fetch(url)).arrayBuffer());
    raw += body.length;
    gz += gzipSync(body, { level: 9 }).length;
  }
  await context.close();
  const names = assets.map((u) => u.slice(base.length) || "/").join(" ");
  console.log(`# P2 load ${run}: ${Math.round(tti)} ms, ${gz} bytes gzip -9 over ${assets.length} assets${run === 1 ? ` (${names})` : ""}`);
  sample("p2.tti_ms", tti.toFixed(1));
  sample("p2.first_load_gzip_bytes", gz);
  sample("p2.first_load_raw_bytes", raw);
}

async function p4(run) {
  await admin("/admin/reset");
  await admin("/admin/config", { speed: 20, rpm: 0 });
  const { context, page } = await openFresh();
  const card = await create(page, { prompt: `P4 sample ${run}: a red fox in fresh snow`, size: "Landscape · 480p (854×480)", seconds: 5 });
  await card.locator("[data-testid=status]", { hasText: "Done" }).waitFor({ timeout: 120_000 });
  await playable(card);
  const [done, canplay] = await page.evaluate(() => [window.__done[0], window.__canplay[0]]);
  check(done !== undefined && canplay !== undefined, "no Done or canplay time recorded");
  await context.close();
  console.log(`# P4 sample ${run}: ${Math.round(canplay - done)} ms`);
  sample("p4.success_to_canplay_ms", (canplay - done).toFixed(1));
}

async function p5(run) {
  await admin("/admin/reset");
  await admin("/admin/config", { speed: 20, rpm: 0 });
  const { context, page } = await openFresh();
  // The emulator has no rate limit (rpm 0): lift the studio's budget from the service's default 60,
  // as a person with a bigger Azure quota would, so the cycles are bound by the studio itself.
  await page.fill("#requests-per-minute", String(P5_RPM));
  await page.locator("#requests-per-minute").dispatchEvent("change");
  check((await page.evaluate(() => localStorage.getItem("sora-studio.requests-per-minute"))) === String(P5_RPM), "the requests-per-minute setting was not saved");
  const cdp = await context.newCDPSession(page);
  const heap = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    return (await cdp.send("Runtime.getHeapUsage")).usedSize;
  };
  const cycle = async () => {
    const card = await create(page, { prompt: "Cycle test", size: "Square · 480p (480×480)", seconds: 1 });
    await playable(card);
    await card.locator("[data-testid=delete]").click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=job]").length === 0, null, { timeout: 120_000 });
  };
  // Warm-up cycles so one-off allocations (first video element, IndexedDB, lazily grown tables and
  // caches) are not counted as growth.
  for (let i = 0; i < P5_WARMUP; i++) await cycle();
  await page.waitForTimeout(500);
  const heapBefore = await heap();
  const started = Date.now();
  let paused = 0;
  for (let i = 1; i <= cycles; i++) {
    await cycle();
    if (i % 25 === 0) {
      const at = Date.now();
      const used = await heap();
      paused += Date.now() - at;
      console.log(`# P5 run ${run}: ${i} cycles, ${Math.round((at - started) / 1000)} s, heap ${used} (${((100 * (used - heapBefore)) / heapBefore).toFixed(2)} %)`);
    }
  }
  const seconds = (Date.now() - started - paused) / 1000;
  await page.waitForTimeout(1_000);
  const heapAfter = await heap();
  const urls = await page.evaluate(() => ({ created: window.__urls.created, live: window.__urls.live.size }));
  await context.close();
  const growth = heapAfter - heapBefore;
  console.log(`# P5 run ${run}: ${cycles} cycles in ${Math.round(seconds)} s, ${urls.created} URLs created, ${urls.live} live, heap ${heapBefore} -> ${heapAfter}`);
  // Counted over the whole page life, warm-up included: every URL created must be revoked.
  sample("p5.leaked_object_urls", urls.live);
  sample("p5.heap_growth_pct", ((100 * growth) / heapBefore).toFixed(2));
  sample("p5.heap_growth_bytes", growth);
  sample("p5.run_seconds", seconds.toFixed(1));
}

async function main() {
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--enable-precise-memory-info"],
  });
  console.log(`# Chromium ${browser.version()}`);
  if (figures.includes("p2")) for (let i = 1; i <= runs; i++) await p2(i);
  if (figures.includes("p4")) for (let i = 1; i <= runs; i++) await p4(i);
  if (figures.includes("p5")) for (let i = 1; i <= p5Runs; i++) await p5(i);
  await browser.close();
}

main().catch(async (error) => {
  console.error(`studio bench broke: ${error.stack}`);
  await browser?.close().catch(() => {});
  process.exit(1);
});
