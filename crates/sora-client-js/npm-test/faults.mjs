// The client-library fault matrix: each row starts its own emulator, injects one fault, drives the
// packed npm package in headless Chromium and checks "recovered, nothing lost, no panic" (or, where
// recovery is impossible, a precise typed error and never a hang).
// Usage: node faults.mjs <path/to/sora-emulator> [--report FILE] [--only SUBSTRING]
//        (cwd: a copy of this folder with the packed package installed, as run.mjs)
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
const emulatorBin = args[0];
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const reportPath = option("--report");
const only = option("--only");
if (!emulatorBin) {
  console.error("usage: node faults.mjs <sora-emulator binary> [--report FILE] [--only SUBSTRING]");
  process.exit(2);
}
const KEY = "emulator-key";
// The admin token this script starts its emulators with (xtask passes one; otherwise a fresh one).
const ADMIN_TOKEN = option("--admin-token") ?? process.env.SORA_EMULATOR_ADMIN_TOKEN ?? crypto.randomUUID();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the page: the library bundled with esbuild, served from a local static server ----
mkdirSync("dist-faults", { recursive: true });
const esbuild = await import("esbuild");
await esbuild.build({
  entryPoints: ["src/faults-page.ts"],
  bundle: true,
  format: "esm",
  outdir: "dist-faults",
  logLevel: "warning",
});
copyFileSync("node_modules/@sora-studio/client/sora_client_bg.wasm", "dist-faults/sora_client_bg.wasm");
writeFileSync("dist-faults/index.html", '<!doctype html><meta charset="utf-8"><title>faults</title><script type="module" src="faults-page.js"></script>');
const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
const server = createServer((req, res) => {
  const path = new URL(req.url, "http://x").pathname.replace(/^\/+/, "") || "index.html";
  try {
    const body = readFileSync(join("dist-faults", path));
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const pageUrl = `http://127.0.0.1:${server.address().port}/`;

// ---- emulators: one per row, started, killed (SIGKILL) and restarted on the same port ----
const BASE_FLAGS = ["--api-key", KEY, "--rpm", "0", "--max-running", "10"];
const running = new Set();

async function startEmulator(flags, listen = "127.0.0.1:0") {
  const child = spawn(emulatorBin, ["--listen", listen, "--admin-token", ADMIN_TOKEN, ...BASE_FLAGS, ...flags], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let log = "";
  child.stderr.on("data", (chunk) => (log = (log + chunk).slice(-20_000)));
  const first = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code}) before listening: ${log}`)));
  });
  const url = first.trim().replace("sora-emulator listening on ", "");
  const admin = async (method, path, body) => {
    const response = await fetch(`${url}/admin/${path}`, {
      method,
      headers: { "x-admin-token": ADMIN_TOKEN, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    url,
    listen: url.replace("http://", ""),
    admin,
    fault: (body) => admin("POST", "faults", body),
    requests: () => admin("GET", "requests"),
    log: () => log,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      running.delete(child);
    },
  };
}

// ---- checks shared by the rows ----
const clientOptions = (emu, extra = {}) => ({
  endpoint: emu.url,
  apiKey: KEY,
  minPollIntervalMs: 100,
  maxPollIntervalMs: 500,
  requestsPerMinute: 6000,
  ...extra,
});

/** Describes an error outcome as `kind[/status]`. */
const errorText = (e) => `${e.name} ${e.kind}${e.status ? `/${e.status}` : ""}: ${e.message.slice(0, 120)}`;

/** Waits for a job in the page (maxWaitMs bounds it: never a hang). */
async function waitFor(page, jobId, maxWaitMs = 60_000) {
  await page.evaluate(([id, max]) => window.matrix.startWait(id, max), [jobId, maxWaitMs]);
  return page.evaluate(() => window.matrix.waited());
}

/** Checks a finished wait and the downloaded video: succeeded, complete, an MP4, plays at 480x480. */
async function recovered(page, wait) {
  if (!wait.job.ok) return { ok: false, observed: `wait failed: ${errorText(wait.job.error)}` };
  const job = wait.job.value;
  if (job.status !== "succeeded") return { ok: false, observed: `status ${job.status}` };
  const download = await page.evaluate((id) => window.matrix.download(id), job.generations[0].id);
  return judgeDownload(download, job);
}

function judgeDownload(download, job) {
  if (!download.ok) return { ok: false, observed: `download failed: ${errorText(download.error)}` };
  const d = download.value;
  const plays = d.video.width === 480 && d.video.height === 480 && Math.abs(d.video.duration - 1) < 0.2;
  const ok = d.bytes > 1000 && d.bytes === d.announced && d.ftyp && d.type === "video/mp4" && plays;
  return {
    ok,
    job,
    observed: `succeeded, ${d.bytes}/${d.announced} bytes, ftyp ${d.ftyp}, plays ${plays ? "480x480 1 s" : JSON.stringify(d.video)}`,
  };
}

/** Creates a job in the page (must succeed) and returns it. */
async function create(page, prompt) {
  const created = await page.evaluate((p) => window.matrix.create(p), prompt);
  if (!created.ok) throw new Error(`create failed: ${errorText(created.error)}`);
  return created.value;
}

/** Progress reports must never be negative, must grow, and must carry a live estimate at first. */
function progressProblems(progress) {
  const problems = [];
  let last = -1;
  for (const p of progress) {
    if (p.elapsedMs < 0 || p.elapsedMs < last) problems.push(`elapsed ${p.elapsedMs} after ${last}`);
    if (p.estimatedRemainingMs !== null && p.estimatedRemainingMs < 0) problems.push(`negative ETA ${p.estimatedRemainingMs}`);
    last = p.elapsedMs;
  }
  const first = progress.find((p) => p.status && !["succeeded", "failed", "cancelled"].includes(p.status));
  if (first && !(first.estimatedRemainingMs > 0)) problems.push(`first ETA of a fresh job is ${first.estimatedRemainingMs}`);
  return problems;
}

/** The status the request log shows for a request that got each injected fault (0: no response). */
const FAULT_STATUS = { 429: 429, 500: 500, 503: 503, reset: 0, malformed: 200, truncate: 200, reset_body: 200, slow_body: 200 };
const short = (path) => path.replace("/openai/v1/video/generations", "");

/**
 * Proves from the emulator's request log that `kind` was served to the `method` requests whose path
 * matches `path` (exactly `count` times, or at least `min`) with its status, and then, with
 * `retried: true`, that each such request was followed by one to the same path answered 2xx without
 * a fault; with `retried: false`, that none followed (not repeated). Throws what is missing; returns
 * what it saw.
 */
function assertFaultServed(log, { kind, method, path, count, min = 1, retried }) {
  const matches = (r) => r.method !== "OPTIONS" && (!method || r.method === method) && (path instanceof RegExp ? path.test(r.path) : r.path.includes(path));
  const same = log.filter(matches);
  const served = same.filter((r) => r.fault === kind);
  const where = `${method ?? "any"} ${path}`;
  if (count !== undefined ? served.length !== count : served.length < min) {
    throw new Error(`log: ${served.length} × ${kind} served on ${where}, expected ${count ?? `at least ${min}`} (log: ${same.map((r) => `${r.status}${r.fault ? `/${r.fault}` : ""}`).join(" ")})`);
  }
  const wrong = served.filter((r) => r.status !== FAULT_STATUS[kind]);
  if (wrong.length) throw new Error(`log: ${kind} served with status ${wrong[0].status}, not ${FAULT_STATUS[kind]}`);
  const after = (r) => log.slice(log.indexOf(r) + 1).filter((later) => later.method === r.method && later.path === r.path);
  if (retried === true) {
    const unretried = served.filter((r) => !after(r).some((later) => !later.fault && later.status >= 200 && later.status < 300));
    if (unretried.length) throw new Error(`log: no successful retry after the ${kind} on ${unretried[0].method} ${short(unretried[0].path)}`);
  } else if (retried === false) {
    const repeated = served.filter((r) => after(r).length > 0);
    if (repeated.length) throw new Error(`log: the ${kind} on ${repeated[0].method} ${short(repeated[0].path)} was repeated`);
  }
  const then = retried === true ? ", each retried to a 2xx" : retried === false ? ", not repeated" : "";
  return `log: ${served.length} × ${kind} on ${where}${then}`;
}

/** Proves from the log that a `method` request on `path` was answered `status` (a fault-free answer). */
function assertAnswered(log, { method = "GET", path, status }) {
  const seen = log.filter((r) => r.method === method && r.path.includes(path));
  if (!seen.some((r) => r.status === status && !r.fault)) {
    throw new Error(`log: no ${status} to ${method} ${short(path)} (saw ${seen.map((r) => r.status).join(" ") || "nothing"})`);
  }
  return `log: ${method} ${short(path)} answered ${status}`;
}

const POLL = "/jobs/task_";
const VIDEO = "/content/video";
const CREATE = /\/jobs$/;

// ---- the rows ----
const rows = [
  {
    scenario: "429 storm with Retry-After",
    expected: "recovered; every 429's Retry-After waited out",
    flags: ["--speed", "10"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu, { maxRetries: 8 }));
      await emu.fault({ kind: "429", count: 6, retry_after_ms: 300 });
      const job = await create(page, "429 storm");
      const result = await recovered(page, await waitFor(page, job.id));
      const log = (await emu.requests()).filter((r) => r.method !== "OPTIONS");
      const proof = assertFaultServed(log, { kind: "429", path: "/openai", count: 6, retried: true });
      const early = log.filter((r, i) => i > 0 && log[i - 1].status === 429 && r.at_ms - log[i - 1].at_ms < 290);
      return {
        ok: result.ok && early.length === 0,
        observed: `${proof}; ${result.observed}; ${early.length} retries sooner than Retry-After`,
      };
    },
  },
  {
    scenario: "500 burst on polls",
    expected: "recovered",
    flags: ["--speed", "10"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      const job = await create(page, "500 burst");
      await emu.fault({ kind: "500", count: 2, path_contains: "/jobs/task_" });
      const result = await recovered(page, await waitFor(page, job.id));
      const proof = assertFaultServed(await emu.requests(), { kind: "500", method: "GET", path: POLL, count: 2, retried: true });
      return { ok: result.ok, observed: `${proof}; ${result.observed}` };
    },
  },
  {
    scenario: "503 burst on polls and download",
    expected: "recovered",
    flags: ["--speed", "10"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      const job = await create(page, "503 burst");
      await emu.fault({ kind: "503", count: 2, path_contains: "/jobs/task_" });
      await emu.fault({ kind: "503", count: 2, path_contains: "/content/video" });
      const result = await recovered(page, await waitFor(page, job.id));
      const log = await emu.requests();
      const polls = assertFaultServed(log, { kind: "503", method: "GET", path: POLL, count: 2, retried: true });
      const downloads = assertFaultServed(log, { kind: "503", method: "GET", path: VIDEO, count: 2, retried: true });
      return { ok: result.ok, observed: `${polls}; ${downloads}; ${result.observed}` };
    },
  },
  {
    scenario: "503 on create",
    expected: "typed api error (not retried: a create is not idempotent); no job made",
    flags: ["--speed", "10"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      await emu.fault({ kind: "503", count: 1, path_contains: "/jobs?" });
      const created = await page.evaluate(() => window.matrix.create("503 on create"));
      const list = await (await fetch(`${emu.url}/openai/v1/video/generations/jobs?limit=10`, { headers: { "api-key": KEY } })).json();
      const proof = assertFaultServed(await emu.requests(), { kind: "503", method: "POST", path: CREATE, count: 1, retried: false });
      const ok = !created.ok && created.error.name === "SoraError" && created.error.kind === "api" && created.error.status === 503 && list.data.length === 0;
      return { ok, observed: `${proof}; ${created.ok ? "created!" : errorText(created.error)}; ${list.data.length} jobs on the server` };
    },
  },
  {
    scenario: "connection reset mid-poll (no answer)",
    expected: "recovered",
    flags: ["--speed", "10"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      const job = await create(page, "reset mid-poll");
      await emu.fault({ kind: "reset", count: 2, path_contains: "/jobs/task_" });
      const result = await recovered(page, await waitFor(page, job.id));
      const proof = assertFaultServed(await emu.requests(), { kind: "reset", method: "GET", path: POLL, count: 2, retried: true });
      return { ok: result.ok, observed: `${proof}; ${result.observed}` };
    },
  },
  {
    scenario: "connection reset mid-poll (mid-body)",
    expected: "recovered",
    flags: ["--speed", "10"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      const job = await create(page, "reset mid-body");
      await emu.fault({ kind: "reset_body", count: 2, path_contains: "/jobs/task_" });
      const result = await recovered(page, await waitFor(page, job.id));
      const proof = assertFaultServed(await emu.requests(), { kind: "reset_body", method: "GET", path: POLL, count: 2, retried: true });
      return { ok: result.ok, observed: `${proof}; ${result.observed}` };
    },
  },
  {
    scenario: "connection reset mid-download",
    expected: "recovered (retried; complete bytes)",
    flags: ["--speed", "10"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      const job = await create(page, "reset mid-download");
      const wait = await waitFor(page, job.id);
      await emu.fault({ kind: "truncate", count: 1, path_contains: "/content/video" });
      const result = await recovered(page, wait);
      const proof = assertFaultServed(await emu.requests(), { kind: "truncate", method: "GET", path: VIDEO, count: 1, retried: true });
      return { ok: result.ok, observed: `${proof}; ${result.observed}` };
    },
  },
  {
    scenario: "truncated MP4 on every attempt",
    expected: "typed network error, never a short Blob; next download complete",
    flags: ["--speed", "10"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      const job = await create(page, "always truncated");
      const wait = await waitFor(page, job.id);
      if (!wait.job.ok) return { ok: false, observed: `wait failed: ${errorText(wait.job.error)}` };
      const generation = wait.job.value.generations[0].id;
      await emu.fault({ kind: "truncate", count: 10, path_contains: "/content/video" });
      const broken = await page.evaluate((id) => window.matrix.download(id), generation);
      // The client tried again after the first cut before it gave up.
      const proof = assertFaultServed(await emu.requests(), { kind: "truncate", method: "GET", path: VIDEO, min: 2 });
      await emu.admin("DELETE", "faults");
      const after = judgeDownload(await page.evaluate((id) => window.matrix.download(id), generation), wait.job.value);
      const typed = !broken.ok && broken.error.name === "SoraError" && broken.error.kind === "network";
      return { ok: typed && after.ok, observed: `${proof}; ${broken.ok ? `a ${broken.value.bytes}-byte Blob!` : errorText(broken.error)}; then ${after.observed}` };
    },
  },
  {
    scenario: "very slow body (polls)",
    expected: "recovered",
    flags: ["--speed", "10"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      const job = await create(page, "slow polls");
      await emu.fault({ kind: "slow_body", count: 3, bytes_per_sec: 200, path_contains: "/jobs/task_" });
      const result = await recovered(page, await waitFor(page, job.id));
      // A slow answer is waited out, not abandoned: each slow poll is followed by the next poll.
      const proof = assertFaultServed(await emu.requests(), { kind: "slow_body", method: "GET", path: POLL, min: 1 });
      return { ok: result.ok, observed: `${proof}; ${result.observed}` };
    },
  },
  {
    scenario: "very slow body (download)",
    expected: "recovered; the slow download completes",
    flags: ["--speed", "10"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      const job = await create(page, "slow download");
      const wait = await waitFor(page, job.id);
      if (!wait.job.ok) return { ok: false, observed: `wait failed: ${errorText(wait.job.error)}` };
      const size = await fetch(`${emu.url}/openai/v1/video/generations/${wait.job.value.generations[0].id}/content/video`, { method: "HEAD", headers: { "api-key": KEY } });
      const bytes = Number(size.headers.get("content-length"));
      // About 3 s of dripping whatever the video's size.
      await emu.fault({ kind: "slow_body", count: 1, bytes_per_sec: Math.max(10, Math.ceil(bytes / 3)), path_contains: "/content/video" });
      const started = Date.now();
      const result = await recovered(page, wait);
      const seconds = (Date.now() - started) / 1000;
      // Not repeated: the slow answer itself delivered the video.
      const proof = assertFaultServed(await emu.requests(), { kind: "slow_body", method: "GET", path: VIDEO, count: 1, retried: false });
      return { ok: result.ok && seconds >= 2, observed: `${proof}; ${result.observed}; took ${seconds.toFixed(1)} s` };
    },
  },
  {
    scenario: "malformed JSON on a poll",
    expected: "recovered (the wait polls again)",
    flags: ["--speed", "10"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      const job = await create(page, "malformed poll");
      await emu.fault({ kind: "malformed", count: 1, path_contains: "/jobs/task_" });
      const result = await recovered(page, await waitFor(page, job.id));
      const proof = assertFaultServed(await emu.requests(), { kind: "malformed", method: "GET", path: POLL, count: 1, retried: true });
      return { ok: result.ok, observed: `${proof}; ${result.observed}` };
    },
  },
  {
    scenario: "malformed JSON on create",
    expected: "typed decode error (not retried)",
    flags: ["--speed", "10"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      await emu.fault({ kind: "malformed", count: 1, path_contains: "/jobs?" });
      const created = await page.evaluate(() => window.matrix.create("malformed create"));
      const proof = assertFaultServed(await emu.requests(), { kind: "malformed", method: "POST", path: CREATE, count: 1, retried: false });
      const ok = !created.ok && created.error.name === "SoraError" && created.error.kind === "decode";
      return { ok, observed: `${proof}; ${created.ok ? "created!" : errorText(created.error)}` };
    },
  },
  {
    scenario: "job expired (404) after success",
    expected: "typed not_found for the job and its video",
    flags: ["--speed", "10", "--ttl-seconds", "2"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      const job = await create(page, "expires soon");
      const wait = await waitFor(page, job.id);
      if (!wait.job.ok) return { ok: false, observed: `wait failed: ${errorText(wait.job.error)}` };
      const done = wait.job.value;
      const ttlOk = done.expires_at - done.finished_at === 2;
      await sleep(3_000);
      const video = await page.evaluate((id) => window.matrix.download(id), done.generations[0].id);
      const again = await page.evaluate((id) => window.matrix.getJob(id), done.id);
      const notFound = (o) => !o.ok && o.error.name === "SoraError" && o.error.kind === "not_found";
      // The service itself answered 404 (the expiry), not a network failure.
      const log = await emu.requests();
      const proof = [assertAnswered(log, { path: VIDEO, status: 404 }), assertAnswered(log, { path: `/jobs/${done.id}`, status: 404 })].join("; ");
      return {
        ok: ttlOk && notFound(video) && notFound(again),
        observed: `${proof}; expires_at = finished_at + ${done.expires_at - done.finished_at}; video: ${video.ok ? "downloaded!" : errorText(video.error)}; job: ${again.ok ? again.value.status : errorText(again.error)}`,
      };
    },
  },
  {
    scenario: "emulator killed (-9) mid-job, restarted with --state-file",
    expected: "waitForJob continues to success; video complete",
    flags: ["--speed", "2"],
    stateFile: true,
    async run(page, emu, row) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      const job = await create(page, "survives a kill");
      await page.evaluate(([id, max]) => window.matrix.startWait(id, max), [job.id, 60_000]);
      await sleep(2_000);
      const before = assertAnswered(await emu.requests(), { path: `/jobs/${job.id}`, status: 200 });
      await emu.kill();
      row.emu = await startEmulator(row.flags, emu.listen);
      const wait = await page.evaluate(() => window.matrix.waited());
      const result = await recovered(page, wait);
      // The restarted process (its log starts empty) served the polls that finished the wait.
      const after = assertAnswered(await row.emu.requests(), { path: `/jobs/${job.id}`, status: 200 });
      const same = result.job && result.job.id === job.id && result.job.created_at === job.created_at;
      return { ok: result.ok && same, observed: `before the kill ${before}; after the restart ${after}; ${result.observed}; same job ${same}` };
    },
  },
  {
    scenario: "emulator killed (-9) mid-job, restarted without state",
    expected: "typed not_found naming the job, within seconds (never a hang)",
    flags: ["--speed", "2"],
    async run(page, emu, row) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      const job = await create(page, "lost in a kill");
      await page.evaluate(([id, max]) => window.matrix.startWait(id, max), [job.id, 60_000]);
      await sleep(2_000);
      const before = assertAnswered(await emu.requests(), { path: `/jobs/${job.id}`, status: 200 });
      await emu.kill();
      row.emu = await startEmulator(row.flags, emu.listen);
      const wait = await page.evaluate(() => window.matrix.waited());
      // The restarted process, which never knew the job, answered the poll.
      const after = assertAnswered(await row.emu.requests(), { path: `/jobs/${job.id}`, status: 404 });
      const e = wait.job.ok ? null : wait.job.error;
      const ok = !!e && e.name === "SoraError" && e.kind === "not_found" && e.message.includes(job.id) && wait.ms < 20_000;
      return { ok, observed: `before the kill ${before}; after the restart ${after}; ${e ? errorText(e) : `resolved ${wait.job.value.status}!`} after ${(wait.ms / 1000).toFixed(1)} s` };
    },
  },
  ...[3600, -3600].map((skew) => ({
    scenario: `clock skew ${skew > 0 ? "+" : "-"}1 h (server timestamps)`,
    expected: "recovered; elapsed/ETA sane, no early timeout, expiry = finished_at + TTL",
    flags: ["--speed", "5", "--clock-skew-secs", String(skew), "--ttl-seconds", "600"],
    async run(page, emu) {
      await page.evaluate((o) => window.matrix.connect(o), clientOptions(emu));
      const job = await create(page, `skewed ${skew}`);
      const wait = await waitFor(page, job.id, 30_000);
      const result = await recovered(page, wait);
      const problems = progressProblems(wait.progress);
      const done = wait.job.ok ? wait.job.value : null;
      const skewSeen = done ? Math.round((done.created_at - Date.now() / 1000) / 60) : null;
      if (done && done.expires_at - done.finished_at !== 600) problems.push(`expires_at - finished_at = ${done.expires_at - done.finished_at}`);
      if (skewSeen !== null && Math.abs(skewSeen * 60 - skew) > 120) problems.push(`server skew seen ${skewSeen} min`);
      return {
        ok: result.ok && problems.length === 0,
        observed: `${result.observed}; ${wait.progress.length} progress reports${problems.length ? `; ${problems.join("; ")}` : ", all sane"}`,
      };
    },
  })),
];

// ---- run ----
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--autoplay-policy=no-user-gesture-required"],
});
const results = [];
try {
  for (const row of rows.filter((r) => !only || r.scenario.includes(only))) {
    const started = Date.now();
    const stateDir = row.stateFile ? mkdtempSync(join(tmpdir(), "sora-faults-")) : null;
    const flags = stateDir ? [...row.flags, "--state-file", join(stateDir, "state.json")] : row.flags;
    row.flags = flags;
    const page = await browser.newPage();
    const panics = [];
    page.on("console", (m) => {
      const text = m.text();
      if (/unreachable|RuntimeError|panicked/i.test(text)) panics.push(text);
    });
    page.on("pageerror", (error) => panics.push(String(error)));
    let outcome;
    try {
      row.emu = await startEmulator(flags);
      await page.goto(pageUrl);
      await page.waitForFunction(() => window.matrix !== undefined);
      await page.evaluate(() => window.matrix.ready);
      // A whole row may take at most 90 s: a hang is a failure, not a stuck suite.
      outcome = await Promise.race([
        row.run(page, row.emu, row),
        sleep(90_000).then(() => ({ ok: false, observed: "hung for 90 s" })),
      ]);
    } catch (error) {
      outcome = { ok: false, observed: `driver error: ${error.message}` };
    }
    if (panics.length) outcome = { ok: false, observed: `${outcome.observed}; PANIC: ${panics[0].slice(0, 200)}` };
    await page.close();
    if (row.emu) await row.emu.kill();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    const entry = { scenario: row.scenario, expected: row.expected, observed: outcome.observed, ok: outcome.ok, seconds: (Date.now() - started) / 1000 };
    results.push(entry);
    console.log(`ROW ${entry.scenario} | ${entry.expected} | ${entry.observed} | ${entry.ok ? "ok" : "FAIL"}`);
  }
} finally {
  await browser.close();
  server.close();
  for (const child of running) child.kill("SIGKILL");
}
if (reportPath) {
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, JSON.stringify(results, null, 2));
}
const failed = results.filter((r) => !r.ok).length;
console.log(`client-fault-matrix: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
