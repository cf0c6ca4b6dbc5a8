// Trunk post-build hook (Trunk.toml) of release builds, after trunk's own wasm-opt -Oz
// (`data-wasm-opt` in index.html):
// 1. wasm-opt drops the exports of the classes the glue never hands out (wasm-streams' stream
//    adapters, which Leptos' server_fn links in) and the code only they reached; it gives the module's imports and exports short names (wasm-bindgen's carry hashes that
//    no compressor can shrink) and prints the mapping; esbuild renames the glue's side with it.
// 2. esbuild bundles the glue with its snippets into one minified file (trunk's own JS minifier
//    cannot parse it) and minifies boot.js and sw.js.
// 3. index.html gets the new files' integrity hashes.

import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

if (process.env.TRUNK_PROFILE !== "release") process.exit(0);

let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  console.error("web/build/minify.mjs: esbuild is missing: run `npm ci` in web/build (cargo xtask serve/test do).");
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
const gluePath = join(staging, glueName);
const wasmName = attr("data-wasm");
const wasmPath = join(staging, wasmName);

// 1. The glue hands a class's objects to the page only through `Class.__wrap` (an import's
// return value) or as one of its own exports, and the bundle below exports only `default`: a class
// without `__wrap` is never instantiated, and its exports (`__wbg_<class>_free`, `<class>_<method>`)
// are dead. Every import comes from one module, renamed too; the mapping is printed as JSON.
const glue = readFileSync(gluePath, "utf8");
const deadExports = [...glue.matchAll(/^export class (\w+)/gm)]
  .map(([, name]) => name)
  .filter((name) => !glue.includes(`${name}.__wrap(`))
  .flatMap((name) => [`__wbg_${name.toLowerCase()}_free`, `${name.toLowerCase()}_*`]);
const wasmOpt = process.env.WASM_OPT || "wasm-opt";
const dropDead = deadExports.length ? [`--remove-exports=${deadExports.join(",")}`, "-Oz"] : [];
const printed = execFileSync(wasmOpt, [wasmPath, "-o", wasmPath, ...dropDead, "--minify-imports-and-exports-and-modules"]);
const mapping = JSON.parse(printed.toString());
// The pass names the one module itself; the module says which name it took.
const [firstImport] = WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath)));
const renamed = {};
for (const [module, name, short] of mapping.imports) {
  renamed[module] = firstImport.module;
  renamed[name] = short;
}
for (const [name, short] of mapping.exports) renamed[name] = short;
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&");

// 2. The glue's import object keys and export accesses are properties: renamed through esbuild's mangle cache.
const bundle = await esbuild.build({
  stdin: { contents: `export { default } from "./${glueName}";`, resolveDir: staging, sourcefile: "entry.js" },
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  write: false,
  legalComments: "none",
  mangleProps: new RegExp(`^(${Object.keys(renamed).map(escape).join("|")})$`),
  mangleQuoted: true,
  mangleCache: renamed,
});
writeFileSync(gluePath, bundle.outputFiles[0].text);
rmSync(join(staging, "snippets"), { recursive: true, force: true });
// boot.js is a module; the service worker a classic script.
for (const [name, format] of [["boot.js", "esm"], ["sw.js", undefined]]) {
  const path = join(staging, name);
  writeFileSync(path, (await esbuild.transform(readFileSync(path, "utf8"), { minify: true, format, target: "es2022" })).code);
}

// 3. The bundled snippets are no longer preloaded; the glue and the wasm have new hashes.
const sri = (path) => "sha384-" + createHash("sha384").update(readFileSync(path)).digest("base64");
const link = (name) => new RegExp(`(<link[^>]*href="?[^" >]*${escape(name)}[^>]*integrity=)"?[^" >]+"?`);
html = html
  .replace(/<link[^>]*href="?[^" >]*\/snippets\/[^>]*>/g, "")
  .replace(link(glueName), `$1"${sri(gluePath)}"`)
  .replace(link(wasmName), `$1"${sri(wasmPath)}"`);
writeFileSync(htmlPath, html);
console.log(`minify: ${deadExports.length / 2} unused classes' exports dropped; ${mapping.imports.length} imports and ${mapping.exports.length} exports renamed; JS glue ${readFileSync(gluePath).length} bytes`);
