//! `cargo xtask package`: build the npm package (wasm + glue + types), `npm pack` it, report its size.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::run_checked;
use crate::setup::Toolchain;

/// The bundler that minifies the glue (the npm consumer test pins the same version).
const ESBUILD_VERSION: &str = "0.28.2";

/// What the build produced.
pub struct Package {
    pub dir: PathBuf,
    pub tarball: PathBuf,
    /// gzip -9 bytes of the wasm and of all JavaScript the package loads.
    pub wasm_gzip: u64,
    pub js_gzip: u64,
}

pub fn run() -> Result<(), String> {
    let toolchain = crate::setup::run()?;
    let package = build(&toolchain)?;
    println!("npm package: {}", package.tarball.display());
    println!(
        "size (gzip -9): wasm {} + JS {} = {} bytes",
        package.wasm_gzip,
        package.js_gzip,
        package.wasm_gzip + package.js_gzip
    );
    Ok(())
}

/// Build the release wasm, generate bindings, optimise, assemble and pack.
pub fn build(toolchain: &Toolchain) -> Result<Package, String> {
    let root = crate::root();
    let mut cargo = Command::new("cargo");
    cargo
        .args([
            "build",
            "--locked",
            "-p",
            "sora-client-js",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
        ])
        .current_dir(&root);
    toolchain.wasm(&mut cargo);
    toolchain.smallest_release(&mut cargo, "wasm-release", "");
    run_checked(&mut cargo)?;
    let wasm = root.join("target/wasm/wasm32-unknown-unknown/wasm-release/sora_client_js.wasm");
    let dir = root.join("target/npm/package");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    // `sora_client.js` and `sora_client_bg.wasm`: the package's file names (and its users' imports).
    run_checked(
        Command::new("wasm-bindgen")
            .args(["--target", "web", "--out-name", "sora_client", "--out-dir"])
            .arg(&dir)
            .arg(&wasm),
    )?;
    let bg = dir.join("sora_client_bg.wasm");
    optimize_wasm(&toolchain.binaryen_bin.join("wasm-opt"), &bg)?;
    let template = root.join("crates/sora-client-js/npm");
    for file in ["index.js", "index.d.ts", "package.json", "README.md"] {
        std::fs::copy(template.join(file), dir.join(file)).map_err(|e| format!("cannot copy {file}: {e}"))?;
    }
    bundle_glue(&dir)?;
    polish_types(&dir.join("sora_client.d.ts"))?;
    let packed = dir.parent().unwrap_or(&dir).to_path_buf();
    run_checked(Command::new("npm").args(["pack", "--silent", "--pack-destination"]).arg(&packed).current_dir(&dir))?;
    let tarball = packed.join("sora-studio-client-0.1.0.tgz");
    let wasm_gzip = gzip_size(&[bg])?;
    let js_gzip = gzip_size(&[dir.join("index.js")])?;
    Ok(Package { dir, tarball, wasm_gzip, js_gzip })
}

/// Optimise the module for size with wasm-opt (`-Oz`), in place.
fn optimize_wasm(wasm_opt: &Path, wasm: &Path) -> Result<(), String> {
    run_checked(
        Command::new(wasm_opt)
            .args(["-Oz", "--strip-debug", "--strip-producers"])
            .args([
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
            ])
            .arg(wasm)
            .arg("-o")
            .arg(wasm),
    )
}

/// Bundle `index.js`, the glue and its snippets into one minified `index.js` (ESM, exports kept),
/// and drop the files it replaces along with the raw export table's declarations.
fn bundle_glue(dir: &Path) -> Result<(), String> {
    let esbuild = ensure_esbuild()?;
    let bundled = dir.join("index.bundle.js");
    run_checked(
        Command::new(esbuild)
            .args(["index.js", "--bundle", "--format=esm", "--minify", "--target=es2020", "--log-level=warning"])
            .arg(format!("--outfile={}", bundled.display()))
            .current_dir(dir),
    )?;
    std::fs::rename(&bundled, dir.join("index.js")).map_err(|e| e.to_string())?;
    for file in ["sora_client.js", "sora_client_bg.wasm.d.ts"] {
        std::fs::remove_file(dir.join(file)).map_err(|e| format!("cannot remove {file}: {e}"))?;
    }
    let _ = std::fs::remove_dir_all(dir.join("snippets"));
    Ok(())
}

/// esbuild from npm, in the cache (installed on first use).
fn ensure_esbuild() -> Result<PathBuf, String> {
    let prefix = crate::cache_dir().join("esbuild");
    let esbuild = prefix.join("node_modules").join(".bin").join("esbuild");
    let found = Command::new(&esbuild)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    if found.as_deref() == Some(ESBUILD_VERSION) {
        return Ok(esbuild);
    }
    eprintln!("package: installing esbuild {ESBUILD_VERSION} (npm)");
    std::fs::create_dir_all(&prefix).map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    run_checked(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(format!("esbuild@{ESBUILD_VERSION}")),
    )?;
    Ok(esbuild)
}

/// Make trailing option parameters optional and the job iterator async-iterable in the declarations.
///
/// wasm-bindgen drops the `?` when a parameter's type is overridden, so it is restored here.
fn polish_types(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut text = text
        .replace("options: CallOptions)", "options?: CallOptions)")
        .replace("options: WaitOptions)", "options?: WaitOptions)")
        .replace("options: (CallOptions & { quality?: Quality }))", "options?: CallOptions & { quality?: Quality })")
        .replace("query: ListJobsQuery, options", "query?: ListJobsQuery, options")
        .replace("apiVersion: ApiVersion): NormalizedEndpoint", "apiVersion?: ApiVersion): NormalizedEndpoint")
        // Needs TypeScript's esnext.disposable lib, which an ES2022 project lacks; `free()` does the same.
        .replace("    [Symbol.dispose](): void;\n", "");
    // The raw export table is wasm-bindgen's internals, typed with `any`: publish only `memory`.
    let start = text.find("export interface InitOutput {").ok_or("no InitOutput in the declarations")?;
    let end = start + text[start..].find("\n}\n").ok_or("unterminated InitOutput")? + 3;
    text.replace_range(start..end, "export interface InitOutput {\n    readonly memory: WebAssembly.Memory;\n}\n");
    let marker = "export class JobIterator {";
    let has_any = text.lines().any(|l| {
        !l.trim_start().starts_with(['*', '/']) && l.split(|c: char| !c.is_alphanumeric()).any(|w| w == "any")
    });
    if !text.contains(marker) || has_any {
        return Err("unexpected generated declarations (no JobIterator, or an `any` slipped in)".into());
    }
    text = text.replace(marker, &format!("{marker}\n    [Symbol.asyncIterator](): JobIterator;"));
    std::fs::write(path, text).map_err(|e| e.to_string())
}

/// Total gzip -9 size of each file compressed on its own (as a server would send them).
fn gzip_size(files: &[PathBuf]) -> Result<u64, String> {
    let mut total = 0;
    for file in files {
        let out = Command::new("gzip").args(["-9", "-c"]).arg(file).output().map_err(|e| format!("gzip: {e}"))?;
        total += out.stdout.len() as u64;
    }
    Ok(total)
}
