//! `cargo xtask package`: build the npm package (wasm + glue + types), `npm pack` it, report its size.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::run_checked;
use crate::setup::Toolchain;

/// What the build produced.
pub struct Package {
    pub dir: PathBuf,
    pub tarball: PathBuf,
    /// gzip -9 bytes of the wasm and of all JavaScript the package loads.
    pub wasm_gzip: u64,
    pub js_gzip: u64,
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(unknown) = args.first() {
        return Err(format!("`package` takes no arguments (got {unknown})"));
    }
    let toolchain = crate::setup::run()?;
    let package = build(&toolchain)?;
    println!("npm package: {}", package.tarball.display());
    println!("size (gzip -9): wasm {} + JS {} = {} bytes", package.wasm_gzip, package.js_gzip, package.wasm_gzip + package.js_gzip);
    Ok(())
}

/// Build the release wasm, generate bindings, optimise, assemble and pack.
pub fn build(toolchain: &Toolchain) -> Result<Package, String> {
    let root = crate::root();
    let mut cargo = Command::new("cargo");
    cargo
        .args(["build", "--locked", "-p", "sora-client", "--target", "wasm32-unknown-unknown", "--profile", "wasm-release"])
        .current_dir(&root);
    toolchain.wasm(&mut cargo);
    if toolchain.builds_std() {
        // Without unwinding machinery or panic messages: the library returns errors, it does not panic.
        cargo.env("CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT", "true").env("CARGO_PROFILE_WASM_RELEASE_PANIC", "immediate-abort");
    }
    run_checked(&mut cargo)?;
    let wasm = root.join("target/wasm/wasm32-unknown-unknown/wasm-release/sora_client.wasm");
    let dir = root.join("target/npm/package");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    run_checked(Command::new("wasm-bindgen").args(["--target", "web", "--out-dir"]).arg(&dir).arg(&wasm))?;
    let bg = dir.join("sora_client_bg.wasm");
    run_checked(
        Command::new(toolchain.binaryen_bin.join("wasm-opt"))
            .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals"])
            .arg(&bg)
            .arg("-o")
            .arg(&bg),
    )?;
    let template = root.join("crates/sora-client/npm");
    for file in ["index.js", "index.d.ts", "package.json", "README.md"] {
        std::fs::copy(template.join(file), dir.join(file)).map_err(|e| format!("cannot copy {file}: {e}"))?;
    }
    polish_types(&dir.join("sora_client.d.ts"))?;
    let packed = dir.parent().unwrap_or(&dir).to_path_buf();
    run_checked(Command::new("npm").args(["pack", "--silent", "--pack-destination"]).arg(&packed).current_dir(&dir))?;
    let tarball = packed.join("sora-studio-client-0.1.0.tgz");
    let wasm_gzip = gzip_size(&[bg])?;
    let mut js = vec![dir.join("sora_client.js"), dir.join("index.js")];
    js.extend(files_under(&dir.join("snippets")));
    let js_gzip = gzip_size(&js)?;
    Ok(Package { dir, tarball, wasm_gzip, js_gzip })
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
        // Needs TypeScript's esnext.disposable lib, which an ES2022 project lacks; `free()` does the same.
        .replace("    [Symbol.dispose](): void;\n", "");
    // The raw export table is wasm-bindgen's internals, typed with `any`: publish only `memory`.
    let start = text.find("export interface InitOutput {").ok_or("no InitOutput in the declarations")?;
    let end = start + text[start..].find("\n}\n").ok_or("unterminated InitOutput")? + 3;
    text.replace_range(start..end, "export interface InitOutput {\n    readonly memory: WebAssembly.Memory;\n}\n");
    let marker = "export class JobIterator {";
    let has_any = text.lines().any(|l| !l.trim_start().starts_with(['*', '/']) && l.split(|c: char| !c.is_alphanumeric()).any(|w| w == "any"));
    if !text.contains(marker) || has_any {
        return Err("unexpected generated declarations (no JobIterator, or an `any` slipped in)".into());
    }
    text = text.replace(marker, &format!("{marker}\n    [Symbol.asyncIterator](): JobIterator;"));
    std::fs::write(path, text).map_err(|e| e.to_string())
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() { out.extend(files_under(&path)) } else { out.push(path) }
        }
    }
    out
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
