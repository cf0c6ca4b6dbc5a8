// The endpoint as people paste it (issue 18): the connection panel shows the base URL and
// api-version the core makes of the text as it is typed, and the studio reaches an Azure AI Foundry
// origin under its Content-Security-Policy. Run by studio.e2e.mjs, which passes its own helpers.
//
// The Foundry origin is played by the emulator: `context.route` forwards every request for it to
// the emulator and answers with the emulator's answer. A CSP block happens before routing, so a
// request that reaches the route is one the policy allowed.

import { check, jobIdOf, playable, waitStatus } from "./card.mjs";

const FOUNDRY = "https://my-foundry.services.ai.azure.com";
const TARGET_URL = `${FOUNDRY}/openai/v1/video/generations/jobs?api-version=preview`;
// Hop-by-hop and length headers: fetch sets its own; a compressed answer would be passed on decoded.
const NOT_FORWARDED = new Set(["host", "connection", "keep-alive", "transfer-encoding", "content-length", "accept-encoding", "content-encoding"]);

const forwardable = (headers) => Object.fromEntries(Object.entries(headers).filter(([name]) => !NOT_FORWARDED.has(name.toLowerCase())));

/** Route every request for FOUNDRY to the emulator at `base`; returns the log of routed requests. */
async function foundryOnEmulator(context, base) {
  const routed = [];
  await context.route(`${FOUNDRY}/**`, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const headers = await request.allHeaders();
    routed.push({ method: request.method(), path: url.pathname, search: url.search, key: "api-key" in headers });
    const answer = await fetch(base + url.pathname + url.search, {
      method: request.method(),
      headers: forwardable(headers),
      body: request.postDataBuffer() ?? undefined,
      redirect: "manual",
    });
    const answerHeaders = forwardable(Object.fromEntries(answer.headers));
    // The emulator allows any origin; should it not say so, say it here (the route plays the service).
    answerHeaders["access-control-allow-origin"] ??= headers.origin ?? "*";
    await route.fulfill({ status: answer.status, headers: answerHeaders, body: Buffer.from(await answer.arrayBuffer()) });
  });
  return routed;
}

/** The panel's line saying what the endpoint text is used as (or what is wrong with it). */
const inUse = (page) => page.locator("[data-testid=endpoint-in-use]");

async function waitInUse(page, text) {
  try {
    await inUse(page).filter({ hasText: text }).waitFor({ timeout: 5_000 });
  } catch {
    throw new Error(`the endpoint line never said ${JSON.stringify(text)}; it says ${JSON.stringify(await inUse(page).innerText())}`);
  }
}

export async function endpointFormTests({ test, base, open, create, clean }) {
  await test("endpoint: a pasted Foundry target URL is shown normalised, checked, and used through its origin under the CSP", async (context) => {
    const routed = await foundryOnEmulator(context, base);
    const page = await open(context);
    await page.fill("#endpoint", `  ${TARGET_URL} `);
    await waitInUse(page, `Requests go to ${FOUNDRY}/openai/v1 with api-version preview`);
    check((await page.getAttribute("#endpoint", "aria-invalid")) === "false", "a good endpoint is not marked invalid");
    check(routed.length === 0, `nothing is sent while typing (${routed.length} requests)`);

    await page.press("#endpoint", "Enter");
    const outcome = page.locator("[data-testid=connection-outcome]");
    await outcome.getByText(`Connected to ${FOUNDRY}/openai/v1`).waitFor({ timeout: 15_000 }).catch(async () => {
      const csp = await page.evaluate(() => window.__csp);
      throw new Error(`the check did not connect (${routed.length} requests routed; CSP violations: ${csp.join("; ") || "none"}): ${await outcome.innerText()}`);
    });
    const listed = routed.find((r) => r.method === "GET" && r.path === "/openai/v1/video/generations/jobs");
    check(listed && listed.search.startsWith("?api-version=preview&limit=1") && listed.key, `the check went through the Foundry origin: ${JSON.stringify(routed)}`);

    const card = await create(page, { prompt: "A lantern festival seen from a Foundry", seconds: 2 });
    const id = await jobIdOf(card);
    await waitStatus(card, "Done", 90_000);
    await playable(card);
    const paths = routed.map((r) => `${r.method} ${r.path}`);
    check(paths.includes("POST /openai/v1/video/generations/jobs"), `created through the Foundry origin: ${paths.join(", ")}`);
    check(paths.includes(`GET /openai/v1/video/generations/jobs/${id}`), `polled through the Foundry origin: ${paths.join(", ")}`);
    check(paths.some((p) => /^GET \/openai\/v1\/video\/generations\/[^/]+\/content\/video$/.test(p)), `downloaded through the Foundry origin: ${paths.join(", ")}`);
    check(routed.every((r) => r.search.startsWith("?api-version=preview")), `every request says api-version=preview: ${JSON.stringify(routed.map((r) => r.search))}`);
    await clean(page);
  });

  await test("endpoint: an undocumented api-version in a pasted URL is refused as typed, naming preview and v1", async (context) => {
    const routed = await foundryOnEmulator(context, base);
    const page = await open(context);
    await page.fill("#endpoint", `${FOUNDRY}/openai/v1/video/generations/jobs?api-version=2024-01-01`);
    await waitInUse(page, "api-version=2024-01-01");
    const message = await inUse(page).innerText();
    check(/\bpreview\b/.test(message) && /\bv1\b/.test(message), `the message names preview and v1: ${message}`);
    check((await page.getAttribute("#endpoint", "aria-invalid")) === "true", "the field is marked invalid");
    await page.click("[data-testid=check-connection]");
    const problem = page.locator("[data-testid=connection-outcome] [data-testid=problem]");
    await problem.waitFor();
    check((await problem.innerText()).includes("preview or v1"), `the check says why: ${await problem.innerText()}`);
    check(routed.length === 0, `nothing was sent (${routed.length} requests)`);
    // Fixed by hand, the line follows at once.
    await page.fill("#endpoint", `${FOUNDRY}/openai/v1/video/generations/jobs?api-version=v1`);
    await waitInUse(page, `Requests go to ${FOUNDRY}/openai/v1 with api-version v1`);
    await clean(page);
  });
}
