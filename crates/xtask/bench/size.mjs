// P1: bundle both flows with esbuild --minify and report gzip -9 bytes (ours: JS bundle + wasm).
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
console.log(JSON.stringify({ openai_gzip: openai, sora_js_gzip: soraJs, sora_wasm_gzip: soraWasm, sora_total_gzip: soraJs + soraWasm }));
