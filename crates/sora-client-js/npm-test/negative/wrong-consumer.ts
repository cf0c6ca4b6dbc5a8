// A consumer with deliberate type errors: run.mjs type-checks it and expects exactly these,
// which proves tsc really checks consumers against the package's types, in strict mode.
import { SoraClient, type CreateVideoRequest } from "@sora-studio/client";

export const request: CreateVideoRequest = {
  model: "sora",
  prompt: "not a size the service makes",
  size: "480x481", // EXPECT TS2820 (not a VideoSize; tsc suggests "480x480")
};

// An implicitly-any parameter: an error only under strict.
export const onProgress = (progress) => console.log(progress); // EXPECT TS7006

export const client = new SoraClient({ endpoint: "https://example.invalid", apiKey: "k" });

export const versioned = new SoraClient({ endpoint: "https://example.invalid", apiKey: "k", apiVersion: "2024-01-01" }); // EXPECT TS2322 (not an ApiVersion)

// The Videos API: a variant the service does not make, and a protocol that does not exist.
export const poster = client.downloadContent("video_1", { variant: "poster" }); // EXPECT TS2322 (not a ContentVariant)

export const unknownProtocol = new SoraClient({ endpoint: "https://example.invalid/v1", token: "k", protocol: "openai" }); // EXPECT TS2322 (not a Protocol)
