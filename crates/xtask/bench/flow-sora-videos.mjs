// The same Videos API flow with @sora-studio/client (its bundle is this glue plus the .wasm).
import init, { SoraClient } from "@sora-studio/client";

export async function run(endpoint, apiKey) {
  await init();
  const client = new SoraClient({ endpoint, apiKey, protocol: "openai-videos" });
  const video = await client.createVideoAndWait({ model: "sora-2", prompt: "A red fox in snow", seconds: 4, size: "1280x720" });
  return client.downloadContent(video.id, { variant: "video" });
}
