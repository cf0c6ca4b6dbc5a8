//! The lint suite: rustfmt, and clippy with warnings as errors, natively and on the wasm target.

use std::path::Path;
use std::process::Command;

use super::outcome::{Outcome, check};
use crate::setup::Toolchain;

/// Every lint, each its own outcome.
pub fn suites(toolchain: &Toolchain) -> Vec<Outcome> {
    let root = crate::root();
    let mut fmt = Command::new("cargo");
    fmt.args(["fmt", "--all", "--check"]).current_dir(&root);
    // The fuzz targets are a workspace of their own, so `--all` does not reach them.
    let mut fmt_fuzz = Command::new("cargo");
    fmt_fuzz.args(["fmt", "--check", "--manifest-path"]).arg(root.join("crates/sora-client/fuzz/Cargo.toml"));
    let mut native = Command::new("cargo");
    native
        .args([
            "clippy",
            "--locked",
            "--workspace",
            "--exclude",
            "sora-studio",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(&root);
    vec![
        check("rustfmt (workspace)", &mut fmt),
        check("rustfmt (fuzz targets)", &mut fmt_fuzz),
        check("clippy, native, -D warnings", &mut native),
        check("clippy, wasm32, -D warnings", &mut wasm_clippy(toolchain, &root)),
    ]
}

/// Clippy on the wasm crates for wasm32, where their browser-only code is compiled.
fn wasm_clippy(toolchain: &Toolchain, root: &Path) -> Command {
    let packages = ["-p", "sora-client", "-p", "sora-client-js", "-p", "sora-studio"];
    let mut command = Command::new("cargo");
    if toolchain.builds_std() {
        // Debian's toolchain builds std from source, so `cargo clippy` (rustup's driver, another
        // compiler version) cannot be used: Debian's clippy-driver wraps only the workspace crates,
        // with the arguments `cargo clippy` would pass it.
        command
            .args(["check", "--locked", "--target", "wasm32-unknown-unknown", "--all-targets"])
            .args(packages)
            .env("RUSTC_WORKSPACE_WRAPPER", "/usr/bin/clippy-driver")
            .env("CLIPPY_ARGS", "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__");
    } else {
        command
            .args(["clippy", "--locked", "--target", "wasm32-unknown-unknown", "--all-targets"])
            .args(packages)
            .args(["--", "-D", "warnings"]);
    }
    toolchain.wasm(&mut command);
    command
        .current_dir(root)
        // Its own target directory: a check build would otherwise replace the test builds' artefacts.
        .env("CARGO_TARGET_DIR", root.join("target").join("clippy-wasm"))
        // The browser tests read the emulator's address at compile time; any value compiles.
        .env("SORA_EMULATOR_URL", "http://127.0.0.1:9")
        .env("SORA_EMULATOR_KEY", "lint")
        .env("SORA_EMULATOR_ADMIN_TOKEN", "lint");
    command
}
