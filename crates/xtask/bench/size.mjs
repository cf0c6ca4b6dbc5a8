// P1: bundle both flows (the jobs API's and the Videos API's) with esbuild --minify and print gzip -9
// bytes as `sample` lines (ours: JS bundle + wasm). Sizes are deterministic, so one build is one sample.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const bundle = async (entry) => {
  const out = await build({ entryPoints: [entry], bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "error" });
  return gz(out.outputFiles[0].contents);
};
const openai = await bundle("flow-openai.mjs");
const soraJs = await bundle("flow-sora.mjs");
const soraWasm = gz(readFileSync("node_modules/@sora-studio/client/sora_client_bg.wasm"));
console.log(`# P1 openai bundle ${openai}; ours: wasm ${soraWasm} + JS bundle ${soraJs}`);
console.log(`sample p1.openai_bytes ${openai}`);
console.log(`sample p1.sora_wasm_bytes ${soraWasm}`);
console.log(`sample p1.sora_js_bytes ${soraJs}`);
console.log(`sample p1.sora_bytes ${soraJs + soraWasm}`);
const openaiVideos = await bundle("flow-openai-videos.mjs");
const soraVideosJs = await bundle("flow-sora-videos.mjs");
console.log(`# P1 Videos API: openai bundle ${openaiVideos}; ours: wasm ${soraWasm} + JS bundle ${soraVideosJs}`);
console.log(`sample p1.videos.openai_bytes ${openaiVideos}`);
console.log(`sample p1.videos.sora_js_bytes ${soraVideosJs}`);
console.log(`sample p1.videos.sora_bytes ${soraVideosJs + soraWasm}`);
