// Drives the packed npm package like a user: type-check, bundle with esbuild, run in headless Chromium.
// Usage: node run.mjs <emulator-url> <api-key> (--litellm <base-url> <master-key> <provider=model,...> | --litellm-error <why>)
// (cwd: a copy of this folder next to the tarball, with the Rust tests' tests/common/endpoint_forms.tsv
// beside run.mjs). The LiteLLM proxy (in front of the same emulator) is xtask's; without it, its checks fail.
import { spawnSync } from "node:child_process";
import { createServer } from "node:http";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { chromium } from "playwright-core";
import { HUGE_HINT, hintServer } from "./hint-server.mjs";
import { litellmChecks } from "./litellm.mjs";
import { runInNode } from "./node.mjs";

const [endpoint, apiKey, ...rest] = process.argv.slice(2);
const litellmAt = rest.indexOf("--litellm");
const litellm = litellmAt < 0 ? null : {
  baseUrl: rest[litellmAt + 1],
  key: rest[litellmAt + 2],
  models: Object.fromEntries((rest[litellmAt + 3] ?? "").split(",").map((pair) => pair.split("="))),
};
const litellmError = rest.includes("--litellm-error") ? rest[rest.indexOf("--litellm-error") + 1] : "no LiteLLM proxy was given (--litellm)";
const checks = [];
const check = (name, ok, detail) => {
  checks.push({ name, ok });
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : `: ${JSON.stringify(detail)}`}`);
};

/** Type-checks a project strictly; returns tsc's exit status, its errors and the files it read. */
function tsc(project) {
  const run = spawnSync("npx", ["tsc", "--strict", "--noEmit", "--listFiles", "--pretty", "false", "-p", project], { encoding: "utf8" });
  const lines = `${run.stdout}\n${run.stderr}`.split("\n").filter(Boolean);
  const errors = lines.filter((l) => / error TS\d+:/.test(l));
  const files = lines.filter((l) => /\.tsx?$/.test(l) && !errors.includes(l)).map((f) => relative(".", f));
  return { status: run.status, errors, files, output: lines.filter((l) => !/\.tsx?$/.test(l)).join("\n") };
}

/** The rows of the shared endpoint table (format: its header comment). */
function endpointForms(file) {
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line, i) => [line, i + 1])
    .filter(([line]) => line !== "" && !line.startsWith("#"))
    .map(([line, number]) => {
      const [pasted, configured, expected] = line.split("\t");
      const error = /^error ([a-z_]+): (.*)$/.exec(expected);
      const [base, apiVersion] = expected.split(" ");
      return {
        line: number,
        pasted: pasted.replaceAll("\\n", "\n").replaceAll("\\t", "\t"),
        configured: configured === "-" ? null : configured,
        expected: error ? { param: error[1], contains: error[2] } : { endpoint: base, apiVersion },
      };
    });
}

/** Whether a row's outcome in the page is what the table expects. */
function matches(expected, got) {
  if ("contains" in expected) return got.kind === "validation" && got.param === expected.param && got.message.includes(expected.contains);
  return got.endpoint === expected.endpoint && got.apiVersion === expected.apiVersion;
}

const consumer = tsc("tsconfig.json");
const sources = readdirSync("src").filter((f) => f.endsWith(".ts")).map((f) => join("src", f));
const unchecked = sources.filter((f) => !consumer.files.includes(f));
const typings = consumer.files.filter((f) => f.startsWith(join("node_modules", "@sora-studio", "client")) && f.endsWith(".d.ts"));
check(
  `the typed consumer passes tsc --strict --noEmit (${sources.length} files, against the package's ${typings.length} .d.ts)`,
  consumer.status === 0 && consumer.errors.length === 0 && sources.length > 0 && unchecked.length === 0 && typings.length > 0,
  { status: consumer.status, errors: consumer.errors, unchecked, typings, output: consumer.output.slice(0, 2000) },
);

// The same check must be able to fail: a consumer with marked mistakes gets exactly those errors.
const wrongFile = join("negative", "wrong-consumer.ts");
const expected = readFileSync(wrongFile, "utf8")
  .split("\n")
  .flatMap((line, i) => [...line.matchAll(/EXPECT (TS\d+)/g)].map((m) => `${wrongFile}(${i + 1},${m[1]}`));
const wrong = tsc(join("negative", "tsconfig.json"));
const got = wrong.errors.map((e) => /^(.+?)\((\d+),\d+\): error (TS\d+):/.exec(e)).map((m) => (m ? `${relative(".", m[1])}(${m[2]},${m[3]}` : "?"));
check(
  `tsc rejects a wrongly typed consumer with exactly its ${expected.length} marked errors`,
  wrong.status !== 0 && expected.length > 0 && got.length === expected.length && expected.every((e) => got.includes(e)),
  { status: wrong.status, expected, got: wrong.errors },
);

// Node as a runtime: the installed package, no browser and no bundler.
const node = await runInNode(endpoint, apiKey).catch((e) => ({ error: String(e?.stack ?? e) }));
check("node: no error", !node.error, node.error);
check("node: createAndWait resolves with a succeeded job after progress reports", node.status === "succeeded" && node.statuses.at(-1) === "succeeded", node);
check("node: videoContent is a video/mp4 Blob of the video's size that starts with an ftyp box",
  node.isBlob && node.type === "video/mp4" && node.bytes > 1000 && node.bytes === node.reportedBytes && node.ftyp, node);
const n = node.unknownDeployment;
check("node: an unknown deployment rejects as a SoraError (api, 404, unknownDeployment)",
  n && n.name === "SoraError" && n.kind === "api" && n.status === 404 && n.unknownDeployment === true && n.message.includes("'no-such-deployment'"), n);

const nv = node.videos;
check("node: createVideoAndWait with a Blob reference (no createImageBitmap) completes; its thumbnail is a JPEG Blob",
  nv && nv.status === "completed" && nv.thumbnail.isBlob && nv.thumbnail.type === "image/jpeg" && nv.thumbnail.jpeg, nv);
check("node: a Blob reference without a fileName is refused (validation, input_reference)",
  nv && nv.nameless && nv.nameless.kind === "validation" && nv.nameless.param === "input_reference", nv?.nameless);
check("node: a wrong-size reference the client cannot measure is refused by the server (api 400, input_reference)",
  nv && nv.wrongSize && nv.wrongSize.kind === "api" && nv.wrongSize.status === 400 && nv.wrongSize.param === "input_reference", nv?.wrongSize);

mkdirSync("dist", { recursive: true });
const esbuild = await import("esbuild");
await esbuild.build({
  entryPoints: ["src/page.ts", "src/worker.ts", "src/hints-page.ts", "src/forms-page.ts", "src/litellm-page.ts"],
  bundle: true,
  format: "esm",
  minify: true,
  outdir: "dist",
  logLevel: "warning",
});
copyFileSync("node_modules/@sora-studio/client/sora_client_bg.wasm", "dist/sora_client_bg.wasm");
writeFileSync("dist/index.html", '<!doctype html><meta charset="utf-8"><title>consumer</title><script type="module" src="page.js"></script>');
writeFileSync("dist/hints.html", '<!doctype html><meta charset="utf-8"><title>hints</title><script type="module" src="hints-page.js"></script>');
writeFileSync("dist/forms.html", '<!doctype html><meta charset="utf-8"><title>forms</title><script type="module" src="forms-page.js"></script>');
writeFileSync("dist/litellm.html", '<!doctype html><meta charset="utf-8"><title>litellm</title><script type="module" src="litellm-page.js"></script>');

const types = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };
const server = createServer((req, res) => {
  const path = new URL(req.url, "http://x").pathname.replace(/^\/+/, "") || "index.html";
  try {
    const body = readFileSync(join("dist", path));
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const page_url = `http://127.0.0.1:${server.address().port}/?endpoint=${encodeURIComponent(endpoint)}&key=${encodeURIComponent(apiKey)}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
try {
  const page = await browser.newPage();
  page.on("console", (m) => m.type() === "error" && console.log("console:", m.text()));
  await page.goto(page_url);
  await page.waitForFunction(() => window.outcome !== undefined, null, { timeout: 120_000 });
  const outcome = await page.evaluate(() => window.outcome);
  check("no error in the page", !outcome.error, outcome.error);
  for (const [where, r] of [["window", outcome.window], ["worker", outcome.worker]]) {
    check(`${where}: job succeeded after progress reports`, r && r.statuses.at(-1) === "succeeded" && r.progressReports > 0, r?.statuses);
    check(`${where}: video is an MP4 Blob`, r && r.type === "video/mp4" && r.ftyp && r.bytes > 1000, r);
    check(`${where}: async iterator lists the job`, r && r.listedViaIterator, r);
    check(`${where}: validation rejects with a SoraError naming the field`, r && r.validationError.name === "SoraError" && r.validationError.kind === "validation" && r.validationError.param === "n_variants", r?.validationError);
    check(`${where}: a wrong key rejects as a 401 with a request id`, r && r.authError.kind === "api" && r.authError.status === 401 && !!r.authError.requestId, r?.authError);
  }
  const e = outcome.errors;
  const u = e?.unknownDeployment;
  check("an unknown deployment rejects as a 404 with unknownDeployment set and the name in the message",
    u && u.name === "SoraError" && u.kind === "api" && u.status === 404 && u.unknownDeployment === true && u.message.includes("'no-such-deployment'"), u);
  const c = e?.contentPolicy;
  check("a refused prompt rejects as content_policy_violation on `prompt` with the revised prompt",
    c && c.kind === "api" && c.status === 400 && c.code === "content_policy_violation" && c.param === "prompt"
      && c.revisedPrompt === "A scene of in the street, <b>not bold</b>" && c.unknownDeployment === false, c);
  for (const reason of ["input_moderation", "output_moderation", "internal_error"]) {
    const f = e?.failed?.[reason];
    check(`createAndWait rejects as job_failed with failureReason ${reason}`, f && f.kind === "job_failed" && f.failureReason === reason && !!f.jobId, f);
  }
  check("createAndWait of a cancelled job rejects as job_cancelled with its jobId",
    e?.cancelled && e.cancelled.kind === "job_cancelled" && !!e.cancelled.jobId && /cancelled/.test(e.cancelled.message), e?.cancelled);
  check("an accepted create answers queued", e?.createdStatus === "queued", e?.createdStatus);
  const w = outcome.window;
  check("the video plays in a <video> at the requested size and length", w && w.readyState >= 2 && w.videoWidth === 480 && w.videoHeight === 480 && Math.abs(w.duration - 2) < 0.05, w);

  // The Videos API: an openai-videos client on <emulator>/v1 and an azure-videos one on the root.
  const v = outcome.videos;
  const isVideo = (x) => x && x.object === "video" && typeof x.id === "string" && typeof x.seconds === "number" && typeof x.created_at === "number";
  check("videos: an openai-videos client uses <emulator>/v1 as given, and says its protocol",
    v && v.protocol === "openai-videos" && v.endpoint === `${endpoint}/v1` && v.pasted === `${endpoint}/v1`, v && { protocol: v.protocol, endpoint: v.endpoint, pasted: v.pasted });
  check("videos: createVideo with a File reference of the video's size (multipart) answers a queued video",
    v && isVideo(v.created) && v.created.status === "queued" && v.created.size === "720x1280" && v.created.seconds === 4
      && v.created.model === "sora-2" && v.created.remixed_from_video_id === null && v.created.error === null, v?.created);
  check("videos: createVideo with { imageUrl: <data: URL> } (JSON) answers a queued video",
    v && isVideo(v.fromUrl) && v.fromUrl.status === "queued" && v.fromUrl.size === "720x1280", v?.fromUrl);
  check("videos: a reference of the wrong size is refused (validation, input_reference) before sending",
    v && v.wrongSize && v.wrongSize.kind === "validation" && v.wrongSize.param === "input_reference" && v.wrongSize.message.includes("640x480")
      && v.newestBefore === v.fromUrl.id && v.newestAfter === v.newestBefore, v && { wrongSize: v.wrongSize, before: v.newestBefore, after: v.newestAfter });
  check("videos: createVideoAndWait completes after progress reports with a percent",
    v && isVideo(v.done) && v.done.status === "completed" && v.done.size === "1280x720" && v.done.completed_at !== null
      && v.statuses.at(-1) === "completed" && v.percents.some((p) => typeof p === "number") && v.percents.every((p) => p === null || (p >= 0 && p <= 100)),
    v && { done: v.done, statuses: v.statuses, percents: v.percents });
  const isJpeg = (a) => a && a.type === "image/jpeg" && a.head[0] === 0xff && a.head[1] === 0xd8 && a.bytes > 100;
  check("videos: downloadContent is a video/mp4 Blob with an ftyp box",
    v && v.video.type === "video/mp4" && v.video.bytes > 1000 && String.fromCharCode(...v.video.head.slice(4, 8)) === "ftyp", v?.video);
  check("videos: downloadContent thumbnail and spritesheet are JPEG Blobs", v && isJpeg(v.thumbnail) && isJpeg(v.spritesheet), v && [v.thumbnail, v.spritesheet]);
  check("videos: an unknown variant is refused (validation, variant)",
    v && v.unknownVariant && v.unknownVariant.kind === "validation" && v.unknownVariant.param === "variant" && v.unknownVariant.message.includes("poster"), v?.unknownVariant);
  check("videos: remix names its parent in remixed_from_video_id; edit and extension answer new videos",
    v && isVideo(v.remixed) && v.remixed.remixed_from_video_id === v.done.id && v.remixed.prompt === "The same lighthouse at night"
      && isVideo(v.edited) && v.edited.id !== v.done.id && isVideo(v.extended) && v.extended.id !== v.done.id,
    v && { remixed: v.remixed, edited: v.edited, extended: v.extended });
  check("videos: an extension past 20 s is refused (validation, seconds)",
    v && v.extensionTooLong && v.extensionTooLong.kind === "validation" && v.extensionTooLong.param === "seconds", v?.extensionTooLong);
  check("videos: listVideos answers a page holding the videos made",
    v && Array.isArray(v.page.data) && v.page.data.every(isVideo) && typeof v.page.has_more === "boolean"
      && [v.created.id, v.done.id, v.remixed.id].every((id) => v.page.data.some((x) => x.id === id)) && v.page.first_id === v.page.data[0]?.id,
    v && { ids: v.page.data.map((x) => x.id), first_id: v.page.first_id, has_more: v.page.has_more });
  check("videos: for await over client.videos({ limit: 2 }) walks the pages to an older video",
    v && v.foundByIterator && v.iterated.length >= 3 && new Set(v.iterated).size === v.iterated.length, v && { iterated: v.iterated, found: v.foundByIterator });
  check("videos: deleteVideo answers { id, deleted: true }, then getVideo rejects as not_found",
    v && v.deleted.id === v.created.id && v.deleted.deleted === true && v.afterDelete && v.afterDelete.kind === "not_found" && v.afterDelete.jobId === v.created.id,
    v && { deleted: v.deleted, afterDelete: v.afterDelete });
  check("videos: a jobs API method on a videos client is refused (validation, protocol)",
    v && v.jobsOnVideos && v.jobsOnVideos.kind === "validation" && v.jobsOnVideos.param === "protocol", v?.jobsOnVideos);
  check("videos: a moderated video rejects as video_failed with the server's code and its id",
    v && v.failed && v.failed.kind === "video_failed" && v.failed.code === "moderation_blocked" && !!v.failed.videoId && v.failed.jobId === v.failed.videoId,
    v?.failed);
  const a = v?.azure;
  check("videos: an azure-videos client on the emulator root uses <root>/openai/v1 and completes a video with a thumbnail",
    a && a.protocol === "azure-videos" && a.endpoint === `${endpoint}/openai/v1` && isVideo(a.done) && a.done.status === "completed" && isJpeg(a.thumbnail),
    a && { protocol: a.protocol, endpoint: a.endpoint, done: a.done, thumbnail: a.thumbnail });
  check("videos: an unknown Azure deployment rejects as a 404 with unknownDeployment",
    a && a.unknownDeployment && a.unknownDeployment.kind === "api" && a.unknownDeployment.status === 404 && a.unknownDeployment.unknownDeployment === true, a?.unknownDeployment);

  // Issue 18: the pasted endpoints of the Rust tests' table, through SoraClient.normalizeEndpoint and the constructor.
  const rows = endpointForms("endpoint_forms.tsv");
  const forms = await browser.newPage();
  await forms.goto(new URL("forms.html", page_url).href);
  await forms.waitForFunction(() => window.forms !== undefined);
  const resolved = await forms.evaluate((r) => window.forms.resolve(r), rows.map(({ pasted, configured }) => ({ pasted, configured })));
  const wrong = rows.flatMap((row, i) =>
    ["normalized", "client"].filter((how) => !matches(row.expected, resolved[i][how])).map((how) => ({ line: row.line, how, pasted: row.pasted, expected: row.expected, got: resolved[i][how] })),
  );
  check(`SoraClient.normalizeEndpoint and new SoraClient agree with the endpoint table (${rows.length} rows)`, rows.length >= 40 && wrong.length === 0, wrong);

  // Issue 16: polls answering 200 with `retry-after-ms: u64::MAX`; createAndWait({ maxWaitMs: 3000 }) settles at ~3 s.
  const hostile = await hintServer();
  try {
    const hints = await browser.newPage();
    await hints.goto(new URL("hints.html", page_url).href);
    await hints.waitForFunction(() => window.hints !== undefined);
    const settled = hints.evaluate(([url, max]) => window.hints.createAndWait(url, max), [hostile.url, 3000]);
    const late = new Promise((resolve) => setTimeout(() => resolve({ ms: Infinity, kind: "not settled after 15 s" }), 15_000));
    const hint = await Promise.race([settled, late]);
    const polls = hostile.requests.filter((r) => r.method === "GET" && r.path.endsWith("/jobs/task_hint"));
    check(`a ${HUGE_HINT} ms hint on every poll was served (${polls.length} poll(s))`, polls.length >= 1, hostile.requests);
    check("createAndWait({ maxWaitMs: 3000 }) under that hint settles as a timeout at ~3 s", hint.kind === "timeout" && hint.ms >= 2_900 && hint.ms < 6_000, hint);
  } finally {
    await hostile.close();
  }

  // Issue 19: the package through a real LiteLLM proxy, from a page on another origin.
  await litellmChecks({ browser, pageUrl: page_url, proxy: litellm, reason: litellmError, emulator: endpoint, emulatorKey: apiKey, check });
} finally {
  await browser.close();
  server.close();
}
const failed = checks.filter((c) => !c.ok).length;
console.log(`npm-package: ${checks.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
