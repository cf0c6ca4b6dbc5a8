// The studio on the Videos API (Sora 2), driven like a person in headless Chromium: Azure Sora 2 and
// the OpenAI shape on the emulator (same origin), Detect, what is refused before sending and what the
// server refuses, a host without spritesheets, and a real LiteLLM proxy on another origin.
//
//   node videos.e2e.mjs http://127.0.0.1:PORT [--admin-token TOKEN] [--screenshots DIR] [--only TEXT]
//        [--litellm BASE_URL MASTER_KEY openai=NAME,azure=NAME | --litellm-error MESSAGE]
//
// PORT: an emulator of its own started with `--static-dir dist` (each test resets it). Without
// `--litellm`, the script starts the proxy itself with conformance/real-clients/serve_proxy.py (the
// real-clients venv's python) in front of that emulator, and stops it at the end; `--litellm-error`
// (a proxy the caller could not start) fails the proxy tests with that reason. Ends with
// `videos-e2e: N passed, M failed` and exits non-zero on any failure.

import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { deflateSync, crc32 } from "node:zlib";

import { check, jobIdOf, playable, waitStatus } from "./card.mjs";
import { launch, studioPage } from "./studio-page.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const base = (args[0] ?? "").replace(/\/+$/, "");
if (!/^https?:\/\//.test(base)) {
  console.error("usage: node videos.e2e.mjs http://127.0.0.1:PORT [--admin-token TOKEN] [--screenshots DIR] [--only TEXT] [--litellm BASE_URL KEY openai=NAME,azure=NAME]");
  process.exit(2);
}
const KEY = "emulator-key";
const ADMIN_TOKEN = flag("--admin-token", process.env.SORA_EMULATOR_ADMIN_TOKEN ?? "");
const shots = flag("--screenshots", path.join(here, "screenshots"));
const only = flag("--only", "");
const h = studioPage({ base, adminToken: ADMIN_TOKEN, shots, only, label: "videos" });
const { admin, requestLog, open, clean, shot } = h;

// A contract check that does not stop the flow (a field shown that should be hidden, a select that
// shows another API than the one in use): recorded, and the test fails at its end naming each one.
const soft = [];
function expect(condition, message) {
  if (!condition) {
    soft.push(message);
    console.log(`# contract: ${message}`);
  }
}
const test = (name, fn) =>
  h.test(name, async (context) => {
    soft.length = 0;
    await fn(context);
    check(soft.length === 0, soft.join("; "));
  });

const AZURE = "Azure Sora 2 (Videos API)";
const GATEWAY = "OpenAI-compatible gateway (Videos API)";
const JOBS = "Azure OpenAI jobs API";
// Failed loads the tests cause on purpose (a refused create, a host without spritesheets or
// thumbnails) show as console errors; anything else is a failure.
const EXPECTED_LOAD_ERRORS = [/Failed to load resource: the server responded with a status of (400|404)/];

// ---------------------------------------------------------------- helpers

/** A PNG of one colour, `width`×`height`, made here (no image library). */
function png(width, height, [r, g, b] = [200, 40, 40]) {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  return Buffer.concat([
    Buffer.from("89504e470d0a1a0a", "hex"),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Set a connection field the way a person does: type, then leave it (the studio commits on change). */
async function commit(page, selector, value) {
  await page.fill(selector, value);
  await page.press(selector, "Tab");
}

/** Choose the API in the connection panel. */
async function useProtocol(page, protocol) {
  await page.selectOption("#protocol", protocol);
  check((await page.inputValue("#protocol")) === protocol, `#protocol is ${protocol}`);
}

/** The label text of a field. */
const labelOf = (page, id) => page.locator(`label[for=${id}]`).innerText();

/** Submit the create form and return the new card (the newest comes first). */
async function submit(page) {
  const before = await page.locator("[data-testid=job]").count();
  await page.click("[data-testid=create]");
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=job]").length > n, before, { timeout: 15_000 });
  return page.locator("[data-testid=job]").first();
}

/** A card by its service id (the data-job-id attribute). */
const cardOf = (page, id) => page.locator(`[data-testid=job][data-job-id="${id}"]`);

/** Follow a card to Done, recording each percentage it shows on the way. */
async function followPercent(card, timeout = 90_000) {
  const seen = [];
  const statuses = new Set();
  const until = Date.now() + timeout;
  for (;;) {
    const status = (await card.locator("[data-testid=status]").innerText()).trim();
    statuses.add(status);
    const text = (await card.locator("[data-testid=percent]").innerText()).trim();
    const match = /^(\d+) %$/.exec(text);
    if (match && seen.at(-1) !== Number(match[1])) seen.push(Number(match[1]));
    if (status === "Done") return { seen, statuses: [...statuses] };
    check(!["Failed", "Cancelled", "Refused", "Gone"].includes(status), `the video ended ${status}: ${await card.innerText()}`);
    check(Date.now() < until, `not Done after ${timeout / 1000} s (statuses ${[...statuses]}, percents ${seen})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The card's video once its `canplay` has fired (after loading it again if it already had). */
async function canPlay(card, timeout = 60_000) {
  const info = await playable(card, timeout);
  const video = card.locator("video[data-testid=video]").first();
  check((await video.count()) === 1, "the card has a video[data-testid=video]");
  await video.evaluate(
    (v, t) =>
      new Promise((resolve, reject) => {
        if (v.readyState >= 3) return resolve();
        v.addEventListener("canplay", () => resolve(), { once: true });
        setTimeout(() => reject(new Error(`no canplay (readyState ${v.readyState})`)), t);
      }),
    timeout,
  );
  return info;
}

/** Move the mouse across the scrub strip; the data-tile values seen at its left edge, middle and right edge. */
async function scrubTiles(page, card) {
  const strip = card.locator("[data-testid=scrub]");
  await strip.waitFor({ state: "visible", timeout: 30_000 });
  await strip.scrollIntoViewIfNeeded();
  const box = await strip.boundingBox();
  check(box && box.width > 10 && box.height > 10, `the scrub strip has a size (${JSON.stringify(box)})`);
  const tiles = [];
  for (const at of [0.02, 0.5, 0.98]) {
    await page.mouse.move(box.x + box.width * at, box.y + box.height / 2, { steps: 4 });
    await page.waitForTimeout(50);
    tiles.push(await strip.getAttribute("data-tile"));
  }
  return tiles;
}

/** The mean colour of the card's video's first frame (drawn on a canvas in the page). */
async function firstFrameColour(card) {
  return card.locator("video[data-testid=video]").first().evaluate(async (v) => {
    v.pause();
    // A seek (not the frame the element happens to hold): 50 ms in, still the first frames.
    const seeked = new Promise((resolve) => v.addEventListener("seeked", resolve, { once: true }));
    v.currentTime = 0.05;
    await seeked;
    const canvas = document.createElement("canvas");
    canvas.width = 72;
    canvas.height = 128;
    const context = canvas.getContext("2d");
    context.drawImage(v, 0, 0, canvas.width, canvas.height);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const sum = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
    return sum.map((x) => Math.round(x / (data.length / 4)));
  });
}

/** API requests the page sends (method, URL, headers, body), from the page's own network events. */
function recordRequests(page) {
  const sent = [];
  page.on("request", (r) => {
    if (r.resourceType() === "fetch" || r.resourceType() === "xhr") {
      sent.push({ method: r.method(), url: r.url(), headers: r.headers(), body: r.postDataBuffer() });
    }
  });
  return sent;
}

/** The first recorded request that `matches`, waiting a little for it (a card shows before its create is sent). */
async function sentTo(page, sent, matches, timeout = 10_000) {
  const until = Date.now() + timeout;
  for (;;) {
    const found = sent.find(matches);
    if (found || Date.now() > until) return found ?? null;
    await page.waitForTimeout(100);
  }
}

/** LiteLLM's ids: `video_` + base64 of `litellm:custom_llm_provider:P;model_id:M;video_id:UPSTREAM;…`. */
function decodeProxyId(id) {
  if (typeof id !== "string" || !id.startsWith("video_")) return null;
  const text = Buffer.from(id.slice("video_".length), "base64").toString("utf8");
  if (!text.startsWith("litellm:")) return null;
  return Object.fromEntries(text.split(";").map((part) => [part.slice(0, part.lastIndexOf(":")), part.slice(part.lastIndexOf(":") + 1)]));
}

// ---------------------------------------------------------------- the LiteLLM proxy

/** The proxy to use: given by the caller, started here, or the reason there is none. */
async function litellmProxy() {
  const i = args.indexOf("--litellm");
  if (i >= 0) {
    const [baseUrl, key, models] = args.slice(i + 1, i + 4);
    const named = Object.fromEntries((models ?? "").split(",").map((m) => m.split("=")));
    return { proxy: { baseUrl, key, models: named }, stop: async () => {} };
  }
  if (args.includes("--litellm-error")) return { reason: flag("--litellm-error", "the caller could not start the proxy"), stop: async () => {} };
  // Started here, as xtask's LiteLlmProxy starts it: the launcher prints one JSON line, and stops
  // the proxy when its stdin closes.
  const python = path.join(os.homedir(), ".cache/sora-studio/venv-real-clients/bin/python");
  const logs = fs.mkdtempSync(path.join(os.tmpdir(), "videos-e2e-litellm-"));
  const launcher = spawn(python, [path.join(root, "conformance/real-clients/serve_proxy.py"), base, "--emulator-key", KEY, "--logs", logs], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  // "close" comes after "error" too (a launcher that cannot be started at all).
  let spawnError = "";
  launcher.on("error", (e) => (spawnError = ` (${e.message})`));
  const exited = new Promise((resolve) => launcher.on("close", (code) => resolve(code)));
  const stop = async () => {
    launcher.stdin.end();
    launcher.stdin.on("error", () => {});
    await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
  };
  const line = await Promise.race([
    new Promise((resolve) => readline.createInterface({ input: launcher.stdout }).once("line", resolve)),
    exited.then((code) => `the launcher exited ${code}${spawnError}`),
    new Promise((resolve) => setTimeout(() => resolve("timeout"), 240_000)),
  ]);
  try {
    const started = JSON.parse(line);
    console.log(`# LiteLLM proxy at ${started.base_url} (log: ${started.log})`);
    const models = Object.fromEntries(started.models.map((m) => [m.provider, m.name]));
    return { proxy: { baseUrl: started.base_url, key: started.master_key, models }, stop };
  } catch {
    await stop();
    return { reason: `serve_proxy.py did not start the proxy (${line}; see ${logs}/proxy.log)`, stop: async () => {} };
  }
}

// ---------------------------------------------------------------- tests

const proxyTestName = (provider) => `through a real LiteLLM proxy on another origin (${provider}/ model): detect, create, play, remix, reload`;

let browser = null;
async function main() {
  browser = await launch();
  h.setBrowser(browser);

  await test("Azure Sora 2 on the emulator: progress rises, plays, scrubs, remix, library tree, reload keeps all", async (context) => {
    // Slow enough to see several percentages (a 720x1280 4 s video takes about 17 s at speed 4).
    await admin("/admin/config", { speed: 4 });
    const page = await open(context);
    check((await page.inputValue("#protocol")) === "azure-jobs", "the jobs API is the default");
    check((await labelOf(page, "deployment")) === "Deployment", "the jobs API asks for a deployment");
    await useProtocol(page, "azure-videos");
    check((await page.inputValue("#endpoint")) === base, "endpoint = the page's origin");
    check((await page.inputValue("#deployment")) === "sora-2", `the default deployment sora became sora-2 (${await page.inputValue("#deployment")})`);
    check((await labelOf(page, "deployment")) === "Model", `the field is labelled Model on the Videos API (${await labelOf(page, "deployment")})`);
    const inUse = (await page.locator("[data-testid=endpoint-in-use]").innerText()).trim();
    check(inUse === `Requests go to ${base}/openai/v1/videos`, `endpoint in use: ${inUse}`);
    // Back and forth: sora-2 turns back into sora on the jobs API.
    await useProtocol(page, "azure-jobs");
    check((await page.inputValue("#deployment")) === "sora", "sora-2 turned back into sora on the jobs API");
    await useProtocol(page, "azure-videos");

    // The form: the model table's sizes, sora-2's durations, no variants.
    check((await page.locator("#size").evaluate((e) => e.tagName)) === "SELECT", "#size is a select for sora-2");
    const sizes = await page.locator("#size option").evaluateAll((os) => os.map((o) => o.value));
    check(sizes.includes("720x1280") && sizes.includes("1280x720") && sizes.length === 2, `sora-2's sizes: ${sizes}`);
    expect(!(await page.locator("#variants").isVisible()), "the Variants field is shown on the Videos API (its .field has the hidden attribute, but style.css's .field { display: grid } overrides it)");
    await page.selectOption("#size", "720x1280");
    await page.fill("#seconds", "4");
    const hint = await page.locator("#seconds ~ p.hint").innerText();
    check(hint.includes("sora-2 makes 4, 8 or 12 s"), `seconds hint: ${hint}`);
    const prompt = "A paper boat drifting down a rain gutter";
    await page.fill("#prompt", prompt);
    const card = await submit(page);
    const id = await jobIdOf(card);
    check(/^video_[0-9a-f]{32}$/.test(id), `the card carries the video's id (${id})`);
    const { seen, statuses } = await followPercent(card);
    console.log(`# percentages shown: ${seen.join(", ")}; statuses: ${statuses.join(", ")}`);
    check(seen.length >= 2 && seen.every((p, i) => i === 0 || p > seen[i - 1]), `the percentage rises: ${seen.join(", ")} %`);
    check(seen.some((p) => p > 0 && p < 100), `a percentage between 0 and 100 was shown: ${seen.join(", ")}`);
    check(statuses.some((s) => ["Queued", "Running"].includes(s)), `went through the service's states: ${statuses}`);
    check((await card.locator("[data-testid=percent]").innerText()).trim() === "", "no percentage once done");
    const detail = (await card.locator("[data-testid=detail]").innerText()).trim();
    check(detail === `720×1280 · 4 s · ${AZURE}`, `detail: ${detail}`);
    const info = await canPlay(card);
    check(info.width === 720 && info.height === 1280 && Math.abs(info.duration - 4) < 0.25, `plays 720x1280, 4 s (${info.width}x${info.height}, ${info.duration} s)`);
    const log = await requestLog();
    check(log.some((r) => r.method === "POST" && r.path === "/openai/v1/videos" && r.status === 200), "created with POST /openai/v1/videos");
    check(log.some((r) => r.path === `/openai/v1/videos/${id}/content` && r.query.includes("variant=spritesheet") && r.status === 200), "asked for the spritesheet");
    // The scrub strip shows the frame under the pointer.
    const tiles = await scrubTiles(page, card);
    check(new Set(tiles).size >= 2 && tiles[0] === "0" && Number(tiles[2]) > Number(tiles[0]), `data-tile follows the mouse: ${tiles}`);

    // Remix: the prompt comes back, a banner says what is remixed.
    await card.getByText("Saved on this device").waitFor({ timeout: 30_000 });
    const banner = page.locator("[data-testid=remix-of]");
    // Cancel remix goes back to a plain create.
    await card.locator("[data-testid=remix]").click();
    await banner.getByRole("button", { name: "Cancel remix" }).click();
    await banner.waitFor({ state: "detached", timeout: 5_000 });
    check((await page.locator("[data-testid=create]").innerText()).trim() === "Create video", "Cancel remix: the button reads Create video");
    await page.fill("#prompt", "");
    await card.locator("[data-testid=remix]").click();
    check((await page.inputValue("#prompt")) === prompt, "the prompt is pre-filled with the source's");
    await banner.waitFor();
    check((await banner.innerText()).includes(id), `the banner names the source (${await banner.innerText()})`);
    check((await page.locator("[data-testid=create]").innerText()).trim() === "Remix video", "the button reads Remix video");
    // A remix keeps the source's size and length: those fields go while remixing.
    expect(!(await page.locator("#size").isVisible()) && !(await page.locator("#seconds").isVisible()), "the size and duration fields stay shown while remixing (their .field/.row have the hidden attribute, overridden by display: grid)");
    const remixPrompt = "The same paper boat at night, lit by a street lamp";
    await page.fill("#prompt", remixPrompt);
    const remix = await submit(page);
    const remixId = await jobIdOf(remix);
    check(remixId !== id && /^video_[0-9a-f]{32}$/.test(remixId), `the remix is a new video (${remixId})`);
    await banner.waitFor({ state: "detached", timeout: 5_000 });
    check((await page.locator("[data-testid=create]").innerText()).trim() === "Create video", "the button reads Create video again");
    const remixDetail = (await remix.locator("[data-testid=detail]").innerText()).trim();
    check(remixDetail.includes(`remix of ${id}`) && remixDetail.includes(AZURE), `remix detail: ${remixDetail}`);
    await waitStatus(remix, "Done", 90_000);
    const remixInfo = await canPlay(remix);
    check(remixInfo.width === 720 && remixInfo.height === 1280, "the remix plays at the source's size");
    const upstream = await (await fetch(`${base}/openai/v1/videos/${remixId}`, { headers: { "api-key": KEY } })).json();
    check(upstream.remixed_from_video_id === id && upstream.prompt === remixPrompt, `the service made a remix of ${id}: ${JSON.stringify(upstream)}`);
    check((await requestLog()).some((r) => r.method === "POST" && r.path === `/openai/v1/videos/${id}/remix`), "sent POST …/videos/{id}/remix");
    await remix.getByText("Saved on this device").waitFor({ timeout: 30_000 });

    // The library: the remix right after its parent, one deeper.
    const library = async () => {
      await page.locator("[data-testid=library-item]").nth(1).waitFor({ timeout: 15_000 });
      return page.locator("[data-testid=library-item]").evaluateAll((items) =>
        items.map((li) => ({ depth: li.dataset.depth, prompt: li.querySelector(".prompt")?.textContent, remixOf: li.querySelector("[data-testid=library-remix-of]")?.textContent ?? null })),
      );
    };
    await page.getByRole("button", { name: "Show library" }).click();
    const tree = await library();
    const at = tree.findIndex((i) => i.prompt === prompt);
    check(tree.length === 2 && at >= 0, `two library items: ${JSON.stringify(tree)}`);
    check(tree[at].depth === "0" && tree[at].remixOf === null, `the source at depth 0: ${JSON.stringify(tree[at])}`);
    check(tree[at + 1]?.prompt === remixPrompt && tree[at + 1].depth === "1" && tree[at + 1].remixOf.includes(id), `the remix right after it at depth 1: ${JSON.stringify(tree)}`);
    await page.locator("[data-testid=library]").scrollIntoViewIfNeeded();
    await shot(page, "16-videos-remix");

    // A reload keeps both cards, the API and the library's tree.
    await page.reload();
    await page.waitForSelector("body[data-app=mounted]");
    check((await page.inputValue("#protocol")) === "azure-videos", "still on Azure Sora 2 after the reload");
    for (const [each, text] of [[id, `720×1280 · 4 s · ${AZURE}`], [remixId, `remix of ${id}`]]) {
      const again = cardOf(page, each);
      await again.waitFor({ timeout: 15_000 });
      await waitStatus(again, "Done", 15_000);
      const d = await again.locator("[data-testid=detail]").innerText();
      check(d.includes(text), `after the reload ${each} still says ${text} (${d})`);
      await canPlay(again);
    }
    check((await page.locator("[data-testid=job]").count()) === 2, "two cards after the reload");
    await page.getByRole("button", { name: "Show library" }).click();
    const reloaded = await library();
    check(JSON.stringify(reloaded) === JSON.stringify(tree), `the same library after the reload: ${JSON.stringify(reloaded)}`);
    await clean(page);
  });

  await test("Detect: the emulator's origin is the jobs API, <origin>/v1 an OpenAI-compatible gateway", async (context) => {
    const page = await open(context);
    const outcome = page.locator("[data-testid=connection-outcome]");
    // Start from another API, so Detect has to switch.
    await useProtocol(page, "openai-videos");
    await page.click("[data-testid=detect]");
    await outcome.getByText("answered").waitFor({ timeout: 30_000 });
    let said = (await outcome.innerText()).trim();
    check(said.includes(`${JOBS} answered. Connected to ${base}`), `Detect at the origin: ${said}`);
    check((await page.inputValue("#protocol")) === "azure-jobs", `switched to the jobs API (${await page.inputValue("#protocol")})`);
    check((await labelOf(page, "deployment")) === "Deployment", "labelled Deployment again");

    // What is typed is what Detect tries (no change event needed).
    await page.fill("#endpoint", `${base}/v1`);
    await page.click("[data-testid=detect]");
    await outcome.getByText(`${GATEWAY} answered`).waitFor({ timeout: 30_000 });
    said = (await outcome.innerText()).trim();
    check(said.includes(`Connected to ${base}/v1`) && !said.includes("cannot list"), `Detect at /v1: ${said}`);
    check((await labelOf(page, "deployment")) === "Model", "the connection is on a Videos API (the field reads Model)");
    const shown = await page.inputValue("#protocol");
    expect(shown === "openai-videos", `after Detect switched to the OpenAI-compatible gateway (label Model, requests to /v1/videos, localStorage openai-videos) the #protocol select still shows ${shown}: an option chosen by hand earlier keeps its selectedness; the selected attribute does not move it`);
    check((await page.inputValue("#deployment")) === "sora-2", "the model is sora-2");
    const inUse = (await page.locator("[data-testid=endpoint-in-use]").innerText()).trim();
    check(inUse === `Requests go to ${base}/v1/videos`, `endpoint in use: ${inUse}`);
    // The connection check says the same, with no api-version anywhere on this API.
    await page.click("[data-testid=check-connection]");
    await outcome.getByText("Connected to").waitFor();
    const listed = (await requestLog()).filter((r) => r.path === "/v1/videos" && r.method === "GET");
    check(listed.length >= 2 && listed.every((r) => r.status === 200 && !r.query.includes("api-version")), `listed /v1/videos without api-version: ${JSON.stringify(listed)}`);
    await clean(page, { allowConsole: EXPECTED_LOAD_ERRORS });
  });

  await test("a wrong-size reference image for sora-2 is refused before sending; the right size is sent as input_reference", async (context) => {
    const page = await open(context);
    const sent = recordRequests(page);
    await useProtocol(page, "azure-videos");
    await page.selectOption("#size", "720x1280");
    await page.fill("#seconds", "4");
    await page.locator("summary", { hasText: "Start from an image" }).click();
    await page.setInputFiles("#image", { name: "small.png", mimeType: "image/png", buffer: png(8, 8) });
    await page.locator("[data-testid=image-preview]").waitFor();
    // The Videos API starts from the image as it is: no frame, no crop.
    expect(!(await page.locator("#frame").isVisible()), "the frame field is shown on the Videos API (hidden attribute overridden by .field { display: grid })");
    expect(!(await page.locator("fieldset.crop").isVisible()), "the crop fieldset is shown on the Videos API (hidden attribute overridden by its display: grid)");
    await page.fill("#prompt", "A red square becomes a sunrise");
    // Wait until the preview has measured the image (its size is what is checked).
    await page.waitForFunction(() => document.querySelector("[data-testid=image-preview]")?.naturalWidth === 8);
    const logBefore = (await requestLog()).length;
    const sentBefore = sent.length;
    await page.click("[data-testid=create]");
    const problem = page.locator("[data-testid=form-problem]");
    await problem.getByText("Check").waitFor({ timeout: 5_000 });
    const imageError = (await page.locator("[data-testid=image-error]").innerText()).trim();
    const problemText = (await problem.innerText()).trim();
    check(/8x8/.test(imageError) && /720x1280/.test(imageError), `the image error names both sizes: ${imageError} (form: ${problemText})`);
    await page.waitForTimeout(1_000);
    check((await page.locator("[data-testid=job]").count()) === 0, "no card");
    const after = sent.slice(sentBefore).filter((r) => r.method !== "GET");
    check(after.length === 0, `nothing sent: ${after.map((r) => `${r.method} ${r.url}`)}`);
    const logged = (await requestLog()).slice(logBefore).filter((r) => r.method === "POST");
    check(logged.length === 0, `the emulator saw no create: ${JSON.stringify(logged)}`);

    // The video's own size goes, as a multipart input_reference.
    await page.setInputFiles("#image", { name: "portrait.png", mimeType: "image/png", buffer: png(720, 1280) });
    await page.waitForFunction(() => document.querySelector("[data-testid=image-preview]")?.naturalWidth === 720);
    const card = await submit(page);
    const create = await sentTo(page, sent, (r) => r.method === "POST" && r.url.startsWith(`${base}/openai/v1/videos`));
    // Chromium does not show a FormData body with a file to Playwright: the header says multipart,
    // and the video's first frame says the image arrived.
    check(create && /^multipart\/form-data; boundary=/.test(create.headers["content-type"] ?? ""), `the create is multipart (${create?.headers["content-type"]})`);
    await waitStatus(card, "Done", 90_000);
    const info = await canPlay(card);
    check(info.width === 720 && info.height === 1280, "plays at 720x1280");
    const [r, g, b] = await firstFrameColour(card);
    check(r > 150 && g < 90 && b < 90, `the video starts from the red reference image (first frame's mean colour ${r}, ${g}, ${b})`);
    await clean(page);
  });

  await test("an unknown model on the OpenAI shape: free size field, the server's own refusal on the card", async (context) => {
    const page = await open(context);
    const sent = recordRequests(page);
    await useProtocol(page, "openai-videos");
    await commit(page, "#endpoint", `${base}/v1`);
    await commit(page, "#deployment", "veo-3");
    check((await page.locator("#size").evaluate((e) => e.tagName)) === "INPUT", "#size is a text field for a model the studio does not know");
    const hint = await page.locator("#size-hint").innerText();
    check(/server decides/.test(hint), `size hint: ${hint}`);
    check(!(await page.locator("#seconds ~ p.hint").innerText()).includes("makes"), "no duration rule for it");
    await page.fill("#size", "1280x720");
    await page.fill("#seconds", "6");
    await page.fill("#prompt", "A glass of water on a wooden table");
    // What the emulator says to the same request, for comparison.
    const direct = await fetch(`${base}/v1/videos`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "veo-3", prompt: "x", size: "1280x720", seconds: "6" }),
    });
    const said = (await direct.json()).error;
    check(direct.status === 400 && said?.message, `the emulator refuses veo-3 (${direct.status} ${JSON.stringify(said)})`);
    const card = await submit(page);
    await waitStatus(card, "Refused", 30_000);
    const text = (await card.innerText()).replace(/\s+/g, " ");
    check(text.includes(said.message.trim().replace(/\s+/g, " ").replace(/\.$/, "")), `the card shows the server's words "${said.message}": ${text}`);
    const create = await sentTo(page, sent, (r) => r.method === "POST" && r.url.startsWith(`${base}/v1/videos`));
    check(create, "the create went to <origin>/v1/videos");
    const body = create.body?.toString() ?? "";
    check(body.includes("veo-3") && body.includes("1280x720") && /\b6\b/.test(body), `the model, size and seconds went as entered: ${body.slice(0, 300)}`);
    check(create.headers.authorization === `Bearer ${KEY}` && !create.headers["api-key"], "the key went as a Bearer token");
    await clean(page, { allowConsole: EXPECTED_LOAD_ERRORS });
  });

  await test("a host without spritesheets: the video still plays, no scrub strip", async (context) => {
    await admin("/admin/config", { spritesheets: false });
    const page = await open(context);
    await useProtocol(page, "azure-videos");
    await page.fill("#prompt", "Fog rolling over a harbour");
    const card = await submit(page);
    const id = await jobIdOf(card);
    await waitStatus(card, "Done", 90_000);
    const info = await canPlay(card);
    check(info.width === 720 && info.height === 1280, "plays");
    // The studio asked, was told there is none, and shows no strip.
    const until = Date.now() + 15_000;
    const asked = () => requestLog().then((log) => log.filter((r) => r.path === `/openai/v1/videos/${id}/content` && r.query.includes("variant=spritesheet")));
    while ((await asked()).length === 0) {
      check(Date.now() < until, "the studio never asked for the spritesheet");
      await page.waitForTimeout(250);
    }
    check((await asked()).every((r) => r.status === 404), "the emulator answered 404 for it");
    await card.getByText("Saved on this device").waitFor({ timeout: 30_000 });
    check((await card.locator("[data-testid=scrub]").count()) === 0, "no scrub strip");
    check((await card.locator("[data-testid=problem]").count()) === 0, `no problem shown for a missing spritesheet: ${await card.innerText()}`);
    await clean(page, { allowConsole: EXPECTED_LOAD_ERRORS });
  });

  // ---------------------------------------------------------------- through a real LiteLLM proxy
  // Started only when a proxy test is to run.
  const wanted = ["openai", "azure"].some((p) => !only || proxyTestName(p).includes(only));
  const { proxy, reason, stop } = wanted ? await litellmProxy() : { reason: "not wanted", stop: async () => {} };
  try {
    for (const [provider, size] of [["openai", "1280x720"], ["azure", "720x1280"]]) {
      await test(proxyTestName(provider), async (context) => {
        check(proxy, `no LiteLLM proxy: ${reason}`);
        const model = proxy.models[provider];
        check(model, `the proxy serves no ${provider}/ model (${JSON.stringify(proxy.models)})`);
        const proxyOrigin = new URL(proxy.baseUrl).origin;
        check(proxyOrigin !== base, "the proxy is on another origin");
        const page = await open(context);
        const sent = recordRequests(page);
        const answers = [];
        page.on("response", (r) => {
          if (r.url().startsWith(`${proxyOrigin}/`) && r.request().method() === "POST") answers.push({ url: r.url(), status: r.status(), body: r.text().catch(() => "") });
        });
        /** The proxy's answer to a POST to `url` (its body read), waiting for it a little. */
        const answerTo = async (url) => {
          const until = Date.now() + 10_000;
          for (;;) {
            // The id may be percent-encoded in the path (LiteLLM's base64 can end with "=").
            const found = answers.find((a) => decodeURIComponent(a.url) === url);
            if (found) return { ...found, body: await found.body };
            if (Date.now() > until) return null;
            await page.waitForTimeout(100);
          }
        };
        const outcome = page.locator("[data-testid=connection-outcome]");
        await commit(page, "#endpoint", proxy.baseUrl);
        await page.selectOption("#auth-mode", "api-key");
        await commit(page, "#key", proxy.key);
        const keyed = sent.length;
        await page.check("#remember");
        await page.click("[data-testid=detect]");
        await outcome.getByText("answered").waitFor({ timeout: 60_000 });
        const said = (await outcome.innerText()).replace(/\s+/g, " ");
        check(said.includes(`${GATEWAY} answered`) && said.includes("This gateway cannot list its videos") && said.includes("the studio works from its own record"), `Detect through the proxy: ${said}`);
        check((await page.inputValue("#protocol")) === "openai-videos", "switched to the OpenAI-compatible gateway");
        await commit(page, "#deployment", model);
        // The service list says plainly that this service cannot list.
        await page.getByText("This service cannot list its videos").first().waitFor({ timeout: 30_000 });
        check((await page.locator("[data-testid=problem]", { hasText: "This service cannot list its videos" }).count()) >= 1, "the service list panel shows the problem");

        // A model the studio does not know: the size goes as typed.
        check((await page.locator("#size").evaluate((e) => e.tagName)) === "INPUT", "free size field for the proxy's model name");
        await page.fill("#size", size);
        await page.fill("#seconds", "4");
        const prompt = `A lantern over a night market (${provider})`;
        await page.fill("#prompt", prompt);
        const card = await submit(page);
        const id = await jobIdOf(card);
        const created = await answerTo(`${proxy.baseUrl}/videos`);
        const createdId = created && JSON.parse(created.body).id;
        check(id === createdId, `the card's id is the proxy's, unmodified (${id} vs ${createdId})`);
        const fields = decodeProxyId(id);
        check(fields && fields["litellm:custom_llm_provider"] === provider && /^video_[0-9a-f]{32}$/.test(fields.video_id), `a LiteLLM id naming ${provider}: ${JSON.stringify(fields)}`);
        // On this protocol the key goes as a Bearer token (Detect's tries of the Azure APIs send api-key).
        const toProxy = sent.slice(keyed).filter((r) => r.url.startsWith(`${proxy.baseUrl}/videos`));
        const wrong = toProxy.filter((r) => r.headers.authorization !== `Bearer ${proxy.key}` || r.headers["api-key"]);
        check(toProxy.length > 0 && wrong.length === 0, `the master key went as a Bearer token, only (${wrong.map((r) => `${r.method} ${r.url}: ${r.headers.authorization ? "authorization" : ""} ${r.headers["api-key"] ? "api-key" : ""}`)})`);
        await waitStatus(card, "Done", 120_000);
        const [w, hgt] = size.split("x").map(Number);
        const info = await canPlay(card);
        check(info.width === w && info.height === hgt && Math.abs(info.duration - 4) < 0.25, `plays ${size}, 4 s (${info.width}x${info.height}, ${info.duration})`);
        await card.getByText("Saved on this device").waitFor({ timeout: 30_000 });

        // Remix through the proxy.
        await card.locator("[data-testid=remix]").click();
        check((await page.inputValue("#prompt")) === prompt, "the prompt is pre-filled");
        await page.locator("[data-testid=remix-of]", { hasText: id }).waitFor();
        const remixPrompt = `The same lantern at dawn (${provider})`;
        await page.fill("#prompt", remixPrompt);
        const remix = await submit(page);
        const remixId = await jobIdOf(remix);
        const remixed = await answerTo(`${proxy.baseUrl}/videos/${id}/remix`);
        check(remixed && remixed.status === 200 && JSON.parse(remixed.body).id === remixId, `the remix card carries the proxy's remix id (${remixId}; proxy said ${remixed?.status} ${remixed?.body?.slice(0, 200)})`);
        const child = decodeProxyId(remixId);
        check(remixId !== id && child && child["litellm:custom_llm_provider"] === provider && child.video_id !== fields.video_id, `a new LiteLLM id: ${JSON.stringify(child)}`);
        check((await remix.locator("[data-testid=detail]").innerText()).includes(`remix of ${id}`), "the remix card says what it remixes");
        await waitStatus(remix, "Done", 120_000);
        const remixInfo = await canPlay(remix);
        check(remixInfo.width === w && remixInfo.height === hgt, "the remix plays");
        const upstream = await (await fetch(`${base}/v1/videos/${child.video_id}`, { headers: { authorization: `Bearer ${KEY}` } })).json();
        check(upstream.remixed_from_video_id === fields.video_id && upstream.prompt === remixPrompt, `upstream, a remix of the first: ${JSON.stringify(upstream)}`);
        await remix.getByText("Saved on this device").waitFor({ timeout: 30_000 });

        // A reload: the studio's own record brings both cards back (the proxy cannot list them).
        await page.reload();
        await page.waitForSelector("body[data-app=mounted]");
        check((await page.inputValue("#protocol")) === "openai-videos" && (await page.inputValue("#endpoint")) === proxy.baseUrl, "the connection is kept");
        for (const each of [id, remixId]) {
          const again = cardOf(page, each);
          await again.waitFor({ timeout: 15_000 });
          await waitStatus(again, "Done", 15_000);
          await canPlay(again);
        }
        check((await page.locator("[data-testid=job]").count()) === 2, "two cards after the reload");
        await page.getByText("This service cannot list its videos").first().waitFor({ timeout: 30_000 });
        // The proxy cannot list (400), and has no thumbnails or spritesheets of its own: expected failed loads.
        await clean(page, { allowConsole: EXPECTED_LOAD_ERRORS });
      });
    }
  } finally {
    await stop();
  }

  await browser.close();
}

main()
  .catch(async (error) => {
    console.log(`not ok - the run broke: ${error.stack}`);
    h.results.push(false);
    await browser?.close().catch(() => {});
  })
  .finally(async () => {
    const passed = h.results.filter(Boolean).length;
    const failed = h.results.length - passed;
    console.log(`videos-e2e: ${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
  });
