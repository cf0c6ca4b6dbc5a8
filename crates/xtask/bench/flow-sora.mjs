// The same job with @sora-studio/client (its bundle is this glue plus the .wasm).
import init, { SoraClient } from "@sora-studio/client";

export async function run(endpoint, apiKey) {
  await init();
  const client = new SoraClient({ endpoint, apiKey });
  const job = await client.createAndWait({ model: "sora", prompt: "A red fox in snow", size: "854x480", nSeconds: 5 });
  return client.videoContent(job.generations[0].id);
}
