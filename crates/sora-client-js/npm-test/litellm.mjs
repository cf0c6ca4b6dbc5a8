// The package in headless Chromium through a real LiteLLM proxy (litellm 1.108.7, started by xtask in
// front of the same emulator): one flow per proxy model (`openai/` and `azure/` routed), the proxy's
// own errors, and what crossed the origin boundary. Every check runs whether or not the proxy started:
// without it each one fails, naming why.
import { Buffer } from "node:buffer";

const PROMPT = "A paper lantern drifting over a night market";
const REMIX_PROMPT = "The same lantern at dawn, the market empty";
// Each provider's flow and the size it asks for (both sizes of Sora 2, one per model).
const FLOWS = [["openai", 1280, 720], ["azure", 720, 1280]];

/** LiteLLM's ids: `video_` + base64 of `litellm:custom_llm_provider:P;model_id:M;video_id:UPSTREAM;…`; null if not. */
export function decodeProxyId(id) {
  if (typeof id !== "string" || !id.startsWith("video_")) return null;
  const encoded = id.slice("video_".length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const bytes = Buffer.from(encoded, "base64");
  // Node's decoder skips what it cannot read: insist that the text encodes back to the id.
  if (bytes.toString("base64").replace(/=+$/, "") !== encoded.replace(/=+$/, "")) return null;
  const text = bytes.toString("utf8");
  const fields = Object.fromEntries(text.split(";").map((part) => [part.slice(0, part.lastIndexOf(":")), part.slice(part.lastIndexOf(":") + 1)]));
  return { text, fields };
}

/** The video id a request to `<proxy>/v1/videos/{id}[/…]` named, decoded from its path; null for other paths. */
function pathId(url) {
  const segments = new URL(url).pathname.split("/");
  return segments[1] === "v1" && segments[2] === "videos" && segments[3] ? decodeURIComponent(segments[3]) : null;
}

const observe = (label, value) => console.log(`      observed: ${label}: ${typeof value === "string" ? value : JSON.stringify(value)}`);

/**
 * Drive litellm.html (served by run.mjs at `pageUrl`) against `proxy` ({ baseUrl, key, models: { openai, azure } })
 * or, when it is null, fail every check with `reason`. `emulator`/`emulatorKey`: the proxy's upstream.
 */
export async function litellmChecks({ browser, pageUrl, proxy, reason, emulator, emulatorKey, check }) {
  const pageOrigin = new URL(pageUrl).origin;
  const proxyOrigin = proxy ? new URL(proxy.baseUrl).origin : null;
  const exchanges = [];
  const flows = {};
  let list = null;
  let direct = null;
  let preflight = null;
  let failure = proxy ? null : reason;
  const upstream = async (id) => {
    const answer = await fetch(`${emulator}/v1/videos/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${emulatorKey}` } });
    return { status: answer.status, body: answer.ok ? await answer.json() : await answer.text() };
  };

  if (proxy) {
    try {
      const page = await browser.newPage();
      const pending = [];
      page.on("response", (response) => {
        if (!response.url().startsWith(`${proxyOrigin}/`)) return;
        const request = response.request();
        const record = async () => ({ method: request.method(), url: response.url(), status: response.status(), sent: await request.allHeaders(), received: await response.allHeaders() });
        pending.push(record().then((e) => exchanges.push(e), (e) => exchanges.push({ url: response.url(), error: String(e) })));
      });
      page.on("requestfailed", (request) => {
        if (request.url().startsWith(`${proxyOrigin}/`)) exchanges.push({ method: request.method(), url: request.url(), failed: request.failure()?.errorText });
      });
      page.on("console", (m) => m.type() === "error" && console.log("console (litellm page):", m.text()));
      await page.goto(new URL("litellm.html", pageUrl).href);
      await page.waitForFunction(() => window.litellm !== undefined || window.litellmError !== undefined, null, { timeout: 60_000 });
      const loadError = await page.evaluate(() => window.litellmError ?? null);
      if (loadError) throw new Error(`the page could not load the package: ${loadError}`);
      for (const [provider, width, height] of FLOWS) {
        const model = proxy.models[provider];
        const result = await page.evaluate(
          ([base, key, m, size, p, r]) => window.litellm.flow(base, key, m, size, p, r),
          [proxy.baseUrl, proxy.key, model, `${width}x${height}`, PROMPT, REMIX_PROMPT],
        );
        if (result.error) console.log(`litellm ${provider}/: the flow stopped at ${result.error}`);
        const parent = decodeProxyId(result.created?.id);
        const child = decodeProxyId(result.remixed?.id);
        flows[provider] = {
          ...result,
          parent,
          child,
          parentUpstream: parent?.fields.video_id ? await upstream(parent.fields.video_id) : null,
          childUpstream: child?.fields.video_id ? await upstream(child.fields.video_id) : null,
        };
        observe(`${provider} proxy id`, `${result.created?.id} decodes to ${parent?.text}`);
      }
      list = await page.evaluate(([base, key]) => window.litellm.list(base, key), [proxy.baseUrl, proxy.key]);
      await Promise.all(pending);
      await page.close();
      // The same list request, straight to the proxy: what its own answer says.
      const answer = await fetch(`${proxy.baseUrl}/videos?limit=20&order=desc`, { headers: { authorization: `Bearer ${proxy.key}` } });
      direct = { status: answer.status, body: await answer.text() };
      // Chromium's preflight is not shown to Playwright: ask the same question from the page's origin.
      const options = await fetch(`${proxy.baseUrl}/videos`, {
        method: "OPTIONS",
        headers: { origin: pageOrigin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
      });
      preflight = { status: options.status, headers: Object.fromEntries(options.headers) };
    } catch (e) {
      failure = String(e?.stack ?? e);
      console.log(`litellm: the run stopped: ${failure}`);
    }
  }

  check("litellm: a real LiteLLM proxy runs in front of the emulator, on another origin than the page that loaded the package",
    !failure && proxyOrigin !== pageOrigin, { failure, pageOrigin, proxyOrigin });

  for (const [provider, width, height] of FLOWS) {
    const f = flows[provider];
    const model = proxy?.models[provider] ?? "no proxy";
    const p = f?.parent?.fields;
    const requests = (id) => exchanges.filter((e) => e.url && pathId(e.url) === id);
    check(`litellm ${provider}/ (${model}): createVideo answers the proxy's own id, unmodified: video_ + base64 naming provider ${provider} and an upstream video_ id the emulator holds with this prompt and size`,
      f && f.created && p && p["litellm:custom_llm_provider"] === provider && p.model_id === "sora-2" && /^video_[0-9a-f]+$/.test(p.video_id ?? "")
        && f.created.size === `${width}x${height}` && f.parentUpstream?.status === 200 && f.parentUpstream.body.prompt === PROMPT
        && f.parentUpstream.body.size === `${width}x${height}`,
      f ? { created: f.created, decoded: f.parent?.text, upstream: f.parentUpstream, error: f.error } : failure);
    const polls = f?.created ? requests(f.created.id).filter((e) => e.method === "GET" && !e.url.includes("/content")) : [];
    check(`litellm ${provider}/: waitForVideo polls that id (its path decodes to it in each of ${polls.length} poll(s)) to completed; progress names it`,
      f && f.done && f.done.id === f.created.id && f.done.status === "completed" && f.statuses.at(-1) === "completed"
        && polls.length >= 1 && polls.every((e) => e.status === 200) && f.progressIds.length > 0 && f.progressIds.every((id) => id === f.created.id),
      f ? { done: f.done, statuses: f.statuses, progressIds: f.progressIds, polls: polls.map((e) => `${e.status} ${e.url}`), error: f.error } : failure);
    const plays = (v) => v && v.type === "video/mp4" && v.ftyp && v.readyState >= 2 && v.videoWidth === width && v.videoHeight === height && Math.abs(v.duration - 4) < 0.1 && v.advanced;
    check(`litellm ${provider}/: downloadContent(id) is a video/mp4 Blob that plays in a <video> (${width}x${height}, 4 s, time moving)`,
      f && plays(f.played), f ? { played: f.played, error: f.error } : failure);
    const asked = f?.done ? requests(f.done.id).filter((e) => new URL(e.url).search === "?variant=thumbnail") : [];
    const t = f?.thumbnail;
    check(`litellm ${provider}/: downloadContent(id, { variant: "thumbnail" }) rejects as not_found "no thumbnail of video <id> on this host" (the proxy sent the MP4 for it)`,
      t && t.name === "SoraError" && t.kind === "not_found" && t.jobId === f.done.id && t.message.startsWith(`no thumbnail of video ${f.done.id} on this host`)
        && asked.length === 1 && asked[0].status === 200 && asked[0].received["content-type"] === "video/mp4",
      t ? { thumbnail: t, proxyAnswered: asked.map((e) => `${e.status} ${e.received?.["content-type"]}`) } : f?.error ?? failure);
    const c = f?.child?.fields;
    const remixCalls = f?.done ? requests(f.done.id).filter((e) => e.method === "POST" && e.url.endsWith("/remix")) : [];
    check(`litellm ${provider}/: remix(id) answers a new proxy id naming a new upstream video remixed from the parent's; waitForVideo completes it under that id and it plays`,
      f && f.remixed && c && f.remixed.id !== f.created.id && c["litellm:custom_llm_provider"] === provider && /^video_[0-9a-f]+$/.test(c.video_id ?? "")
        && c.video_id !== p.video_id && f.childUpstream?.status === 200 && f.childUpstream.body.remixed_from_video_id === p.video_id
        && f.childUpstream.body.prompt === REMIX_PROMPT && remixCalls.length === 1 && remixCalls[0].status === 200
        && f.remixDone?.id === f.remixed.id && f.remixDone.status === "completed" && plays(f.remixPlayed),
      f ? { remixed: f.remixed, decoded: f.child?.text, upstream: f.childUpstream, remixDone: f.remixDone, played: f.remixPlayed, error: f.error } : failure);
  }

  let proxyError = null;
  try {
    proxyError = direct && JSON.parse(direct.body).error;
  } catch {
    proxyError = null;
  }
  if (list) observe("listVideos through the proxy", { rejected: list, proxyAnswered: direct });
  check("litellm: listVideos() rejects as the proxy's own error, unmodified: SoraError api, HTTP 400, its message and code (litellm 1.108.7 cannot list)",
    list && proxyError && list.name === "SoraError" && list.kind === "api" && direct.status === 400 && list.status === direct.status
      && list.message.startsWith(proxyError.message) && proxyError.message.includes("LLM Provider NOT provided") && list.code === String(proxyError.code),
    { list, direct });

  const known = new Set(FLOWS.flatMap(([provider]) => [flows[provider]?.created?.id, flows[provider]?.remixed?.id]).filter(Boolean));
  const wrong = exchanges.filter((e) => {
    const id = pathId(e.url);
    return !e.sent || e.sent.origin !== pageOrigin || e.sent.authorization !== `Bearer ${proxy?.key}` || "api-key" in e.sent
      || e.received["access-control-allow-origin"] !== "*" || (id !== null && !known.has(id));
  });
  const special = [...known].map((id) => [...new Set(id.slice(6).replace(/[A-Za-z0-9]/g, ""))].join("")).join("");
  if (exchanges.length) observe("the proxy's CORS answer headers", Object.fromEntries(Object.entries(exchanges[0].received ?? {}).filter(([k]) => k.startsWith("access-control"))));
  if (known.size) observe("characters other than letters and digits in the proxy ids", special || "(none)");
  const padded = exchanges.find((e) => pathId(e.url)?.includes("="));
  if (padded) observe("a request path with a padded id, as sent", new URL(padded.url).pathname);
  // The azure/ ids' text has a length that base64 pads: an id with `=` went through the URLs unmodified.
  check(`litellm: each of the page's ${exchanges.length} requests to the proxy was cross-origin, sent Authorization: Bearer <master key> (no api-key), named only the proxy's ids (padded ones with their =), and was answered with access-control-allow-origin: *`,
    exchanges.length >= 10 && known.size === 4 && wrong.length === 0 && special.includes("=") && padded !== undefined,
    { wrong: wrong.map((e) => ({ url: e.url, failed: e.failed, error: e.error, origin: e.sent?.origin, auth: e.sent?.authorization?.slice(0, 12), acao: e.received?.["access-control-allow-origin"] })), count: exchanges.length, ids: [...known] });

  if (preflight) observe("the proxy's preflight answer", preflight);
  const h = preflight?.headers ?? {};
  check("litellm: the proxy's CORS preflight from the page's origin allows POST with authorization and content-type (200, any origin, no credentials)",
    preflight && preflight.status === 200 && h["access-control-allow-origin"] === "*" && !("access-control-allow-credentials" in h)
      && /\bPOST\b/.test(h["access-control-allow-methods"] ?? "") && /authorization/i.test(h["access-control-allow-headers"] ?? "") && /content-type/i.test(h["access-control-allow-headers"] ?? ""),
    preflight);
}
