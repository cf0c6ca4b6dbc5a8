//! Project tasks. `cargo xtask serve` runs the studio on the emulator; `cargo xtask test` runs every test.
//!
//! Both set the machine up first (see `setup.rs`), so a fresh clone needs nothing else.

mod bench;
mod package;
mod process;
mod serve;
mod setup;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  setup              install what is missing (wasm toolchain, wasm-bindgen, trunk, Chromium, schemathesis)
  serve [--port N]   build the studio and serve it with the emulator on http://127.0.0.1:N (default 8787)
  test [SUITE...]    run every test suite, or only those named: native, conformance, client-browser,
                     npm, client-faults, studio-components, studio-e2e, studio-faults, fuzz
  package            build the npm package into target/npm and print its gzipped size
  bench [FIGURE...]  every benchmark figure (p1 p2 p3 p4 p5 encode; default all) as the median and
                     min-max of --runs N (default 5; P5: --p5-runs N, --cycles N); writes
                     target/bench/report.md and report.json (see BENCHMARKS.md)
  finish-wasm WASM JS optimise a wasm module as the package build does and shorten its import and
                     export names, in it and its JS glue (the studio's post-build hook calls this)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run().map(drop),
        Some("serve") => serve::run(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("package") => package::run(&args[1..]),
        Some("finish-wasm") => package::run_finish_wasm(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing task\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (two levels above this crate).
fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.ancestors().nth(2).map(PathBuf::from).unwrap_or(manifest)
}

/// Where set-up keeps things that outlive a clone (the schemathesis venv).
fn cache_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join(".cache").join("sora-studio")
}
