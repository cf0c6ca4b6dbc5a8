// P3: polling efficiency on the emulator. The same mixed workload is waited for three ways, all at
// the same time on one emulator: @sora-studio/client's ETA-aware schedule, fixed 1 s polling and
// fixed 5 s polling. For each job we count the polls and the detection delay: when the poller saw
// `succeeded` minus when the job really succeeded (found by an oracle that polls every 50 ms through
// an uncounted path). One run = the 6-job workload; per run and strategy it prints
// `sample p3.<strategy>.polls_per_job N` and `sample p3.<strategy>.delay_ms N` (means over the 6 jobs).
// The adaptive client is kept across runs, as an app keeps it: run 1 starts from its built-in prior.
// Usage: node polling.mjs <emulator-url> <api-key> <runs>
import init, { SoraClient } from "@sora-studio/client";
import { readFileSync } from "node:fs";

const [endpoint, apiKey, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
await init({ module_or_path: readFileSync("node_modules/@sora-studio/client/sora_client_bg.wasm") });

const workload = [
  { size: "480x480", nSeconds: 5 },
  { size: "854x480", nSeconds: 10 },
  { size: "1280x720", nSeconds: 5 },
  { size: "480x480", nSeconds: 2, nVariants: 2 },
  { size: "1080x1080", nSeconds: 3 },
  { size: "720x1280", nSeconds: 8 },
];
const base = `${endpoint}/openai/v1/video/generations/jobs`;
const headers = { "api-key": apiKey, "content-type": "application/json" };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function create(spec, prompt) {
  const [width, height] = spec.size.split("x").map(Number);
  const body = { model: "sora", prompt, width, height, n_seconds: spec.nSeconds, n_variants: spec.nVariants ?? 1 };
  const res = await fetch(`${base}?api-version=preview`, { method: "POST", headers, body: JSON.stringify(body) });
  return res.json();
}

async function status(id) {
  const res = await fetch(`${base}/${id}?api-version=preview`, { headers });
  return (await res.json()).status;
}

/** Polls every 50 ms; resolves with the time the job was first seen succeeded. */
async function oracle(id) {
  for (;;) {
    const s = await status(id);
    if (s === "succeeded" || s === "failed") return performance.now();
    await sleep(50);
  }
}

async function fixed(id, intervalMs) {
  let polls = 0;
  for (;;) {
    await sleep(intervalMs);
    polls += 1;
    const s = await status(id);
    if (s === "succeeded" || s === "failed") return { polls, seenAt: performance.now() };
  }
}

function adaptive(client) {
  return async (id) => {
    let polls = 0;
    await client.waitForJob(id, { onProgress: () => (polls += 1) });
    // onProgress runs once per poll response; the first report is the initial read.
    return { polls, seenAt: performance.now() };
  };
}

const client = new SoraClient({ endpoint, apiKey, requestsPerMinute: 100000, maxRunningJobs: 1000 });
const strategies = { adaptive: adaptive(client), fixed_1s: (id) => fixed(id, 1000), fixed_5s: (id) => fixed(id, 5000) };
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

for (let run = 1; run <= runs; run++) {
  const results = Object.fromEntries(Object.keys(strategies).map((k) => [k, { polls: [], delays: [] }]));
  const started = performance.now();
  const jobs = [];
  for (const [name, wait] of Object.entries(strategies)) {
    for (const [i, spec] of workload.entries()) {
      jobs.push((async () => {
        const job = await create(spec, `run ${run} job ${i} ${name}`);
        if (!job.id) throw new Error(`create failed: ${JSON.stringify(job)}`);
        const [truth, seen] = await Promise.all([oracle(job.id), wait(job.id)]);
        results[name].polls.push(seen.polls);
        results[name].delays.push(Math.max(0, seen.seenAt - truth));
      })());
    }
  }
  await Promise.all(jobs);
  const summary = [];
  for (const [name, r] of Object.entries(results)) {
    console.log(`sample p3.${name}.polls_per_job ${mean(r.polls).toFixed(2)}`);
    console.log(`sample p3.${name}.delay_ms ${mean(r.delays).toFixed(1)}`);
    summary.push(`${name} ${mean(r.polls).toFixed(1)} polls/job, ${Math.round(mean(r.delays))} ms`);
  }
  console.log(`# P3 run ${run} (${Math.round((performance.now() - started) / 1000)} s): ${summary.join("; ")}`);
}
process.exit(0);
