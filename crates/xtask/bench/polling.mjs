// P3: polling efficiency per emulator timing profile. On each profile's emulator the same mixed
// workload is waited for three ways at the same time: @sora-studio/client's ETA-aware schedule,
// fixed 1 s polling and fixed 5 s polling. For each job we count the polls and the detection delay:
// when the poller saw `succeeded` minus when the job really succeeded, found by an oracle that lists
// the run's jobs every 50 ms (uncounted). Profiles run side by side, each with its own client.
//
// Equal cost: the fixed interval that would make as many polls per job as the ETA-aware poller, on
// the ETA-aware poller's own jobs, replayed from their true end times (a fixed poller sleeps first,
// with its phase averaged over the interval); its mean delay is the figure to beat.
//
// Per run, profile and strategy it prints `sample p3.<profile>.<strategy>.polls_per_job N` and
// `… .delay_ms N` (means over the 6 jobs), and `sample p3.<profile>.equal_cost.interval_ms|delay_ms`.
// Each adaptive client is kept across runs, as an app keeps it: run 1 starts from its built-in guess.
// Usage: node polling.mjs <api-key> <runs> <profile>=<emulator-url>...
import init, { SoraClient } from "@sora-studio/client";
import { readFileSync } from "node:fs";
import { fixed, mean, oracle } from "./polling-shared.mjs";

const [apiKey, runsArg, ...targets] = process.argv.slice(2);
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
const headers = { "api-key": apiKey, "content-type": "application/json" };
const terminal = (s) => s === "succeeded" || s === "failed";

/** One profile's emulator. */
function service(endpoint) {
  const base = `${endpoint}/openai/v1/video/generations/jobs`;
  return {
    async create(spec, prompt) {
      const [width, height] = spec.size.split("x").map(Number);
      const body = { model: "sora", prompt, width, height, n_seconds: spec.nSeconds, n_variants: spec.nVariants ?? 1 };
      const res = await fetch(`${base}?api-version=preview`, { method: "POST", headers, body: JSON.stringify(body) });
      return res.json();
    },
    async status(id) {
      const res = await fetch(`${base}/${id}?api-version=preview`, { headers });
      return (await res.json()).status;
    },
    /** An oracle listing the newest jobs every 50 ms (see `polling-shared.mjs`). */
    oracle() {
      const list = async () => (await (await fetch(`${base}?api-version=preview&limit=100`, { headers })).json()).data ?? [];
      return oracle(list, terminal);
    },
  };
}

function adaptive(client) {
  return async (api, id) => {
    let polls = 0;
    await client.waitForJob(id, { onProgress: () => (polls += 1) });
    // onProgress runs once per poll response; the first report is the initial read.
    return { polls, seenAt: performance.now() };
  };
}

/** A fixed-interval poller (sleep first, phase averaged over the interval) on jobs ending `ends` ms after creation. */
function replay(ends, interval) {
  const phases = 20;
  let polls = 0;
  let delay = 0;
  for (const end of ends) {
    for (let k = 0; k < phases; k++) {
      const first = (interval * (k + 0.5)) / phases;
      const count = end <= first ? 1 : Math.ceil((end - first) / interval) + 1;
      polls += count;
      delay += first + (count - 1) * interval - end;
    }
  }
  return { polls: polls / ends.length / phases, delay: delay / ends.length / phases };
}

/** The fixed interval making `polls` polls per job on these jobs, and its delay. */
function equalCost(ends, polls) {
  let [low, high] = [10, 600_000];
  for (let i = 0; i < 60; i++) {
    const middle = Math.sqrt(low * high);
    if (replay(ends, middle).polls > polls) low = middle;
    else high = middle;
  }
  return { interval: high, delay: replay(ends, high).delay };
}

async function profileRuns(profile, endpoint) {
  const api = service(endpoint);
  const client = new SoraClient({ endpoint, apiKey, requestsPerMinute: 100000, maxRunningJobs: 1000 });
  const watch = api.oracle();
  const strategies = { adaptive: adaptive(client), fixed_1s: (a, id) => fixed(async () => terminal(await a.status(id)), 1000), fixed_5s: (a, id) => fixed(async () => terminal(await a.status(id)), 5000) };
  for (let run = 1; run <= runs; run++) {
    const results = Object.fromEntries(Object.keys(strategies).map((k) => [k, { polls: [], delays: [], ends: [] }]));
    const started = performance.now();
    const jobs = [];
    for (const [name, wait] of Object.entries(strategies)) {
      for (const [i, spec] of workload.entries()) {
        jobs.push((async () => {
          const job = await api.create(spec, `${profile} run ${run} job ${i} ${name}`);
          const createdAt = performance.now();
          if (!job.id) throw new Error(`create failed: ${JSON.stringify(job)}`);
          const [truth, seen] = await Promise.all([watch(job.id), wait(api, job.id)]);
          const r = results[name];
          r.polls.push(seen.polls);
          r.delays.push(Math.max(0, seen.seenAt - truth));
          r.ends.push(truth - createdAt);
        })());
      }
    }
    await Promise.all(jobs);
    const summary = [];
    for (const [name, r] of Object.entries(results)) {
      console.log(`sample p3.${profile}.${name}.polls_per_job ${mean(r.polls).toFixed(2)}`);
      console.log(`sample p3.${profile}.${name}.delay_ms ${mean(r.delays).toFixed(1)}`);
      summary.push(`${name} ${mean(r.polls).toFixed(1)} polls/job, ${Math.round(mean(r.delays))} ms`);
    }
    const own = results.adaptive;
    const equal = equalCost(own.ends, mean(own.polls));
    console.log(`sample p3.${profile}.equal_cost.interval_ms ${equal.interval.toFixed(0)}`);
    console.log(`sample p3.${profile}.equal_cost.delay_ms ${equal.delay.toFixed(1)}`);
    const check = ["fixed_1s", "fixed_5s"].map((name, i) => {
      const r = replay(results[name].ends, [1000, 5000][i]);
      return `${name} replayed ${r.polls.toFixed(1)} polls/job, ${Math.round(r.delay)} ms`;
    });
    const ends = own.ends.map((e) => (e / 1000).toFixed(1)).join(", ");
    console.log(`# P3 ${profile} run ${run} (${Math.round((performance.now() - started) / 1000)} s): ${summary.join("; ")}; equal cost: fixed ${Math.round(equal.interval)} ms, ${Math.round(equal.delay)} ms; ${check.join("; ")}; adaptive job ends (s): ${ends}`);
  }
}

await Promise.all(targets.map((target) => {
  const at = target.indexOf("=");
  return profileRuns(target.slice(0, at), target.slice(at + 1));
}));
process.exit(0);
