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

/** What a client built from an endpoint text uses (see `SoraClient.normalizeEndpoint`). */
export interface NormalizedEndpoint {
  /** The base URL, e.g. `https://my-resource.openai.azure.com/openai/v1`. */
  endpoint: string;
  /** The `api-version` it sends. */
  apiVersion: ApiVersion;
}

export interface SoraClientOptions {
  /**
   * The resource URL as the Azure portal shows it: `https://my-resource.openai.azure.com`, with or
   * without `/openai` or `/openai/v1`, or the target URL
   * (`…/openai/v1/video/generations/jobs?api-version=preview`) or any other URL of the API under it.
   * It is normalised to `<origin>[/prefix]/openai/v1`; a pasted `api-version` is kept.
   */
  endpoint: string;
  /** A resource key (sent as `api-key`). Give exactly one of apiKey, token, getToken. */
  apiKey?: string;
  /** A fixed Microsoft Entra ID access token. */
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

export type SoraErrorKind =
  | "validation" | "api" | "network" | "timeout" | "aborted" | "decode" | "job_failed" | "job_cancelled"
  | "not_found";

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
  /** Job failures and cancellations, and not-found errors: the job. */
  jobId: string | null;
  /**
   * The service has no deployment by the `model` name sent (HTTP 404 on create): fix the
   * deployment name; sending the same request again fails the same way.
   */
  unknownDeployment: boolean;
}
