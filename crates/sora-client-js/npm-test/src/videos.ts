// The Videos API (Sora 2's `/videos`) as a web developer uses it, fully typed: an OpenAI-compatible
// client on the emulator's `/v1`, and an Azure one on its root. Returns what happened for run.mjs.
import {
  SoraClient,
  type ContentVariant,
  type CreateVideoParams,
  type Protocol,
  type SoraError,
  type Video,
  type VideoDeleted,
  type VideoList,
} from "@sora-studio/client";

/** What one rejection said, or null when the promise resolved. */
export interface VideoRefusal {
  kind: string;
  param: string | null;
  status: number | null;
  code: string | null;
  message: string;
  jobId: string | null;
  videoId: string | null;
  unknownDeployment: boolean;
}

/** A downloaded asset: its Blob type, size and first bytes. */
export interface Asset {
  type: string;
  bytes: number;
  head: number[];
}

export interface VideosResult {
  protocol: Protocol;
  endpoint: string;
  /** `normalizeEndpoint` of a pasted `<base>/videos/…` URL with protocol openai-videos. */
  pasted: string;
  created: Video;
  /** Made from `{ imageUrl: <data: URL> }` (a JSON body). */
  fromUrl: Video;
  wrongSize: VideoRefusal | null;
  /** The newest video before and after the refused create (unchanged: nothing was sent). */
  newestBefore: string | null;
  newestAfter: string | null;
  done: Video;
  percents: (number | null)[];
  statuses: string[];
  video: Asset;
  thumbnail: Asset;
  spritesheet: Asset;
  unknownVariant: VideoRefusal | null;
  remixed: Video;
  edited: Video;
  extended: Video;
  extensionTooLong: VideoRefusal | null;
  page: VideoList;
  iterated: string[];
  foundByIterator: boolean;
  deleted: VideoDeleted;
  afterDelete: VideoRefusal | null;
  jobsOnVideos: VideoRefusal | null;
  failed: VideoRefusal | null;
  azure: { protocol: Protocol; endpoint: string; done: Video; thumbnail: Asset; unknownDeployment: VideoRefusal | null };
}

const refusal = (e: SoraError): VideoRefusal => ({
  kind: e.kind,
  param: e.param,
  status: e.status,
  code: e.code,
  message: e.message,
  jobId: e.jobId,
  videoId: e.videoId,
  unknownDeployment: e.unknownDeployment,
});

const rejection = (promise: Promise<unknown>): Promise<VideoRefusal | null> =>
  promise.then(() => null, (e: SoraError) => refusal(e));

async function asset(blob: Blob): Promise<Asset> {
  return { type: blob.type, bytes: blob.size, head: [...new Uint8Array(await blob.slice(0, 8).arrayBuffer())] };
}

/** A canvas of `width` x `height` pixels with a picture on it. */
function drawing(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("no 2d canvas");
  context.fillStyle = "#2a6";
  context.fillRect(0, 0, width, height);
  context.fillStyle = "#fc3";
  context.fillRect(width / 4, height / 4, width / 2, height / 2);
  return canvas;
}

/** A PNG File of `width` x `height` pixels drawn on a canvas. */
async function picture(width: number, height: number, name: string): Promise<File> {
  const canvas = drawing(width, height);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  if (!blob) throw new Error("the canvas made no PNG");
  return new File([blob], name, { type: "image/png" });
}

export async function runVideos(endpoint: string, apiKey: string): Promise<VideosResult> {
  const base = `${endpoint}/v1`;
  // OpenAI and gateways take the key as a bearer token.
  const client = new SoraClient({ endpoint: base, token: apiKey, protocol: "openai-videos", minPollIntervalMs: 100, requestsPerMinute: 600 });
  const pasted = SoraClient.normalizeEndpoint(`${base}/videos/video_123/content?variant=thumbnail`, undefined, "openai-videos").endpoint;
  const signal = AbortSignal.timeout(60_000);

  const reference = await picture(720, 1280, "start.png");
  const request: CreateVideoParams = { model: "sora-2", prompt: "A kite over a beach, from a picture", seconds: 4, size: "720x1280", inputReference: reference };
  const created = await client.createVideo(request, { signal });
  const fromUrl = await client.createVideo({ ...request, inputReference: { imageUrl: drawing(720, 1280).toDataURL("image/png") } });

  const newestBefore = (await client.listVideos({ limit: 1 })).first_id;
  const small = await picture(640, 480, "small.png");
  const wrongSize = await rejection(client.createVideo({ ...request, inputReference: small }));
  const newestAfter = (await client.listVideos({ limit: 1 })).first_id;

  const percents: (number | null)[] = [];
  const statuses: string[] = [];
  const done = await client.createVideoAndWait(
    { model: "sora-2", prompt: "A lighthouse at dusk", seconds: 4, size: "1280x720" },
    {
      signal,
      onProgress: (p) => {
        percents.push(p.percent);
        if (p.status && statuses[statuses.length - 1] !== p.status) statuses.push(p.status);
      },
    },
  );
  const video = await asset(await client.downloadContent(done.id, { signal }));
  const thumbnail = await asset(await client.downloadContent(done.id, { variant: "thumbnail" }));
  const spritesheet = await asset(await client.downloadContent(done.id, { variant: "spritesheet" }));
  // A value the types forbid, to check the runtime refusal.
  const unknownVariant = await rejection(client.downloadContent(done.id, { variant: "poster" as unknown as ContentVariant }));

  const remixed = await client.remix(done.id, "The same lighthouse at night");
  const edited = await client.editVideo(done.id, "The lighthouse painted red");
  const extended = await client.extendVideo(done.id, "The light sweeps on", 8);
  const extensionTooLong = await rejection(client.extendVideo(done.id, "Longer", 30));

  const page = await client.listVideos({ limit: 100 });
  // Pages of 2: the video made before the remix, edit and extension is on a later page.
  const iterated: string[] = [];
  let foundByIterator = false;
  for await (const listed of client.videos({ limit: 2 })) {
    iterated.push(listed.id);
    if (listed.id === done.id) {
      foundByIterator = true;
      break;
    }
  }

  const deleted = await client.deleteVideo(created.id);
  const afterDelete = await rejection(client.getVideo(created.id));
  const jobsOnVideos = await rejection(client.createJob({ model: "sora", prompt: "x", size: "480x480" }));
  const failed = await rejection(client.createVideoAndWait({ model: "sora-2", prompt: "A scene of violence", seconds: 4 }, { signal }));

  // Azure's Sora 2 on the emulator's root; its default of 2 creates a minute raised for the test.
  const azure = new SoraClient({ endpoint, apiKey, protocol: "azure-videos", createsPerMinute: 600, minPollIntervalMs: 100, requestsPerMinute: 600 });
  const azureDone = await azure.createVideoAndWait({ model: "sora-2", prompt: "A red fox in fresh snow", seconds: 4, size: "720x1280" }, { signal });
  const azureThumbnail = await asset(await azure.downloadContent(azureDone.id, { variant: "thumbnail" }));
  const unknownDeployment = await rejection(azure.createVideo({ model: "no-such-deployment", prompt: "A calm lake" }));

  return {
    protocol: client.protocol,
    endpoint: client.endpoint,
    pasted,
    created,
    fromUrl,
    wrongSize,
    newestBefore,
    newestAfter,
    done,
    percents,
    statuses,
    video,
    thumbnail,
    spritesheet,
    unknownVariant,
    remixed,
    edited,
    extended,
    extensionTooLong,
    page,
    iterated,
    foundByIterator,
    deleted,
    afterDelete,
    jobsOnVideos,
    failed,
    azure: { protocol: azure.protocol, endpoint: azure.endpoint, done: azureDone, thumbnail: azureThumbnail, unknownDeployment },
  };
}
