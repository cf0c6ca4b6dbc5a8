// Trunk post-build hook (Trunk.toml) of release builds: makes the studio's first load smaller.
//
// 1. Bundles wasm-bindgen's JS glue with its snippets into one minified file, keeping only what the
//    studio's boot (`web/boot.js`, which calls the glue's default export) reaches. The glue also
//    carries the JS API classes of `sora-client` (`SoraClient`, `JobIterator`), which the studio
//    never uses but wasm-bindgen always emits; they go. `boot.js` and `sw.js` are minified too.
// 2. Removes the wasm function exports that the remaining JS no longer calls, so `wasm-opt` can drop
//    the Rust code behind them, then optimises the module for size and gives its imports and
//    exports short names (in the module and the glue).
// 3. Points index.html at the result: updated integrity hashes, no preloads of bundled snippets.
//
// Trunk's own JS minifier cannot parse the glue (`export { … as default }`), hence esbuild here.

import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  console.error("web/build/shrink.mjs: esbuild is missing: run `npm ci` in web/build (cargo xtask serve/test do).");
  process.exit(1);
}

const staging = process.env.TRUNK_STAGING_DIR;
const htmlPath = join(staging, "index.html");
let html = readFileSync(htmlPath, "utf8");
/** The file name (in the staging dir) that an attribute of the boot script points at. */
const attr = (name) => {
  const match = html.match(new RegExp(`${name}="?([^" >]+)`));
  if (!match) throw new Error(`index.html has no ${name}`);
  return match[1].split("/").pop();
};
const glueName = attr("data-js");
const wasmName = attr("data-wasm");
const gluePath = join(staging, glueName);
const wasmPath = join(staging, wasmName);

// 1. The glue, bundled. wasm-bindgen's top-level statements that only matter to users of its
// exported classes are made removable: the FinalizationRegistry per class (pure), and the
// `Symbol.dispose` aliases (dropped: nothing in the studio disposes glue objects with `using`).
const glue = readFileSync(gluePath, "utf8")
  .replaceAll(": new FinalizationRegistry(", ": /* @__PURE__ */ new FinalizationRegistry(")
  .replace(/^if \(Symbol\.dispose\) \w+\.prototype\[Symbol\.dispose\] = \w+\.prototype\.free;$/gm, "");
writeFileSync(gluePath, glue);
const bundle = await esbuild.build({
  stdin: { contents: `export { default } from "./${glueName}";`, resolveDir: staging, sourcefile: "entry.js" },
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  write: false,
  legalComments: "none",
});
const js = bundle.outputFiles[0].text;
writeFileSync(gluePath, js);
rmSync(join(staging, "snippets"), { recursive: true, force: true });
const bootPath = join(staging, "boot.js");
writeFileSync(bootPath, (await esbuild.transform(readFileSync(bootPath, "utf8"), { minify: true, format: "esm", target: "es2022" })).code);
// The service worker is a classic script: minified, not made a module.
const workerPath = join(staging, "sw.js");
writeFileSync(workerPath, (await esbuild.transform(readFileSync(workerPath, "utf8"), { minify: true, target: "es2022" })).code);

// 2. The wasm: keep every export the JS names (over-approximated by the words it contains).
const words = new Set(js.match(/[A-Za-z_$][\w$]*/g));
const wasm = readFileSync(wasmPath);
const { bytes, removed } = dropExports(wasm, (name, kind) => kind !== 0 || words.has(name));
writeFileSync(wasmPath, bytes);
// wasm-opt through its own CLI (the one `cargo xtask` puts first on PATH, or WASM_OPT).
const wasmOpt = process.env.WASM_OPT || "wasm-opt";
execFileSync(wasmOpt, [wasmPath, "-o", wasmPath, "-Oz", "--converge", "--strip-debug", "--strip-producers"], { stdio: "inherit" });

// 3. index.html.
const sri = (path) => "sha384-" + createHash("sha384").update(readFileSync(path)).digest("base64");
html = html
  .replace(/<link[^>]*href="?[^" >]*\/snippets\/[^>]*>/g, "")
  .replace(new RegExp(`(<link[^>]*href="?[^" >]*${escape(glueName)}[^>]*integrity=)"?[^" >]+"?`), `$1${sri(gluePath)}`)
  .replace(new RegExp(`(<link[^>]*href="?[^" >]*${escape(wasmName)}[^>]*integrity=)"?[^" >]+"?`), `$1${sri(wasmPath)}`);
writeFileSync(htmlPath, html);
console.log(`shrink: JS ${readFileSync(gluePath).length} bytes; ${removed} unused wasm exports removed; wasm ${readFileSync(wasmPath).length} bytes`);

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Rewrite the export section (id 7), keeping the exports `keep(name, kind)` accepts. */
function dropExports(module, keep) {
  let pos = 8;
  const readLeb = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = module[pos++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) return result;
    }
  };
  while (pos < module.length) {
    const start = pos;
    const id = module[pos++];
    const size = readLeb();
    const body = pos;
    const end = body + size;
    if (id === 7) {
      const count = readLeb();
      const kept = [];
      let removed = 0;
      for (let i = 0; i < count; i++) {
        const entryStart = pos;
        const nameLength = readLeb();
        const name = module.subarray(pos, pos + nameLength).toString("utf8");
        pos += nameLength;
        const kind = module[pos++];
        readLeb();
        if (keep(name, kind)) kept.push(module.subarray(entryStart, pos));
        else removed++;
      }
      const payload = Buffer.concat([leb(kept.length), ...kept]);
      const section = Buffer.concat([Buffer.from([7]), leb(payload.length), payload]);
      return { bytes: Buffer.concat([module.subarray(0, start), section, module.subarray(end)]), removed };
    }
    pos = end;
  }
  return { bytes: module, removed: 0 };
}

function leb(value) {
  const out = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Buffer.from(out);
}
