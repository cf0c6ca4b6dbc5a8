// The flow a web developer writes: create -> wait -> download, fully typed.
import init, { SoraClient, type Progress, type SoraError, type VideoGenerationJob } from "@sora-studio/client";

export interface FlowResult {
  jobId: string;
  statuses: string[];
  progressReports: number;
  bytes: number;
  type: string;
  ftyp: boolean;
  listedViaIterator: boolean;
  validationError: { name: string; kind: string; param: string | null };
  authError: { kind: string; status: number | null; requestId: string | null };
}

export async function runFlow(endpoint: string, apiKey: string, wasmUrl: string): Promise<{ result: FlowResult; video: Blob }> {
  await init({ module_or_path: wasmUrl });
  const client = new SoraClient({ endpoint, apiKey, minPollIntervalMs: 100, requestsPerMinute: 600 });
  const statuses: string[] = [];
  let progressReports = 0;
  const job: VideoGenerationJob = await client.createAndWait(
    { model: "sora", prompt: "A lighthouse in a storm, seen from a boat", size: "480x480", nSeconds: 2 },
    {
      onProgress: (p: Progress) => {
        progressReports += 1;
        if (p.status && statuses[statuses.length - 1] !== p.status) statuses.push(p.status);
      },
      signal: AbortSignal.timeout(60_000),
    },
  );
  const video = await client.videoContent(job.generations[0].id, { quality: "high" });
  const head = new Uint8Array(await video.slice(4, 8).arrayBuffer());
  let listedViaIterator = false;
  for await (const listed of client.jobs({ limit: 1 })) {
    if (listed.id === job.id) {
      listedViaIterator = true;
      break;
    }
  }
  const validation = await client
    .createJob({ model: "sora", prompt: "x", size: "1920x1080", nVariants: 2 })
    .then(() => null, (e: SoraError) => e);
  const wrongKey = new SoraClient({ endpoint, apiKey: "wrong-key" });
  const auth = await wrongKey.getJob(job.id).then(() => null, (e: SoraError) => e);
  return {
    video,
    result: {
      jobId: job.id,
      statuses,
      progressReports,
      bytes: video.size,
      type: video.type,
      ftyp: String.fromCharCode(...head) === "ftyp",
      listedViaIterator,
      validationError: { name: validation?.name ?? "", kind: validation?.kind ?? "", param: validation?.param ?? null },
      authError: { kind: auth?.kind ?? "", status: auth?.status ?? null, requestId: auth?.requestId ?? null },
    },
  };
}
