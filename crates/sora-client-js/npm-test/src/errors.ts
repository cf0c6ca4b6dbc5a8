// The errors people meet first, as a web developer sees them: each a typed SoraError.
import { SoraClient, type FailureReason, type SoraError, type SoraErrorKind } from "@sora-studio/client";

/** What one rejection said (the fields a developer branches on). */
export interface Refusal {
  name: string;
  kind: SoraErrorKind | "";
  status: number | null;
  code: string | null;
  param: string | null;
  message: string;
  revisedPrompt: string | null;
  unknownDeployment: boolean;
  failureReason: FailureReason | null;
  jobId: string | null;
}

export interface ErrorsResult {
  unknownDeployment: Refusal | null;
  contentPolicy: Refusal | null;
  /** Keyed by the failure reason each prompt triggers. */
  failed: Record<string, Refusal | null>;
  cancelled: Refusal | null;
  /** The status a successful create answers with. */
  createdStatus: string;
}

const refusal = (e: SoraError): Refusal => ({
  name: e.name,
  kind: e.kind,
  status: e.status,
  code: e.code,
  param: e.param,
  message: e.message,
  revisedPrompt: e.revisedPrompt,
  unknownDeployment: e.unknownDeployment,
  failureReason: e.failureReason,
  jobId: e.jobId,
});

/** Resolves to the rejection, or null when the promise resolved. */
const rejection = (promise: Promise<unknown>): Promise<Refusal | null> => promise.then(() => null, (e: SoraError) => refusal(e));

export async function runErrors(endpoint: string, apiKey: string): Promise<ErrorsResult> {
  const client = new SoraClient({ endpoint, apiKey, minPollIntervalMs: 100, requestsPerMinute: 600 });
  const ask = (prompt: string, model = "sora") => ({ model, prompt, size: "480x480" as const, nSeconds: 1 });
  const unknownDeployment = await rejection(client.createJob(ask("A calm lake", "no-such-deployment")));
  const contentPolicy = await rejection(client.createJob(ask("A scene of violence in the street, <b>not bold</b>")));
  const failed: Record<string, Refusal | null> = {};
  for (const [reason, trigger] of [["input_moderation", "blocked-by-moderation"], ["output_moderation", "__output_moderation__"], ["internal_error", "__internal_error__"]]) {
    failed[reason] = await rejection(client.createAndWait(ask(`A harbour ${trigger}`), { signal: AbortSignal.timeout(60_000) }));
  }
  const cancelled = await rejection(client.createAndWait(ask("A harbour __cancelled__"), { signal: AbortSignal.timeout(60_000) }));
  const created = await client.createJob(ask("A calm lake"));
  return { unknownDeployment, contentPolicy, failed, cancelled, createdStatus: created.status };
}
