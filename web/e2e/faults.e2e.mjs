// The studio's fault matrix: each row starts its own emulator (so it can kill and restart it),
// injects one fault, drives the built studio in headless Chromium the way a person would, and
// checks "recovered, nothing lost, no panic": the card reaches Done and its video plays at the
// right size, the job never leaves the list, and no panic, uncaught error or CSP violation shows.
// Where recovery is impossible (the server lost the job) the card must say so and stay listed.
// Two more rows check that markup typed by the user or sent by a hostile server stays inert text.
//
//   node faults.e2e.mjs EMULATOR_BIN DIST_DIR [--report FILE] [--only TEXT] [--screenshots DIR]
//
// Prints `ROW <scenario> | <expected> | <observed> | ok|FAIL` per row, then
// `studio-fault-matrix: N passed, M failed`; exits non-zero on any failure. `--report FILE` also
// writes the rows as JSON.

import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { check, jobIdOf, playable, waitStatus } from "./card.mjs";
import { openPage } from "./studio-page.mjs";
import { hostileServer, HOSTILE } from "./hostile-server.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const positional = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
const [emulatorBin, distDir] = positional.map((p) => path.resolve(p));
if (!emulatorBin || !distDir || !fs.existsSync(emulatorBin) || !fs.existsSync(path.join(distDir, "index.html"))) {
  console.error("usage: node faults.e2e.mjs EMULATOR_BIN DIST_DIR [--report FILE] [--only TEXT] [--screenshots DIR]");
  process.exit(2);
}
const only = flag("--only", "");
const reportFile = flag("--report", "");
const shots = flag("--screenshots", path.join(here, "screenshots"));
fs.mkdirSync(shots, { recursive: true });
const KEY = "emulator-key";
// The admin token this script starts its emulators with (xtask passes one; otherwise a fresh one).
const ADMIN_TOKEN = flag("--admin-token", process.env.SORA_EMULATOR_ADMIN_TOKEN ?? crypto.randomUUID());
const DEFAULT_FLAGS = { "--api-key": KEY, "--speed": "20", "--rpm": "6000" };
// What a panic or a trap in the wasm looks like in the console.
const PANIC = /panicked|RuntimeError|unreachable|wasm-function/i;

// ---------------------------------------------------------------- emulators

/** One emulator process on a fixed port once started, so a restart keeps the page's origin. */
class Emulator {
  constructor(flags = {}) {
    this.flags = { ...DEFAULT_FLAGS, ...flags };
    this.port = 0;
    this.log = [];
  }

  /** Start (or restart on the same port) with `extra` flags on top of the row's. */
  async start(extra = {}) {
    const flags = { ...this.flags, ...extra };
    const argv = ["--listen", `127.0.0.1:${this.port}`, "--static-dir", distDir, "--admin-token", ADMIN_TOKEN];
    for (const [name, value] of Object.entries(flags)) if (value !== null) argv.push(name, value);
    const child = spawn(emulatorBin, argv, { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    child.stderr.on("data", (d) => {
      this.log.push(...d.toString().split("\n").filter(Boolean));
      if (this.log.length > 300) this.log.splice(0, this.log.length - 300);
    });
    const line = await new Promise((resolve, reject) => {
      let seen = "";
      const timer = setTimeout(() => reject(new Error(`emulator did not start: ${seen}${this.log.slice(-3).join(" ")}`)), 20_000);
      child.stdout.on("data", (d) => {
        seen += d.toString();
        if (seen.includes("\n")) {
          clearTimeout(timer);
          resolve(seen.split("\n")[0]);
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`emulator exited (${code}): ${this.log.slice(-3).join(" ")}`));
      });
    });
    const match = /(http:\/\/\S+)/.exec(line);
    if (!match) throw new Error(`unexpected emulator banner: ${line}`);
    this.url = match[1].replace(/\/+$/, "");
    this.port = Number(new URL(this.url).port);
  }

  /** SIGKILL: no chance to save anything or close connections politely. */
  async kill() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  async admin(p, body) {
    const headers = { "content-type": "application/json", "x-admin-token": ADMIN_TOKEN };
    const response = await fetch(this.url + p, { method: "POST", headers, body: JSON.stringify(body ?? {}) });
    if (!response.ok) throw new Error(`admin ${p} answered ${response.status}: ${await response.text()}`);
    return response.text();
  }

  async requests() {
    return (await fetch(this.url + "/admin/requests", { headers: { "x-admin-token": ADMIN_TOKEN } })).json();
  }

  async job(id) {
    return fetch(`${this.url}/openai/v1/video/generations/jobs/${id}?api-version=preview`, { headers: { "api-key": KEY } });
  }
}

/** Whether the emulator binary knows a flag (features land at different times). */
const helpText = await new Promise((resolve) => {
  const child = spawn(emulatorBin, ["--help"], { stdio: ["ignore", "pipe", "ignore"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.on("exit", () => resolve(out));
});
const supports = (name) => helpText.includes(name);

// ---------------------------------------------------------------- the browser

// Runs in every page before the app: CSP violations, and every job id ever listed (to catch a vanished card).
const INSTRUMENT = () => {
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  window.__listed = new Set();
  window.__vanished = [];
  new MutationObserver(() => {
    const now = new Set([...document.querySelectorAll("[data-testid=job]")].map((e) => e.dataset.jobId).filter(Boolean));
    for (const id of window.__listed) if (!now.has(id) && !window.__vanished.includes(id)) window.__vanished.push(id);
    for (const id of now) window.__listed.add(id);
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-job-id"] });
};

let browser;
const pageErrors = new WeakMap();

async function newContext() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(INSTRUMENT);
  return context;
}

const open = (context, url) => openPage(context, url + "/", pageErrors);

/**
 * No panic, no uncaught error, no CSP violation, and no job that left the list. Console errors
 * about failed loads are what the faults cause; anything else must be listed in `allow`.
 */
async function clean(page, allow = []) {
  const errors = pageErrors.get(page) ?? [];
  const panics = errors.filter((e) => PANIC.test(e) || e.startsWith("pageerror"));
  check(panics.length === 0, `panic or uncaught error: ${panics.join("; ")}`);
  const expected = [/Failed to load resource|net::ERR_|Failed to fetch|TypeError: network error/, ...allow];
  const other = errors.filter((e) => !expected.some((re) => re.test(e)));
  check(other.length === 0, `console errors: ${other.join("; ")}`);
  const { csp, vanished } = await page.evaluate(() => ({ csp: window.__csp, vanished: window.__vanished }));
  check(csp.length === 0, `CSP violations: ${csp.join("; ")}`);
  check(vanished.length === 0, `jobs left the list: ${vanished.join(", ")}`);
}

async function create(page, prompt, { seconds } = {}) {
  await page.fill("#prompt", prompt);
  if (seconds !== undefined) await page.fill("#seconds", String(seconds));
  const before = await page.locator("[data-testid=job]").count();
  await page.click("[data-testid=create]");
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=job]").length > n, before);
  return page.locator("[data-testid=job]").first();
}

const cardOf = (page, id) => page.locator(`[data-testid=job][data-job-id="${id}"]`);
const statusOf = async (card) => card.locator("[data-testid=status]").innerText();

/** Done, and the video plays at 854×480 (the form's default size). */
async function recovered(card, timeout = 90_000) {
  await waitStatus(card, "Done", timeout);
  const info = await playable(card, timeout);
  check(info.readyState >= 2 && info.width === 854 && info.height === 480, `video ${info.width}x${info.height}, readyState ${info.readyState}`);
  return `Done, plays ${info.width}x${info.height}`;
}

const polls = (id) => (r) => r.method === "GET" && r.path.endsWith(`/jobs/${id}`);
const videoDownloads = (r) => r.method === "GET" && r.path.endsWith("/content/video");
const creates = (r) => r.method === "POST" && r.path.endsWith("/jobs");
const anyRequest = (r) => r.method !== "OPTIONS";

/** The status the request log shows for a request that got each injected fault (0: no response). */
const FAULT_STATUS = { 429: 429, 500: 500, 503: 503, reset: 0, malformed: 200, truncate: 200, reset_body: 200, slow_body: 200 };
const short = (p) => p.replace("/openai/v1/video/generations", "");

/**
 * Proves from the emulator's request log that `kind` was served to the requests `which` selects
 * (exactly `count` times, or at least `min`) with its status; then, with `retried: true`, that each
 * was followed by a request to the same method and path answered 2xx without a fault, and with
 * `retried: false`, that none followed. Throws what is missing; returns what it saw.
 */
async function assertFaultServed(emu, which, { kind, count, min = 1, retried }) {
  const log = await emu.requests();
  const same = log.filter((r) => r.method !== "OPTIONS" && which(r));
  const served = same.filter((r) => r.fault === kind);
  const seen = same.map((r) => `${r.status}${r.fault ? `/${r.fault}` : ""}`).join(" ");
  check(count !== undefined ? served.length === count : served.length >= min, `log: ${served.length}×${kind} served, expected ${count ?? `at least ${min}`} (${seen})`);
  const wrong = served.find((r) => r.status !== FAULT_STATUS[kind]);
  check(!wrong, `log: ${kind} served with status ${wrong?.status}, not ${FAULT_STATUS[kind]}`);
  const after = (r) => log.slice(log.indexOf(r) + 1).filter((later) => later.method === r.method && later.path === r.path);
  if (retried === true) {
    const unretried = served.find((r) => !after(r).some((later) => !later.fault && later.status >= 200 && later.status < 300));
    check(!unretried, `log: no successful retry after the ${kind} on ${unretried?.method} ${short(unretried?.path ?? "")} (${seen})`);
  } else if (retried === false) {
    const repeated = served.find((r) => after(r).length > 0);
    check(!repeated, `log: the ${kind} on ${repeated?.method} ${short(repeated?.path ?? "")} was repeated (${seen})`);
  }
  return `log: ${served.length}×${kind}${retried === true ? ", each retried to a 2xx" : retried === false ? ", not repeated" : ""} (${seen})`;
}

/** Proves from the log that a request `which` selects was answered `status` without a fault. */
async function assertAnswered(emu, which, status, what) {
  const seen = (await emu.requests()).filter((r) => r.method !== "OPTIONS" && which(r));
  check(seen.some((r) => r.status === status && !r.fault), `log: no ${status} to ${what} (saw ${seen.map((r) => r.status).join(" ") || "nothing"})`);
  return `log: ${what} answered ${status}`;
}

// ---------------------------------------------------------------- rows

const rows = [];
function record(scenario, expected, observed, ok, seconds = 0) {
  const clean = (s) => String(s).replace(/\s+/g, " ").replace(/\|/g, "/").trim();
  rows.push({ scenario, expected, observed: clean(observed), ok, seconds: Math.round(seconds * 10) / 10 });
  console.log(`ROW ${scenario} | ${expected} | ${clean(observed)} | ${ok ? "ok" : "FAIL"}`);
}

/** One row: a fresh emulator (with `flags`) and browser profile; `fn` returns what it observed. */
async function row(scenario, expected, flags, fn) {
  if (only && !scenario.includes(only)) return;
  const emu = new Emulator(flags);
  let context;
  const started = Date.now();
  try {
    await emu.start();
    context = await newContext();
    const observed = await fn({ emu, context });
    const seconds = (Date.now() - started) / 1000;
    record(scenario, expected, `${observed} (${seconds.toFixed(1)} s)`, true, seconds);
  } catch (error) {
    record(scenario, expected, error.message.split("\n")[0], false, (Date.now() - started) / 1000);
    for (const [i, page] of (context?.pages() ?? []).entries()) {
      await page.screenshot({ path: path.join(shots, `fault-${scenario.replace(/\W+/g, "-")}-${i}.png`), fullPage: true }).catch(() => {});
    }
    if (emu.log.length) console.log(`# emulator log tail:\n# ${emu.log.slice(-8).join("\n# ")}`);
  } finally {
    await context?.close().catch(() => {});
    await emu.kill();
  }
}

/** A row that needs an emulator flag which has not landed yet: reported as a failure, not skipped. */
function missing(scenario, expected, needed) {
  if (only && !scenario.includes(only)) return;
  record(scenario, expected, `the emulator has no ${needed} yet`, false);
}

async function main() {
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });

  await row("429 storm with Retry-After", "busy notice, then Done and plays", {}, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    // Every /openai request for a while: the create and the first polls.
    await emu.admin("/admin/faults", { kind: "429", count: 8, retry_after_ms: 400 });
    const card = await create(page, "A hummingbird at a feeder, 429 storm");
    await page.locator("[data-testid=busy]").waitFor({ timeout: 15_000 });
    const result = await recovered(card);
    const proof = await assertFaultServed(emu, anyRequest, { kind: "429", count: 8, retried: true });
    await page.locator("[data-testid=busy]").waitFor({ state: "detached", timeout: 15_000 });
    await clean(page, [/429/]);
    return `${proof}; ${result}`;
  });

  for (const kind of ["500", "503"]) {
    await row(`${kind} burst mid-job`, "problem shown, polling goes on, Done and plays", { "--speed": "4" }, async ({ emu, context }) => {
      const page = await open(context, emu.url);
      const card = await create(page, `A windmill at dawn, ${kind} burst`);
      const id = await jobIdOf(card, 60_000);
      // More failures than the client's own retries (3 tries), so the studio has to carry on.
      await emu.admin("/admin/faults", { kind, count: 5, path_contains: `/jobs/${id}` });
      const result = await recovered(card);
      const proof = await assertFaultServed(emu, polls(id), { kind, count: 5, retried: true });
      await clean(page, [new RegExp(kind)]);
      return `polls ${proof}; ${result}`;
    });
  }

  await row("connection reset mid-poll", "problem shown, polling goes on, Done and plays", { "--speed": "4" }, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    const card = await create(page, "A tram in the rain, reset mid-poll");
    const id = await jobIdOf(card, 60_000);
    await emu.admin("/admin/faults", { kind: "reset", count: 5, path_contains: `/jobs/${id}` });
    const result = await recovered(card);
    const proof = await assertFaultServed(emu, polls(id), { kind: "reset", count: 5, retried: true });
    await clean(page);
    return `polls ${proof}; ${result}`;
  });

  await row("connection reset mid-poll (mid-body)", "problem shown, polling goes on, Done and plays", { "--speed": "4" }, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    const card = await create(page, "A ferry crossing, poll cut mid-body");
    const id = await jobIdOf(card, 60_000);
    // The head with the full Content-Length and half the JSON, then the connection drops.
    await emu.admin("/admin/faults", { kind: "reset_body", count: 5, path_contains: `/jobs/${id}` });
    const result = await recovered(card);
    const proof = await assertFaultServed(emu, polls(id), { kind: "reset_body", count: 5, retried: true });
    await clean(page);
    return `polls ${proof}; ${result}`;
  });

  await row("503 on create", "card says the service failed, stays listed; a new try plays", {}, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    await emu.admin("/admin/faults", { kind: "503", count: 1, path_contains: "/jobs?" });
    const card = await create(page, "A red balloon, create refused");
    await card.locator("[data-testid=problem]", { hasText: "The service failed" }).waitFor({ timeout: 20_000 });
    const said = (await card.locator("[data-testid=problem]").innerText()).split("\n")[0];
    // A create is not repeated by itself (it could start a second job): the person submits again.
    const proof = await assertFaultServed(emu, creates, { kind: "503", count: 1, retried: false });
    const second = await create(page, "A red balloon, create refused, again");
    const result = await recovered(second);
    check((await page.locator("[data-testid=job]").count()) === 2, "both cards listed");
    await clean(page, [/503/]);
    return `creates ${proof}; first card: "${said}"; second: ${result}`;
  });

  // The emulator's `truncate` sends the full Content-Length, half the body, then closes the
  // connection: a reset in the middle of the download. Five times beats the client's own retries.
  await row("connection reset mid-download (body cut, x5)", "download retried, plays", {}, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    await emu.admin("/admin/faults", { kind: "truncate", count: 5, path_contains: "content/video" });
    const card = await create(page, "A kite over a beach, reset mid-download");
    const result = await recovered(card);
    const proof = await assertFaultServed(emu, videoDownloads, { kind: "truncate", count: 5, retried: true });
    await clean(page);
    return `downloads ${proof}; ${result}`;
  });

  await row("truncated MP4 (once)", "client retries, plays", {}, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    await emu.admin("/admin/faults", { kind: "truncate", count: 1, path_contains: "content/video" });
    const card = await create(page, "A spinning top, truncated once");
    const result = await recovered(card);
    const proof = await assertFaultServed(emu, videoDownloads, { kind: "truncate", count: 1, retried: true });
    await clean(page);
    return `downloads ${proof}; ${result}`;
  });

  await row("very slow body on polls (200 B/s)", "Done and plays, no timeout", { "--speed": "4" }, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    const card = await create(page, "A sloth on a branch, slow polls");
    const id = await jobIdOf(card, 60_000);
    await emu.admin("/admin/faults", { kind: "slow_body", count: 3, bytes_per_sec: 200, path_contains: `/jobs/${id}` });
    const result = await recovered(card, 120_000);
    // A slow answer is waited out, not a failure: at least one was served and the card still got Done.
    const proof = await assertFaultServed(emu, polls(id), { kind: "slow_body", min: 1 });
    await clean(page);
    return `polls ${proof}; ${result}`;
  });

  await row("very slow body on the video download", "Done and plays, no timeout", {}, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    await emu.admin("/admin/faults", { kind: "slow_body", count: 1, bytes_per_sec: 50_000, path_contains: "content/video" });
    const started = Date.now();
    const card = await create(page, "A tortoise crossing, slow download");
    const result = await recovered(card, 120_000);
    // Not repeated: the slow answer itself delivered the video.
    const proof = await assertFaultServed(emu, videoDownloads, { kind: "slow_body", count: 1, retried: false });
    await clean(page);
    return `downloads ${proof}; ${result} after ${((Date.now() - started) / 1000).toFixed(1)} s`;
  });

  await row("slow answers (3 s latency on every request)", "Done and plays, no timeout", {}, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    // Requests from here on (the page's first ones came before the latency was set).
    const seen = (await emu.requests()).length;
    await emu.admin("/admin/config", { latency_ms: 3000 });
    const card = await create(page, "A snail on a leaf, slow answers");
    const result = await recovered(card, 120_000);
    // The standing latency is not a queued fault: the log proves it by each answer's duration.
    const answered = (await emu.requests()).slice(seen).filter(anyRequest);
    const quick = answered.filter((r) => r.duration_ms < 3000);
    check(answered.length > 0 && quick.length === 0, `log: ${quick.length} of ${answered.length} answers took under 3 s (${quick.map((r) => `${r.method} ${short(r.path)} ${r.duration_ms} ms`).join(", ")})`);
    await clean(page);
    return `log: all ${answered.length} answers took ≥ 3 s; ${result}`;
  });

  await row("malformed JSON mid-poll", "problem shown, polling goes on, Done and plays", { "--speed": "4" }, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    const card = await create(page, "A paper plane, malformed answers");
    const id = await jobIdOf(card, 60_000);
    await emu.admin("/admin/faults", { kind: "malformed", count: 3, path_contains: `/jobs/${id}` });
    const result = await recovered(card);
    const proof = await assertFaultServed(emu, polls(id), { kind: "malformed", count: 3, retried: true });
    await clean(page);
    return `polls ${proof}; ${result}`;
  });

  await row("malformed JSON answer to the create", "card says the answer was unreadable, stays; a new try plays", {}, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    await emu.admin("/admin/faults", { kind: "malformed", count: 1, path_contains: "/jobs?" });
    const card = await create(page, "A lighthouse, malformed create answer");
    await card.locator("[data-testid=problem]", { hasText: "unreadable" }).waitFor({ timeout: 20_000 });
    const said = (await card.locator("[data-testid=problem]").innerText()).split("\n")[0];
    const proof = await assertFaultServed(emu, creates, { kind: "malformed", count: 1, retried: false });
    // Nothing was created (the fault answers before the operation runs): a second try works.
    const second = await create(page, "A lighthouse, malformed create answer, again");
    const result = await recovered(second);
    check((await page.locator("[data-testid=job]").count()) === 2, "both cards listed");
    await clean(page);
    return `creates ${proof}; first card: "${said}"; second: ${result}`;
  });

  await row("job expired (404) after success", "card says expired, plays from the local library", { "--ttl-seconds": "8" }, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    const card = await create(page, "Waves on a pebble beach, expiring");
    await recovered(card);
    await card.getByText("Saved on this device").waitFor({ timeout: 30_000 });
    const id = await jobIdOf(card, 60_000);
    const until = Date.now() + 30_000;
    while ((await emu.job(id)).status !== 404) {
      check(Date.now() < until, "the service never expired the job");
      await page.waitForTimeout(500);
    }
    // The expiry was served: the service itself answered 404 for the job (not a network failure).
    const proof = await assertAnswered(emu, polls(id), 404, "the job after its TTL");
    await page.reload();
    await page.waitForSelector("body[data-app=mounted]");
    const again = cardOf(page, id);
    await again.getByText(/Expired on the service|No longer on the service/).waitFor({ timeout: 15_000 });
    const info = await playable(again);
    check(info.readyState >= 2 && info.width === 854, "plays from the library");
    await clean(page);
    return `${proof}; card says "${(await again.locator("[data-testid=footer]").innerText()).trim()}", plays ${info.width}x${info.height} from the library`;
  });

  if (supports("--state-file")) {
    await row("emulator killed and restarted mid-job, with --state-file", "polling resumes, Done and plays", { "--speed": "2" }, async ({ emu, context }) => {
      const stateFile = path.join(os.tmpdir(), `studio-faults-${process.pid}.json`);
      fs.rmSync(stateFile, { force: true });
      emu.flags["--state-file"] = stateFile;
      await emu.kill();
      await emu.start();
      try {
        const page = await open(context, emu.url);
        const card = await create(page, "A hot-air balloon, server restarted");
        const id = await jobIdOf(card, 60_000);
        await waitStatus(card, /Preparing|Queued|Running/, 20_000);
        const before = await assertAnswered(emu, polls(id), 200, "a poll before the kill");
        await emu.kill();
        await card.locator("[data-testid=problem]", { hasText: "could not be reached" }).waitFor({ timeout: 30_000 });
        await emu.start();
        const result = await recovered(card, 120_000);
        // The restarted process (its log starts empty) served the polls that brought the card to Done.
        const after = await assertAnswered(emu, polls(id), 200, "a poll after the restart");
        check((await cardOf(page, id).count()) === 1, "the same job, still listed");
        await clean(page);
        return `${before}; ${after}; ${result}`;
      } finally {
        fs.rmSync(stateFile, { force: true });
      }
    });
  } else {
    missing("emulator killed and restarted mid-job, with --state-file", "polling resumes, Done and plays", "--state-file");
  }

  await row("emulator killed and restarted mid-job, no state", "card says the service lost the job, stays listed (also after reload)", { "--speed": "1" }, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    const card = await create(page, "A glacier calving, server loses it");
    const id = await jobIdOf(card, 60_000);
    await waitStatus(card, /Preparing|Queued|Running/, 20_000);
    const before = await assertAnswered(emu, polls(id), 200, "a poll before the kill");
    await emu.kill();
    await card.locator("[data-testid=problem]", { hasText: "could not be reached" }).waitFor({ timeout: 30_000 });
    await emu.start();
    const lost = cardOf(page, id);
    await lost.locator("[data-testid=footer]", { hasText: /No longer on the service|lost/ }).waitFor({ timeout: 60_000 });
    // The restarted process, which never knew the job, answered the poll.
    const after = await assertAnswered(emu, polls(id), 404, "a poll after the restart");
    const said = `${await statusOf(lost)}: ${(await lost.locator("[data-testid=footer]").innerText()).trim()}`;
    check((await lost.locator("video").count()) === 0, "no video pretends to exist");
    await page.reload();
    await page.waitForSelector("body[data-app=mounted]");
    await cardOf(page, id).locator("[data-testid=footer]", { hasText: /No longer on the service|lost/ }).waitFor({ timeout: 15_000 });
    await clean(page);
    return `${before}; ${after}; card says "${said}", still listed after reload`;
  });

  for (const skew of [3600, -3600]) {
    const scenario = `clock skew ${skew > 0 ? "+" : "-"}1 h (server ${skew > 0 ? "ahead" : "behind"})`;
    const expected = "elapsed, ETA and expiry sane (expiry ≈ 24 h), Done and plays";
    if (!supports("--clock-skew-secs")) {
      missing(scenario, expected, "--clock-skew-secs");
      continue;
    }
    await row(scenario, expected, { "--speed": "3", "--clock-skew-secs": String(skew) }, async ({ emu, context }) => {
      const page = await open(context, emu.url);
      const card = await create(page, `A clock tower, skew ${skew}`);
      await waitStatus(card, /Preparing|Queued|Running|Finishing/, 20_000);
      // The skew is served: the job's created_at and the answer's Date are an hour off this clock.
      const answer = await emu.job(await jobIdOf(card, 20_000));
      const createdOff = (await answer.json()).created_at - Date.now() / 1000;
      const dateOff = (Date.parse(answer.headers.get("date")) - Date.now()) / 1000;
      check(Math.abs(createdOff - skew) < 120 && Math.abs(dateOff - skew) < 120, `skew served: created_at ${createdOff.toFixed(0)} s, Date ${dateOff.toFixed(0)} s off, expected ${skew}`);
      await page.waitForTimeout(2_500);
      const elapsed = await card.locator("[data-testid=elapsed]").innerText();
      const remaining = await card.locator("[data-testid=remaining]").innerText();
      const seconds = (text) => {
        const m = /(?:(\d+) h )?(?:(\d+) min ?)?(?:(\d+) s)?/.exec(text.replace(/^\D+/, ""));
        return m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : NaN;
      };
      const e = seconds(elapsed);
      check(e >= 1 && e <= 30, `elapsed after ~3 s: "${elapsed}"`);
      check(!/-/.test(remaining) && (remaining === "Estimating…" || seconds(remaining) <= 120), `ETA: "${remaining}"`);
      const result = await recovered(card);
      const footer = await card.locator("[data-testid=footer]").innerText();
      const m = /in (\d+) h (\d+) min/.exec(footer);
      check(m && Number(m[1]) * 60 + Number(m[2]) >= 23 * 60 + 55 && Number(m[1]) * 60 + Number(m[2]) <= 24 * 60, `expiry ≈ 24 h: "${footer}"`);
      const done = await card.locator("[data-testid=elapsed]").innerText();
      check(seconds(done) <= 60, `elapsed when done: "${done}"`);
      await clean(page);
      return `server clock ${Math.round(dateOff / 60)} min off; ${result}; "${elapsed}", "${remaining}", "${footer.trim()}", done "${done}"`;
    });
  }

  await row("markup typed as a prompt", "shown as text, nothing injected, nothing run", {}, async ({ emu, context }) => {
    const page = await open(context, emu.url);
    // The moderation trigger makes the emulator fail the job, so the prompt also comes back in its failure.
    const prompt = `${HOSTILE.markup} blocked-by-moderation`;
    const card = await create(page, prompt);
    await waitStatus(card, "Failed", 60_000);
    const ok = await card.locator(".prompt").evaluate((p) => p.textContent);
    check(ok === prompt, `prompt shown as text: ${ok}`);
    // The service's own list shows the prompt it echoes back, too.
    await page.locator("[data-testid=server-jobs] td.prompt-cell", { hasText: "blocked-by-moderation" }).first().waitFor({ timeout: 20_000 });
    await inert(page);
    await clean(page);
    return "prompt shown verbatim in the card and the service list; no element injected, nothing ran";
  });

  await row("hostile server text: failure reason, ids, messages, revised prompt", "shown as text, nothing injected, nothing run, requests stay in the API", {}, async ({ emu, context }) => {
    const hostile = await hostileServer();
    try {
      const page = await open(context, emu.url);
      await page.fill("#endpoint", hostile.url);
      await page.press("#endpoint", "Enter");
      const card = await create(page, "A quiet harbour");
      await waitStatus(card, "Failed", 30_000);
      const id = await jobIdOf(card, 60_000);
      check(id === HOSTILE.id, `the id is kept as the server sent it: ${id}`);
      const cardText = await card.evaluate((c) => c.textContent);
      check(cardText.includes(HOSTILE.reason), "the failure reason is shown as text");
      const refused = await create(page, "please refuse this");
      await refused.locator("[data-testid=problem]").waitFor({ timeout: 20_000 });
      const problem = await refused.locator("[data-testid=problem]").evaluate((p) => p.textContent);
      check(problem.includes(HOSTILE.message) && problem.includes(HOSTILE.code), `message and code shown as text: ${problem}`);
      const revised = await refused.locator("[data-testid=revised-prompt]").evaluate((q) => q.textContent);
      check(revised === HOSTILE.revised, `revised prompt shown as text: ${revised}`);
      await page.locator("[data-testid=server-jobs] code", { hasText: HOSTILE.id }).first().waitFor({ timeout: 20_000 });
      await inert(page);
      const stray = hostile.requests.filter((r) => !r.url.startsWith("/openai/v1/video/generations/"));
      check(stray.length === 0, `requests left the API: ${stray.map((r) => r.url).join(", ")}`);
      const polled = hostile.requests.filter((r) => r.method === "GET" && r.url.startsWith("/openai/v1/video/generations/jobs/"));
      check(polled.length > 0 && polled.every((r) => r.url.split("?")[0].split("/").length === 7 && decodeURIComponent(r.url.split("?")[0].split("/")[6]) === HOSTILE.id), `the id stayed one path segment: ${polled.map((r) => r.url).join(", ")}`);
      await clean(page, [/400/]);
      return `${hostile.requests.length} requests, all under the API, id in one segment (${polled[0].url.split("?")[0].split("/").pop()}); text shown verbatim`;
    } finally {
      await hostile.close();
    }
  });

  await browser.close();
  const passed = rows.filter((r) => r.ok).length;
  const failed = rows.length - passed;
  if (reportFile) {
    fs.mkdirSync(path.dirname(path.resolve(reportFile)), { recursive: true });
    fs.writeFileSync(reportFile, JSON.stringify({ suite: "studio-fault-matrix", passed, failed, rows }, null, 2) + "\n");
  }
  console.log(`studio-fault-matrix: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

/** Nothing the hostile text carries became an element or ran. */
async function inert(page) {
  const found = await page.evaluate(() => ({
    pwned: window.__pwned,
    imgs: document.querySelectorAll("img[src='x'], img[onerror]").length,
    scripts: [...document.querySelectorAll("script")].filter((s) => !s.src).length,
    bold: document.querySelectorAll("main b, main iframe, main svg a").length,
  }));
  check(found.pwned === undefined, "window.__pwned was set: the markup ran");
  check(found.imgs === 0 && found.scripts === 0 && found.bold === 0, `markup became elements: ${JSON.stringify(found)}`);
}

main().catch(async (error) => {
  console.log(`not ok - the run broke: ${error.stack}`);
  await browser?.close().catch(() => {});
  console.log(`studio-fault-matrix: ${rows.filter((r) => r.ok).length} passed, ${rows.filter((r) => !r.ok).length + 1} failed`);
  process.exit(1);
});
