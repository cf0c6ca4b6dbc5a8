/** A supported output size, `${width}x${height}`. */
export type VideoSize =
  | "480x480" | "854x480" | "480x854"
  | "720x720" | "1280x720" | "720x1280"
  | "1080x1080" | "1920x1080" | "1080x1920";

/**
 * A job's state: the jobs API's seven, and the Videos API's `in_progress` and `completed`.
 * Unknown future values are passed through as strings.
 */
export type JobStatus =
  | "preprocessing" | "queued" | "running" | "processing"
  | "cancelled" | "succeeded" | "failed" | "in_progress" | "completed" | (string & {});

/** Why a job failed. Unknown future values are passed through as strings. */
export type FailureReason = "input_moderation" | "output_moderation" | "internal_error" | (string & {});

export type Quality = "high" | "low";

/** The `api-version` values the service documents; the client sends no other. */
export type ApiVersion = "preview" | "v1";

/**
 * The API a client speaks:
 * - `azure-jobs` (the default): the Azure OpenAI video generation jobs API (`…/openai/v1/video/generations/jobs`).
 * - `azure-videos`: the Videos API on an Azure resource (Sora 2, `…/openai/v1/videos`).
 * - `openai-videos`: the Videos API on any OpenAI-compatible base (OpenAI, the LiteLLM proxy and
 *   other gateways: `<base>/videos`).
 *
 * A client refuses the other API's methods (kind `validation`, param `protocol`).
 */
export type Protocol = "azure-jobs" | "azure-videos" | "openai-videos";

/** What a client built from an endpoint text uses (see `SoraClient.normalizeEndpoint`). */
export interface NormalizedEndpoint {
  /**
   * The base URL, e.g. `https://my-resource.openai.azure.com/openai/v1` on Azure, or an
   * OpenAI-compatible base as given (`https://gateway.example/v1`).
   */
  endpoint: string;
  /** The `api-version` it sends on the jobs API (the Videos API sends none). */
  apiVersion: ApiVersion;
}

export interface SoraClientOptions {
  /**
   * Where the API is, by `protocol`:
   * - On Azure (`azure-jobs`, `azure-videos`): the resource URL as the Azure portal shows it,
   *   `https://my-resource.openai.azure.com`, with or without `/openai` or `/openai/v1`, or the
   *   target URL (`…/openai/v1/video/generations/jobs?api-version=preview`, `…/openai/v1/videos`) or
   *   any other URL of the API under it. It is normalised to `<origin>[/prefix]/openai/v1`; a pasted
   *   `api-version` is kept.
   * - `openai-videos`: an OpenAI-compatible base, used as given (`https://api.openai.com/v1`,
   *   `https://gateway.example/v1`); trailing slashes and a pasted `/videos…` tail are dropped.
   */
  endpoint: string;
  /** Default `azure-jobs`. */
  protocol?: Protocol;
  /**
   * A key: sent as `api-key` to Azure (`azure-jobs`, `azure-videos`), and as
   * `Authorization: Bearer <key>` to an OpenAI-compatible base (`openai-videos`), as such gateways
   * expect. Give exactly one of apiKey, token, getToken.
   */
  apiKey?: string;
  /** A fixed Microsoft Entra ID access token (or any bearer key: sent as `Authorization: Bearer`). */
  token?: string;
  /** Called for a token when none is cached, before it expires, and once after a 401. */
  getToken?: () => Promise<AccessToken>;
  /**
   * Default `preview`, or the endpoint's own `?api-version=`; a value other than `preview` must
   * agree with the endpoint's.
   */
  apiVersion?: ApiVersion;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Longest wait between retries, whatever the service asks (default 60000). */
  maxRetryDelayMs?: number;
  /** Shared budget for all calls of this client (default 60). */
  requestsPerMinute?: number;
  /**
   * Video creates per minute, counted apart from other calls (default 2 on `azure-videos`, as
   * Azure's Sora 2 deployments allow; no separate limit otherwise).
   */
  createsPerMinute?: number;
  /** Jobs run at once; more wait for a slot (default 2). */
  maxRunningJobs?: number;
  /** Shortest gap between two polls of one job (default 1000). */
  minPollIntervalMs?: number;
  /** Longest gap between two polls of one job (default 20000). */
  maxPollIntervalMs?: number;
}

export interface AccessToken {
  token: string;
  /** Unix milliseconds. */
  expiresOnTimestamp?: number;
}

export interface CreateVideoRequest {
  /** The deployment name of your Sora model. */
  model: string;
  /** 1 to 4,000 characters. */
  prompt: string;
  size: VideoSize;
  /** 1 to 20 (default 5). */
  nSeconds?: number;
  /** Up to 4 at 480p, 2 at 720p, 1 at 1080p (default 1). */
  nVariants?: number;
}

export interface CropBounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface MediaInput {
  /** A PNG or JPEG. */
  file: Blob;
  /** Defaults to the File's name. */
  fileName?: string;
  /** The frame at which the image appears (default 0). */
  frameIndex?: number;
  /** Fractions 0..1 of the image to use (default the whole image). */
  crop?: CropBounds;
}

export interface CreateVideoWithMediaRequest extends CreateVideoRequest {
  media: MediaInput[];
}

export interface CallOptions {
  /** Aborts the request and every wait. */
  signal?: AbortSignal;
}

export interface Progress {
  /** Null while waiting for a free slot. */
  jobId: string | null;
  status: JobStatus | null;
  /** Submissions ahead of this one; 0 once submitted. */
  queuePosition: number;
  elapsedMs: number;
  estimatedRemainingMs: number | null;
  /** How much is done, 0 to 100, when the server says (the Videos API's `progress`); else null. */
  percent: number | null;
}

export interface WaitOptions extends CallOptions {
  /** Give up (the job keeps running) after this long. */
  maxWaitMs?: number;
  onProgress?: (progress: Progress) => void;
  /** Also delete the job on the service when aborted. */
  deleteOnAbort?: boolean;
}

export interface ListJobsQuery {
  /** 1 to 100 (default 10). */
  limit?: number;
  before?: string;
  after?: string;
  statuses?: JobStatus[];
}

export interface VideoGeneration {
  id: string;
  job_id: string;
  created_at: number;
  width: number;
  height: number;
  n_seconds: number;
  prompt: string;
}

export interface VideoGenerationJob {
  id: string;
  status: JobStatus;
  created_at: number;
  finished_at: number | null;
  /** When the service deletes the job and its videos: save them before. */
  expires_at: number | null;
  generations: VideoGeneration[];
  prompt: string;
  model: string;
  n_variants: number;
  n_seconds: number;
  height: number;
  width: number;
  failure_reason: FailureReason | null;
}

export interface VideoGenerationJobList {
  data: VideoGenerationJob[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

// ---- The Videos API (protocol `azure-videos` or `openai-videos`) ----

/** A Videos API model: Sora 2's, or any name a gateway or an Azure deployment is configured with. */
export type VideoModel = "sora-2" | "sora-2-pro" | (string & {});

/** Which asset of a video to download. */
export type ContentVariant = "video" | "thumbnail" | "spritesheet";

export interface CreateVideoParams {
  /** `sora-2`, `sora-2-pro`, a dated snapshot, or the deployment or gateway model name. */
  model: VideoModel;
  /** 1 to 4,000 characters. */
  prompt: string;
  /** Seconds of video: 4, 8 or 12 for Sora 2 (the server's default: 4). */
  seconds?: number;
  /**
   * `WIDTHxHEIGHT`: `720x1280` (the server's default) or `1280x720`; also `1024x1792` and `1792x1024`
   * on sora-2-pro.
   */
  size?: "720x1280" | "1280x720" | "1024x1792" | "1792x1024" | (string & {});
  /**
   * The image the video starts from: a JPEG, PNG or WebP Blob or File (for Sora 2, exactly the
   * video's size; checked before sending where the browser can decode it), or an image URL the
   * server fetches.
   */
  inputReference?: Blob | File | { imageUrl: string };
  /** The reference's file name; defaults to the File's name (required for a Blob that is not a File). */
  fileName?: string;
}

/** Why a video failed, as the server said. */
export interface VideoError {
  /** Empty when the server gave none. */
  code: string;
  message: string;
}

/** A video of the Videos API, with the wire's field names. */
export interface Video {
  id: string;
  object: "video";
  model: string;
  /** `queued`, `in_progress`, `completed` or `failed`. */
  status: JobStatus;
  /** Roughly how much is done, 0 to 100, when the server says. */
  progress: number | null;
  /** Unix seconds. */
  created_at: number;
  completed_at: number | null;
  /** When the server deletes the video's assets: download them before. */
  expires_at: number | null;
  prompt: string;
  seconds: number;
  /** `WIDTHxHEIGHT`. */
  size: string;
  /** The video this one remixes. */
  remixed_from_video_id: string | null;
  error: VideoError | null;
}

export interface VideoList {
  data: Video[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

export interface VideoDeleted {
  id: string;
  deleted: boolean;
}

export interface ListVideosQuery {
  /** 1 to 100 (default 20). */
  limit?: number;
  /** Start after this video id. */
  after?: string;
  /** Default `desc` (newest first). */
  order?: "desc" | "asc";
}

/** `for await (const video of client.videos())`. */
export interface VideoIterator {
  [Symbol.asyncIterator](): VideoIterator;
}

export type SoraErrorKind =
  | "validation" | "api" | "network" | "timeout" | "aborted" | "decode" | "job_failed" | "job_cancelled"
  | "not_found" | "video_failed";

/** Every rejection of this library is an `Error` with these fields. */
export interface SoraError extends Error {
  name: "SoraError";
  kind: SoraErrorKind;
  /** The request field at fault (validation and some API errors). */
  param: string | null;
  /** HTTP status (API errors). */
  status: number | null;
  code: string | null;
  /** The `apim-request-id` to quote to Azure support. */
  requestId: string | null;
  /** A prompt the content filter would accept. */
  revisedPrompt: string | null;
  retryAfterMs: number | null;
  /** Job failures: why. */
  failureReason: FailureReason | null;
  /**
   * Job failures and cancellations, and not-found errors: the job (or video); video failures: the
   * video.
   */
  jobId: string | null;
  /** Video failures (kind `video_failed`, with the server's `code`): the video. */
  videoId: string | null;
  /**
   * The service has no deployment by the `model` name sent (HTTP 404 on create): fix the
   * deployment name; sending the same request again fails the same way.
   */
  unknownDeployment: boolean;
}
