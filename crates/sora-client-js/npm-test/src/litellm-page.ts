// The package in the page against a real LiteLLM proxy on another origin (so CORS is the browser's
// own): create → wait → download → play → remix → wait, for one proxy model; and the proxy's own
// errors. litellm.mjs drives it and checks what it returns against the proxy and the emulator.
import init, { SoraClient, type Progress, type SoraError, type Video } from "@sora-studio/client";

/** What one rejection said, or what resolved instead. */
export interface Refusal {
  name: string;
  kind: string;
  status: number | null;
  code: string | null;
  param: string | null;
  message: string;
  jobId: string | null;
}

/** A downloaded MP4 played in a <video>. */
export interface Played {
  type: string;
  bytes: number;
  ftyp: boolean;
  readyState: number;
  videoWidth: number;
  videoHeight: number;
  duration: number;
  /** currentTime moved past 0 after play(). */
  advanced: boolean;
}

export interface FlowOutcome {
  created: Video | null;
  statuses: string[];
  /** The ids the progress reports named. */
  progressIds: (string | null)[];
  done: Video | null;
  played: Played | null;
  thumbnail: Refusal | null;
  remixed: Video | null;
  remixDone: Video | null;
  remixPlayed: Played | null;
  /** The first step that threw, and what it threw. */
  error: string | null;
}

const describe = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

const refusal = (e: SoraError): Refusal => ({
  name: e.name,
  kind: e.kind,
  status: e.status,
  code: e.code,
  param: e.param,
  message: e.message,
  jobId: e.jobId,
});

/** The rejection, or a Refusal of kind "resolved" saying what came instead. */
async function rejection(promise: Promise<unknown>): Promise<Refusal> {
  try {
    const value = await promise;
    const what = value instanceof Blob ? `a ${value.type} Blob of ${value.size} bytes` : JSON.stringify(value).slice(0, 300);
    return { name: "", kind: "resolved", status: null, code: null, param: null, message: what, jobId: null };
  } catch (e) {
    return refusal(e as SoraError);
  }
}

const event = (element: HTMLVideoElement, name: string): Promise<void> =>
  new Promise((resolve, reject) => {
    element.addEventListener(name, () => resolve(), { once: true });
    element.addEventListener("error", () => reject(new Error(`the <video> failed before ${name}: ${element.error?.message ?? "?"}`)), { once: true });
  });

/** Play `blob` in a <video> until its time moves, within `ms`. */
async function play(blob: Blob, ms = 20_000): Promise<Played> {
  const head = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
  const element = document.createElement("video");
  element.muted = true;
  document.body.append(element);
  const url = URL.createObjectURL(blob);
  let timer = 0;
  const late = new Promise<never>((_, reject) => {
    timer = window.setTimeout(() => reject(new Error(`the <video> was not ready to play within ${ms} ms`)), ms);
  });
  try {
    const ready = Promise.all([event(element, "loadedmetadata"), event(element, "canplay")]);
    element.src = url;
    await Promise.race([ready, late]);
    const moved = new Promise<boolean>((resolve) => {
      element.addEventListener("timeupdate", () => element.currentTime > 0 && resolve(true));
    });
    await element.play();
    const advanced = await Promise.race([moved, late.catch(() => false)]);
    return {
      type: blob.type,
      bytes: blob.size,
      ftyp: String.fromCharCode(...head.slice(4, 8)) === "ftyp",
      readyState: element.readyState,
      videoWidth: element.videoWidth,
      videoHeight: element.videoHeight,
      duration: element.duration,
      advanced,
    };
  } finally {
    window.clearTimeout(timer);
    element.pause();
    element.remove();
    URL.revokeObjectURL(url);
  }
}

/** A client of the proxy as a user configures one: its `/v1` base, the key as given. */
function client(endpoint: string, key: string): SoraClient {
  return new SoraClient({ endpoint, apiKey: key, protocol: "openai-videos", minPollIntervalMs: 100, requestsPerMinute: 600 });
}

async function flow(endpoint: string, key: string, model: string, size: string, prompt: string, remixPrompt: string): Promise<FlowOutcome> {
  const out: FlowOutcome = {
    created: null, statuses: [], progressIds: [], done: null, played: null, thumbnail: null, remixed: null, remixDone: null, remixPlayed: null, error: null,
  };
  const proxy = client(endpoint, key);
  const signal = AbortSignal.timeout(150_000);
  const onProgress = (p: Progress) => {
    if (p.status && out.statuses[out.statuses.length - 1] !== p.status) out.statuses.push(p.status);
    if (!out.progressIds.includes(p.jobId)) out.progressIds.push(p.jobId);
  };
  let step = "createVideo";
  try {
    out.created = await proxy.createVideo({ model, prompt, seconds: 4, size }, { signal });
    step = "waitForVideo";
    out.done = await proxy.waitForVideo(out.created.id, { signal, onProgress });
    step = "downloadContent";
    const mp4 = await proxy.downloadContent(out.done.id, { signal });
    step = "play";
    out.played = await play(mp4);
    step = "downloadContent thumbnail";
    out.thumbnail = await rejection(proxy.downloadContent(out.done.id, { variant: "thumbnail", signal }));
    step = "remix";
    out.remixed = await proxy.remix(out.done.id, remixPrompt, { signal });
    step = "waitForVideo (remix)";
    out.remixDone = await proxy.waitForVideo(out.remixed.id, { signal });
    step = "play (remix)";
    out.remixPlayed = await play(await proxy.downloadContent(out.remixDone.id, { signal }));
  } catch (e) {
    out.error = `${step}: ${describe(e)}`;
  }
  return out;
}

async function list(endpoint: string, key: string): Promise<Refusal> {
  return rejection(client(endpoint, key).listVideos());
}

declare global {
  interface Window {
    litellm?: { flow: typeof flow; list: typeof list };
    litellmError?: string;
  }
}

init({ module_or_path: new URL("sora_client_bg.wasm", location.href).href }).then(
  () => (window.litellm = { flow, list }),
  (e: unknown) => (window.litellmError = describe(e)),
);
