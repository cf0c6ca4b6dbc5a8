// Entry point: the generated bindings, plus the async-iterator protocol for `client.jobs()` and `client.videos()`.
export * from "./sora_client.js";
export { default } from "./sora_client.js";
import { JobIterator, VideoIterator } from "./sora_client.js";

for (const iterator of [JobIterator, VideoIterator]) {
  iterator.prototype[Symbol.asyncIterator] = function () {
    return this;
  };
}
