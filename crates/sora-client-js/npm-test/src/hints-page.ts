// The page run.mjs drives against a server whose polls answer `retry-after-ms: u64::MAX`:
// `createAndWait` with a max wait must settle (a timeout) at that max wait.
import init, { SoraClient, type SoraError } from "@sora-studio/client";

export interface HintOutcome {
  ms: number;
  kind: string | null;
  message: string;
}

async function createAndWait(endpoint: string, maxWaitMs: number): Promise<HintOutcome> {
  await init({ module_or_path: new URL("sora_client_bg.wasm", location.href).href });
  const client = new SoraClient({ endpoint, apiKey: "hostile-key" });
  const started = performance.now();
  try {
    const job = await client.createAndWait({ model: "sora", prompt: "a tide that never turns", size: "480x480", nSeconds: 1 }, { maxWaitMs });
    return { ms: performance.now() - started, kind: null, message: `settled as ${job.status}` };
  } catch (error) {
    const e = error as Partial<SoraError>;
    return { ms: performance.now() - started, kind: e.kind ?? null, message: e.message ?? String(error) };
  }
}

declare global {
  interface Window {
    hints: { createAndWait: typeof createAndWait };
  }
}

window.hints = { createAndWait };
