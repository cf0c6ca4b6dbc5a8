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

use clap::{Parser, Subcommand};

/// Project tasks: set-up, serve, test, package and benchmarks.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install what is missing (wasm toolchain, wasm-bindgen, trunk, Chromium, schemathesis, the
    /// openai SDK and LiteLLM).
    Setup,
    /// Build the studio and serve it with the emulator on http://127.0.0.1:PORT.
    Serve {
        #[arg(long, default_value_t = 8787)]
        port: u16,
    },
    /// Run every test suite, or only those named.
    Test {
        #[arg(value_enum)]
        suites: Vec<test::Suite>,
    },
    /// Build the npm package into target/npm and print its gzipped size.
    Package,
    /// Every benchmark figure as the median and min-max of several runs; writes
    /// target/bench/report.md and report.json (see BENCHMARKS.md).
    Bench(bench::Options),
}

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::Setup => setup::run().map(drop),
        Task::Serve { port } => serve::run(port),
        Task::Test { suites } => test::run(&suites),
        Task::Package => package::run(),
        Task::Bench(options) => bench::run(options),
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
