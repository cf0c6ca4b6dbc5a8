// The package in Node, no browser: init with the wasm bytes, then create → wait → download a Blob,
// and one refusal. Returns what happened for run.mjs to check.
import init, { SoraClient } from "@sora-studio/client";
import { readFile } from "node:fs/promises";

/** Node's fetch cannot read `file:` URLs, so the module's bytes are handed to `init`. */
async function load() {
  const wasm = await readFile(new URL(import.meta.resolve("@sora-studio/client/sora_client_bg.wasm")));
  await init({ module_or_path: wasm });
}

/** The fields of a rejection that the checks look at, or null when the promise resolved. */
async function rejection(promise) {
  try {
    await promise;
    return null;
  } catch (e) {
    return { name: e?.name, kind: e?.kind, status: e?.status, unknownDeployment: e?.unknownDeployment, message: e?.message };
  }
}

export async function runInNode(endpoint, apiKey) {
  await load();
  const client = new SoraClient({ endpoint, apiKey, minPollIntervalMs: 100, requestsPerMinute: 600 });
  const statuses = [];
  const job = await client.createAndWait(
    { model: "sora", prompt: "A paper boat on a pond, in Node", size: "480x480", nSeconds: 1 },
    { onProgress: (p) => p.status && statuses.push(p.status), signal: AbortSignal.timeout(60_000) },
  );
  const id = job.generations[0]?.id;
  const blob = await client.videoContent(id);
  const head = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
  return {
    status: job.status,
    statuses,
    isBlob: blob instanceof Blob,
    type: blob.type,
    bytes: blob.size,
    reportedBytes: await client.videoSize(id),
    ftyp: new TextDecoder().decode(head.subarray(4, 8)) === "ftyp",
    unknownDeployment: await rejection(
      client.createJob({ model: "no-such-deployment", prompt: "A calm lake", size: "480x480", nSeconds: 1 }),
    ),
  };
}
