// The page the client fault matrix (faults.mjs) drives: one client, each library step as a
// function that never throws (it returns the value or the SoraError's fields) so the driver can
// record precise outcomes, and a <video> check for downloaded blobs.
import init, { SoraClient, type Progress, type SoraClientOptions, type SoraError, type VideoGenerationJob } from "@sora-studio/client";

/** A library call's result: its value, or the rejection's fields. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorFields };

export interface ErrorFields {
  name: string;
  kind: string;
  status: number | null;
  code: string | null;
  message: string;
  jobId: string | null;
}

export interface WaitResult {
  job: Outcome<VideoGenerationJob>;
  progress: Progress[];
  ms: number;
}

export interface Download {
  bytes: number;
  announced: number;
  type: string;
  ftyp: boolean;
  video: { width: number; height: number; duration: number } | { error: string };
}

function fields(error: unknown): ErrorFields {
  const e = error as Partial<SoraError>;
  return {
    name: e?.name ?? typeof error,
    kind: e?.kind ?? "",
    status: e?.status ?? null,
    code: e?.code ?? null,
    message: e?.message ?? String(error),
    jobId: e?.jobId ?? null,
  };
}

async function attempt<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error: fields(error) };
  }
}

let client: SoraClient | undefined;
let pendingWait: Promise<WaitResult> | undefined;

function current(): SoraClient {
  if (!client) throw new Error("connect first");
  return client;
}

/** Plays a video Blob muted and reports what the element decoded. */
async function play(blob: Blob): Promise<Download["video"]> {
  const element = document.createElement("video");
  element.muted = true;
  document.body.append(element);
  try {
    await new Promise<void>((resolve, reject) => {
      element.addEventListener("loadeddata", () => resolve(), { once: true });
      element.addEventListener("error", () => reject(new Error(`media error ${element.error?.code}`)), { once: true });
      element.src = URL.createObjectURL(blob);
    });
    return { width: element.videoWidth, height: element.videoHeight, duration: element.duration };
  } catch (error) {
    return { error: String(error) };
  } finally {
    URL.revokeObjectURL(element.src);
    element.remove();
  }
}

const matrix = {
  ready: init({ module_or_path: new URL("sora_client_bg.wasm", location.href).href }).then(() => true),

  connect(options: SoraClientOptions): Outcome<string> {
    try {
      client = new SoraClient(options);
      return { ok: true, value: client.endpoint };
    } catch (error) {
      return { ok: false, error: fields(error) };
    }
  },

  create(prompt: string): Promise<Outcome<VideoGenerationJob>> {
    return attempt(() => current().createJob({ model: "sora", prompt, size: "480x480", nSeconds: 1 }));
  },

  getJob(id: string): Promise<Outcome<VideoGenerationJob>> {
    return attempt(() => current().getJob(id));
  },

  /** Starts waiting for a job; `waited` resolves it (so the driver can act in between). */
  startWait(id: string, maxWaitMs: number): void {
    const progress: Progress[] = [];
    const started = performance.now();
    pendingWait = attempt(() =>
      current().waitForJob(id, { maxWaitMs, onProgress: (p) => progress.push({ ...p }) }),
    ).then((job) => ({ job, progress, ms: performance.now() - started }));
  },

  waited(): Promise<WaitResult> {
    if (!pendingWait) return Promise.reject(new Error("no wait started"));
    return pendingWait;
  },

  /** Downloads a generation's video, checks its size against HEAD and its `ftyp`, and plays it. */
  async download(generationId: string): Promise<Outcome<Download>> {
    const blob = await attempt(() => current().videoContent(generationId));
    if (!blob.ok) return blob;
    const announced = await attempt(() => current().videoSize(generationId));
    const head = new Uint8Array(await blob.value.slice(4, 8).arrayBuffer());
    return {
      ok: true,
      value: {
        bytes: blob.value.size,
        announced: announced.ok ? announced.value : -1,
        type: blob.value.type,
        ftyp: String.fromCharCode(...head) === "ftyp",
        video: await play(blob.value),
      },
    };
  },
};

declare global {
  interface Window {
    matrix: typeof matrix;
  }
}

window.matrix = matrix;
