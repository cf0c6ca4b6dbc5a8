// P3: polling efficiency on the emulator. The same mixed workload is waited for three ways:
// @sora-studio/client's ETA-aware schedule, fixed 1 s polling and fixed 5 s polling. For each job we
// count the polls and the detection delay: when the poller saw `succeeded` minus when the job really
// succeeded (found by an oracle that polls every 50 ms through an uncounted path).
// Usage: node polling.mjs <emulator-url> <api-key> <rounds>
import init, { SoraClient } from "@sora-studio/client";
import { readFileSync } from "node:fs";

const [endpoint, apiKey, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 3);
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
const strategies = { adaptive: adaptive(client), "fixed 1 s": (id) => fixed(id, 1000), "fixed 5 s": (id) => fixed(id, 5000) };
const results = Object.fromEntries(Object.keys(strategies).map((k) => [k, { polls: [], delays: [] }]));

for (let round = 1; round <= rounds; round++) {
  const runs = [];
  for (const [name, wait] of Object.entries(strategies)) {
    for (const [i, spec] of workload.entries()) {
      runs.push((async () => {
        const job = await create(spec, `round ${round} job ${i} ${name}`);
        const [truth, seen] = await Promise.all([oracle(job.id), wait(job.id)]);
        results[name].polls.push(seen.polls);
        results[name].delays.push(Math.max(0, seen.seenAt - truth));
      })());
    }
  }
  await Promise.all(runs);
  console.error(`round ${round} done`);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const table = Object.entries(results).map(([name, r]) => ({
  strategy: name,
  jobs: r.polls.length,
  polls_per_job_mean: +mean(r.polls).toFixed(1),
  delay_ms_median: Math.round(median(r.delays)),
  delay_ms_mean: Math.round(mean(r.delays)),
  delay_ms_max: Math.round(Math.max(...r.delays)),
}));
console.log(JSON.stringify(table));
