// The page: runs the flow, plays the video in a <video>, then runs the same flow in a Web Worker,
// then the errors and the Videos API.
import { runErrors, type ErrorsResult } from "./errors";
import { runFlow, type FlowResult } from "./flow";
import { runVideos, type VideosResult } from "./videos";

interface PageOutcome {
  window?: FlowResult & { readyState: number; videoWidth: number; videoHeight: number; duration: number };
  worker?: FlowResult;
  errors?: ErrorsResult;
  videos?: VideosResult;
  error?: string;
}

declare global {
  interface Window {
    outcome?: PageOutcome;
  }
}

async function play(video: Blob): Promise<HTMLVideoElement> {
  const element = document.createElement("video");
  element.muted = true;
  document.body.append(element);
  const ready = new Promise<void>((resolve, reject) => {
    element.addEventListener("canplay", () => resolve(), { once: true });
    element.addEventListener("error", () => reject(new Error("the video did not play")), { once: true });
  });
  element.src = URL.createObjectURL(video);
  await ready;
  await element.play();
  return element;
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const endpoint = params.get("endpoint") ?? "";
  const apiKey = params.get("key") ?? "";
  const wasmUrl = new URL("sora_client_bg.wasm", location.href).href;
  const outcome: PageOutcome = {};
  try {
    const { result, video } = await runFlow(endpoint, apiKey, wasmUrl);
    const element = await play(video);
    outcome.window = {
      ...result,
      readyState: element.readyState,
      videoWidth: element.videoWidth,
      videoHeight: element.videoHeight,
      duration: element.duration,
    };
    const worker = new Worker("worker.js", { type: "module" });
    outcome.worker = await new Promise<FlowResult>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<{ result?: FlowResult; error?: string }>) =>
        event.data.result ? resolve(event.data.result) : reject(new Error(event.data.error));
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage({ endpoint, apiKey, wasmUrl });
    });
    outcome.errors = await runErrors(endpoint, apiKey);
    outcome.videos = await runVideos(endpoint, apiKey);
  } catch (error) {
    outcome.error = String(error instanceof Error ? `${error.name}: ${error.message}` : error);
  }
  window.outcome = outcome;
}

void main();
