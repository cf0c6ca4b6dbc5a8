// Entry point: the generated bindings, plus the async-iterator protocol for `client.jobs()`.
export * from "./sora_client.js";
export { default } from "./sora_client.js";
import { JobIterator } from "./sora_client.js";

JobIterator.prototype[Symbol.asyncIterator] = function () {
  return this;
};
