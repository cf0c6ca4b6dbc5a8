// The page run.mjs hands the pasted endpoints of the Rust tests' table (tests/common/endpoint_forms.tsv):
// each goes through `SoraClient.normalizeEndpoint` and through the constructor, as a web developer calls them.
import init, { SoraClient, type ApiVersion, type NormalizedEndpoint, type SoraError } from "@sora-studio/client";

/** A row's outcome: what is used, or the refusal. */
export type FormOutcome = NormalizedEndpoint | { kind: string; param: string | null; message: string };

function refusal(error: unknown): FormOutcome {
  const e = error as Partial<SoraError>;
  return { kind: e.kind ?? `not a SoraError: ${String(error)}`, param: e.param ?? null, message: e.message ?? "" };
}

async function resolve(rows: { pasted: string; configured: string | null }[]): Promise<{ normalized: FormOutcome; client: FormOutcome }[]> {
  await init({ module_or_path: new URL("sora_client_bg.wasm", location.href).href });
  return rows.map(({ pasted, configured }) => {
    // The table also holds versions the types forbid, to check the runtime refusal.
    const apiVersion = configured === null ? undefined : (configured as ApiVersion);
    let normalized: FormOutcome;
    let client: FormOutcome;
    try {
      // Without a version as often as with one: the parameter is optional.
      normalized = apiVersion === undefined ? SoraClient.normalizeEndpoint(pasted) : SoraClient.normalizeEndpoint(pasted, apiVersion);
    } catch (error) {
      normalized = refusal(error);
    }
    try {
      const built = new SoraClient({ endpoint: pasted, apiKey: "k", apiVersion });
      client = { endpoint: built.endpoint, apiVersion: built.apiVersion };
    } catch (error) {
      client = refusal(error);
    }
    return { normalized, client };
  });
}

declare global {
  interface Window {
    forms: { resolve: typeof resolve };
  }
}

window.forms = { resolve };
