// The Videos API flow (create -> poll -> download) written with the official `openai` SDK's
// `videos` resource, for its bundle size.
import OpenAI from "openai";

export async function run(baseURL, apiKey) {
  const client = new OpenAI({ baseURL, apiKey, dangerouslyAllowBrowser: true });
  let video = await client.videos.create({ model: "sora-2", prompt: "A red fox in snow", seconds: "4", size: "1280x720" });
  while (video.status !== "completed" && video.status !== "failed") {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    video = await client.videos.retrieve(video.id);
  }
  const response = await client.videos.downloadContent(video.id, { variant: "video" });
  return response.blob();
}
