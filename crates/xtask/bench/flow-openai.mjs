// The create -> poll -> download job written with the official `openai` SDK (for its bundle size).
import OpenAI from "openai";

export async function run(endpoint, apiKey) {
  const client = new OpenAI({
    baseURL: `${endpoint}/openai/v1`,
    apiKey,
    defaultHeaders: { "api-key": apiKey },
    defaultQuery: { "api-version": "preview" },
    dangerouslyAllowBrowser: true,
  });
  let job = await client.post("/video/generations/jobs", {
    body: { model: "sora", prompt: "A red fox in snow", width: 854, height: 480, n_seconds: 5 },
  });
  while (!["succeeded", "failed", "cancelled"].includes(job.status)) {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    job = await client.get(`/video/generations/jobs/${job.id}`);
  }
  const response = await client.get(`/video/generations/${job.generations[0].id}/content/video`, { __binaryResponse: true });
  return response.blob();
}
