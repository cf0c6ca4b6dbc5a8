export * from "./sora_client.js";
export { default } from "./sora_client.js";
