// P3 for the Videos API: the same mixed workload on two emulators, one sending the poll hint
// (`openai-poll-after-ms`) and one not, each waited for three ways at the same time:
// @sora-studio/client's `waitForVideo` (the hint when sent, else its ETA-aware schedule), the
// official Python SDK's `poll` rule (sleep the first answer's hint, else 1 s, for every poll), and
// fixed 5 s polling. Detection delay = when a poller saw the video ended − when it really ended,
// found by an oracle listing the videos every 50 ms (uncounted).
//
// Per run, emulator and strategy it prints `sample p3v.<hint|no_hint>.<strategy>.polls_per_job N`
// and `… .delay_ms N` (means over the workload). Each emulator's client is kept across runs.
// Usage: node polling-videos.mjs <api-key> <admin-token> <runs> hint=<url> no_hint=<url>
import init, { SoraClient } from "@sora-studio/client";
import { readFileSync } from "node:fs";
import { fixed, mean, oracle, sleep } from "./polling-shared.mjs";

const [apiKey, adminToken, runsArg, ...targets] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
await init({ module_or_path: readFileSync("node_modules/@sora-studio/client/sora_client_bg.wasm") });

const workload = [
  { model: "sora-2", size: "720x1280", seconds: 4 },
  { model: "sora-2", size: "1280x720", seconds: 8 },
  { model: "sora-2", size: "720x1280", seconds: 12 },
  { model: "sora-2-pro", size: "1792x1024", seconds: 4 },
  { model: "sora-2-pro", size: "1024x1792", seconds: 8 },
  { model: "sora-2", size: "1280x720", seconds: 4 },
];
const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
const ended = (s) => s === "completed" || s === "failed";

/** One emulator's `/v1/videos`. */
function service(endpoint) {
  const base = `${endpoint}/v1/videos`;
  return {
    async create(spec, prompt) {
      const body = { model: spec.model, prompt, seconds: String(spec.seconds), size: spec.size };
      const res = await fetch(base, { method: "POST", headers, body: JSON.stringify(body) });
      return res.json();
    },
    async get(id) {
      const res = await fetch(`${base}/${encodeURIComponent(id)}`, { headers });
      return { status: (await res.json()).status, hint: res.headers.get("openai-poll-after-ms") };
    },
    /** An oracle listing the newest videos every 50 ms (see `polling-shared.mjs`). */
    oracle() {
      return oracle(async () => (await (await fetch(`${base}?limit=100`, { headers })).json()).data ?? [], ended);
    },
  };
}

/** openai-python's `videos.poll`: the first answer's hint (else 1 s) is the interval for every later poll. */
async function sdkRule(api, id) {
  let polls = 0;
  let interval;
  for (;;) {
    polls += 1;
    const { status, hint } = await api.get(id);
    if (ended(status)) return { polls, seenAt: performance.now() };
    interval ??= hint === null ? 1000 : Number(hint);
    await sleep(interval);
  }
}

function ours(client) {
  return async (api, id) => {
    let polls = 0;
    // onProgress runs once per poll answer, the first read included.
    await client.waitForVideo(id, { onProgress: () => (polls += 1) });
    return { polls, seenAt: performance.now() };
  };
}

async function setHint(endpoint, on) {
  const res = await fetch(`${endpoint}/admin/config`, {
    method: "POST",
    headers: { "x-admin-token": adminToken, "content-type": "application/json" },
    body: JSON.stringify({ poll_hint: on }),
  });
  if (!res.ok) throw new Error(`admin config: ${res.status} ${await res.text()}`);
}

async function emulatorRuns(name, endpoint) {
  await setHint(endpoint, name === "hint");
  const api = service(endpoint);
  const client = new SoraClient({ endpoint: `${endpoint}/v1`, apiKey, protocol: "openai-videos", requestsPerMinute: 100000 });
  const watch = api.oracle();
  const strategies = { ours: ours(client), sdk_rule: sdkRule, fixed_5s: (a, id) => fixed(async () => ended((await a.get(id)).status), 5000) };
  for (let run = 1; run <= runs; run++) {
    const results = Object.fromEntries(Object.keys(strategies).map((k) => [k, { polls: [], delays: [] }]));
    const started = performance.now();
    const videos = [];
    for (const [strategy, wait] of Object.entries(strategies)) {
      for (const [i, spec] of workload.entries()) {
        videos.push((async () => {
          const video = await api.create(spec, `${name} run ${run} video ${i} ${strategy}`);
          if (!video.id) throw new Error(`create failed: ${JSON.stringify(video)}`);
          const [truth, seen] = await Promise.all([watch(video.id), wait(api, video.id)]);
          results[strategy].polls.push(seen.polls);
          results[strategy].delays.push(Math.max(0, seen.seenAt - truth));
        })());
      }
    }
    await Promise.all(videos);
    const summary = [];
    for (const [strategy, r] of Object.entries(results)) {
      console.log(`sample p3v.${name}.${strategy}.polls_per_job ${mean(r.polls).toFixed(2)}`);
      console.log(`sample p3v.${name}.${strategy}.delay_ms ${mean(r.delays).toFixed(1)}`);
      summary.push(`${strategy} ${mean(r.polls).toFixed(1)} polls/video, ${Math.round(mean(r.delays))} ms`);
    }
    console.log(`# P3 Videos ${name} run ${run} (${Math.round((performance.now() - started) / 1000)} s): ${summary.join("; ")}`);
  }
}

await Promise.all(targets.map((target) => {
  const at = target.indexOf("=");
  return emulatorRuns(target.slice(0, at), target.slice(at + 1));
}));
process.exit(0);
