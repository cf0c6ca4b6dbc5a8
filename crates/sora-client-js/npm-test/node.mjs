// The package in Node, no browser: init with the wasm bytes, then create → wait → download a Blob,
// and one refusal. Returns what happened for run.mjs to check.
import init, { SoraClient } from "@sora-studio/client";
import { readFile } from "node:fs/promises";
import { deflateSync } from "node:zlib";

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
    return { name: e?.name, kind: e?.kind, status: e?.status, param: e?.param, unknownDeployment: e?.unknownDeployment, message: e?.message };
  }
}

/** A grey PNG of `width` x `height` pixels (Node has no canvas). */
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "latin1");
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + width * 3, 0x80);
  row[0] = 0;
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", pixels), chunk("IEND", Buffer.alloc(0))]);
}

/** The Videos API in Node: no createImageBitmap, so a reference's size is the server's to check. */
async function videosInNode(endpoint, apiKey) {
  const client = new SoraClient({ endpoint: `${endpoint}/v1`, token: apiKey, protocol: "openai-videos", minPollIntervalMs: 100, requestsPerMinute: 600 });
  const request = { model: "sora-2", prompt: "A paper boat, from a picture, in Node", seconds: 4, size: "720x1280" };
  const image = new Blob([png(720, 1280)], { type: "image/png" });
  const video = await client.createVideoAndWait({ ...request, inputReference: image, fileName: "boat.png" }, { signal: AbortSignal.timeout(60_000) });
  const thumbnail = await client.downloadContent(video.id, { variant: "thumbnail" });
  const head = new Uint8Array(await thumbnail.slice(0, 2).arrayBuffer());
  return {
    status: video.status,
    thumbnail: { isBlob: thumbnail instanceof Blob, type: thumbnail.type, jpeg: head[0] === 0xff && head[1] === 0xd8 },
    nameless: await rejection(client.createVideo({ ...request, inputReference: image })),
    wrongSize: await rejection(client.createVideo({ ...request, inputReference: new Blob([png(64, 48)], { type: "image/png" }), fileName: "small.png" })),
  };
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
    videos: await videosInNode(endpoint, apiKey),
  };
}
