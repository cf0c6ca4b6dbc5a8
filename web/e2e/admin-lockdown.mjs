// A page on another origin tries the emulator's admin endpoints and is refused; the emulator's
// state proves nothing happened. Used by studio.e2e.mjs.

import { createServer } from "node:http";

import { check } from "./card.mjs";

/** The admin calls a hostile page would try: [method, path, JSON body or null]. */
const CALLS = [
  ["POST", "/admin/reset", {}],
  ["POST", "/admin/faults", { kind: "500", count: 5 }],
  ["POST", "/admin/tokens", { ttl_seconds: 3600 }],
  ["POST", "/admin/config", { rpm: 1 }],
  ["GET", "/admin/requests", null],
];

/** Serves one blank page on 127.0.0.1 at a free port: an origin that is not the emulator's. */
async function otherOrigin() {
  const server = createServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>other origin</title>"));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

/** In the page: every call twice, as a CORS fetch with the token and as a no-cors (CSRF-style) fetch. */
const attempt = async ({ base, token, calls }) => {
  const outcomes = [];
  for (const [method, path, body] of calls) {
    const init = { method, body: body ? JSON.stringify(body) : undefined };
    try {
      const r = await fetch(base + path, { ...init, headers: { "content-type": "application/json", "x-admin-token": token } });
      outcomes.push({ path, mode: "cors", read: true, status: r.status, text: await r.text() });
    } catch (e) {
      outcomes.push({ path, mode: "cors", read: false, error: String(e) });
    }
    try {
      // A "simple" request is sent without a preflight; the browser only hides the answer.
      const r = await fetch(base + path, { ...init, mode: "no-cors" });
      outcomes.push({ path, mode: "no-cors", read: r.type !== "opaque", status: r.status });
    } catch (e) {
      outcomes.push({ path, mode: "no-cors", read: false, error: String(e) });
    }
  }
  return outcomes;
};

/**
 * The test body. `adminCall(method, path, body)` calls admin from Node with the token; `api(p)`
 * calls the API with the key; `open(context, url)` opens the studio.
 */
export async function adminRefusesOtherOrigins(context, { base, token, adminCall, api, open }) {
  // State to protect: a job, the config, an empty fault queue.
  const created = await api("/jobs", "POST", { model: "sora", prompt: "must survive the hostile page", width: 480, height: 480, n_seconds: 1 });
  check(created.ok, `create answered ${created.status}`);
  const job = await created.json();
  const before = await adminCall("GET", "/admin/config");

  const other = await otherOrigin();
  try {
    const page = await context.newPage();
    await page.goto(other.url);
    const outcomes = await page.evaluate(attempt, { base, token, calls: CALLS });
    for (const o of outcomes) {
      check(!o.read, `${o.mode} ${o.path} from another origin was readable: ${JSON.stringify(o)}`);
    }
    check(outcomes.filter((o) => o.mode === "cors").every((o) => /TypeError|Failed to fetch/.test(o.error ?? "")), `CORS fetches must reject: ${JSON.stringify(outcomes)}`);
  } finally {
    other.close();
  }

  // Nothing happened: the job is there (no reset), the config is unchanged, no fault fires.
  const still = await api(`/jobs/${job.id}`);
  check(still.status === 200, `the job is gone after the hostile page (${still.status}): a reset got through`);
  const after = await adminCall("GET", "/admin/config");
  check(JSON.stringify(after) === JSON.stringify(before), `config changed: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
  const probe = await api("/jobs?limit=1");
  check(probe.status === 200, `a fault got queued: the next API call answered ${probe.status}`);
  const log = await adminCall("GET", "/admin/requests");
  const last = log.at(-1);
  check(last && last.path.endsWith("/jobs") && last.status === 200, `request log: ${JSON.stringify(last)}`);

  // Control: the studio's own origin, with the token, may call admin (so the refusals above are
  // the origin check, not a broken call); without the token it may not.
  const studio = await open(context);
  const own = await studio.evaluate(async ({ base, token }) => {
    const withToken = await fetch(base + "/admin/config", { headers: { "x-admin-token": token } });
    const without = await fetch(base + "/admin/config");
    return [withToken.status, without.status];
  }, { base, token });
  check(own[0] === 200 && own[1] === 401, `own origin: with token ${own[0]}, without ${own[1]}`);
}
