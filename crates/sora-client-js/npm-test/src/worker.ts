// The same flow inside a dedicated Web Worker: no window, only the global fetch and timers.
import { runFlow } from "./flow";

self.onmessage = async (event: MessageEvent<{ endpoint: string; apiKey: string; wasmUrl: string }>) => {
  try {
    const { result } = await runFlow(event.data.endpoint, event.data.apiKey, event.data.wasmUrl);
    self.postMessage({ result });
  } catch (error) {
    self.postMessage({ error: String(error instanceof Error ? `${error.name}: ${error.message}` : error) });
  }
};
