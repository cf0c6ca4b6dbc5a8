// What a Playwright script needs to drive the built studio: the watches every page gets before the
// app (CSP violations, canplay, uncaught errors), opening a page, the "nothing went wrong" check,
// admin calls to the emulator, screenshots and a small test runner that resets the emulator before
// each test. The same helpers studio.e2e.mjs defines for itself, for scripts that run beside it
// (videos.e2e.mjs).

import fs from "node:fs";
import path from "node:path";

import { chromium } from "playwright-core";

import { check } from "./card.mjs";

/** Runs in every page before the app: CSP violations and `canplay` events are recorded. */
export const INSTRUMENT = () => {
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  window.__canplay = [];
  document.addEventListener("canplay", (e) => window.__canplay.push(e.target?.src ?? ""), true);
};

/** Chromium as the other studio scripts start it. */
export function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/** Open `url` in a new page of `context` once the app is mounted; its uncaught and console errors
 * are recorded in `pageErrors` (a WeakMap keyed by page). */
export async function openPage(context, url, pageErrors) {
  const page = await context.newPage();
  const errors = [];
  pageErrors.set(page, errors);
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForSelector("body[data-app=mounted]", { timeout: 30_000 });
  return page;
}

/** No CSP violation and no uncaught error (console errors matching `allowConsole` aside) so far. */
export async function assertClean(page, pageErrors, { allowConsole = [] } = {}) {
  const csp = await page.evaluate(() => window.__csp);
  check(csp.length === 0, `CSP violations: ${csp.join("; ")}`);
  const errors = (pageErrors.get(page) ?? []).filter((e) => !allowConsole.some((re) => re.test(e)));
  check(errors.length === 0, `page errors: ${errors.join("; ")}`);
}

/**
 * Helpers bound to one emulator (`base`, its `adminToken`) and one screenshot folder.
 * `test(name, fn)` resets the emulator, gives `fn` a fresh browser context, records the result and
 * screenshots every page of a failed test as `failed-<label>-N.png`.
 */
export function studioPage({ base, adminToken, shots, only = "", label = "e2e" }) {
  fs.mkdirSync(shots, { recursive: true });
  let browser = null;
  const results = [];
  const pageErrors = new WeakMap();

  /** Any admin call; resolves to its JSON (null when empty). */
  async function adminCall(method, p, body) {
    const headers = { "x-admin-token": adminToken, ...(body ? { "content-type": "application/json" } : {}) };
    const response = await fetch(base + p, { method, headers, body: body ? JSON.stringify(body) : undefined });
    if (!response.ok) throw new Error(`admin ${method} ${p} answered ${response.status}: ${await response.text()}`);
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }
  const admin = (p, body) => adminCall("POST", p, body ?? {});
  /** The emulator's log of the last 200 API requests, oldest first. */
  const requestLog = () => adminCall("GET", "/admin/requests");

  async function newContext(options = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...options });
    await context.addInitScript(INSTRUMENT);
    return context;
  }

  const open = (context, url = base + "/") => openPage(context, url, pageErrors);
  const clean = (page, options) => assertClean(page, pageErrors, options);

  async function shot(page, name) {
    await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  }

  async function test(name, fn) {
    if (only && !name.includes(only)) return;
    const started = Date.now();
    let context = null;
    try {
      await admin("/admin/reset");
      context = await newContext();
      await fn(context);
      results.push(true);
      console.log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      results.push(false);
      console.log(`not ok - ${name}: ${String(error?.message ?? error).split("\n")[0]}`);
      for (const [i, page] of (context?.pages() ?? []).entries()) {
        await shot(page, `failed-${label}-${results.length}${i ? `-${i}` : ""}`).catch(() => {});
      }
    } finally {
      await context?.close().catch(() => {});
    }
  }

  return {
    results,
    setBrowser: (b) => (browser = b),
    adminCall,
    admin,
    requestLog,
    newContext,
    open,
    clean,
    shot,
    test,
  };
}
