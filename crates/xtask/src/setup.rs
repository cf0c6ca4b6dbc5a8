//! Machine set-up: installs what is missing, and is a fast no-op when everything is there.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{output_line, run_checked};

/// Versions the project is pinned to (wasm-bindgen must match the crate's `=0.2.130`).
const WASM_BINDGEN_VERSION: &str = "0.2.130";
const TRUNK_VERSION: &str = "0.21.14";
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// wasm-opt from npm: Debian's binaryen is too old for current Rust output.
const BINARYEN_VERSION: &str = "132.0.0";
/// Debian's Rust with the wasm32 standard library sources, used when the active toolchain has no wasm32.
/// Its clippy lints the wasm crates (`cargo xtask test lint`).
const DEBIAN_WASM_PACKAGES: [&str; 6] =
    ["rustc-web", "cargo-web", "rust-web-src", "rust-web-llvm", "lld-22", "rust-web-clippy"];
const BROWSER_PACKAGES: [&str; 2] = ["chromium", "chromium-driver"];

/// How to build for wasm32 on this machine.
pub struct Toolchain {
    /// Environment variables every wasm32 build needs (empty with a rustup wasm32 target).
    pub wasm_env: Vec<(&'static str, String)>,
    /// Python with schemathesis installed.
    pub venv: PathBuf,
    /// Python with the official `openai` SDK and the LiteLLM proxy (`cargo xtask test real-clients`).
    pub clients_venv: PathBuf,
    /// Holds `wasm-opt`; put first on PATH for trunk.
    pub binaryen_bin: PathBuf,
}

impl Toolchain {
    /// Whether wasm32 std is built from source (Debian's toolchain), which allows `immediate-abort`.
    pub fn builds_std(&self) -> bool {
        !self.wasm_env.is_empty()
    }

    /// Make a wasm32 release build of `profile` as small as this toolchain allows, with the build's own `rustflags`.
    ///
    /// Where std is built from source (Debian's toolchain), it is built with the module's own
    /// settings, so the package and the studio also get: no unwinding machinery or panic messages
    /// (`immediate-abort`: the code returns errors, it does not panic); std's size-optimised code
    /// paths and no `Debug` text or source locations (nothing is formatted with `{:?}` for users);
    /// no reference types or multivalue, so wasm-bindgen keeps JS values in its glue's table instead
    /// of an externref table with a shim per export. A prebuilt std (rustup) has none of these.
    pub fn smallest_release(&self, command: &mut Command, profile: &str, rustflags: &str) {
        let mut flags = rustflags.to_string();
        if self.builds_std() {
            let profile_env = profile.to_uppercase().replace('-', "_");
            command
                .env("CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT", "true")
                .env(format!("CARGO_PROFILE_{profile_env}_PANIC"), "immediate-abort")
                .env("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size");
            flags.push_str(" -Zfmt-debug=none -Zlocation-detail=none -Ctarget-feature=-reference-types,-multivalue");
        }
        // An empty RUSTFLAGS would still override any `build.rustflags` a user has configured.
        let flags = flags.trim();
        if !flags.is_empty() {
            command.env("RUSTFLAGS", flags);
        }
    }

    /// Download every crate a wasm32 build needs, so that trunk's `--offline` build finds them.
    ///
    /// Where std is built from source, that includes std's own dependencies from crates.io, which
    /// no native build fetches: without this, a machine that never built wasm fails offline.
    /// A fast no-op once they are in the registry cache.
    pub fn fetch_wasm_crates(&self) -> Result<(), String> {
        let mut fetch = Command::new("cargo");
        fetch
            .args(["fetch", "--locked", "--target", "wasm32-unknown-unknown", "--manifest-path"])
            .arg(crate::root().join("web").join("Cargo.toml"));
        self.wasm(&mut fetch);
        run_checked(&mut fetch)
    }

    /// Apply the wasm32 build environment to a command.
    pub fn wasm(&self, command: &mut Command) {
        for (key, value) in &self.wasm_env {
            command.env(key, value);
        }
        command.env("CARGO_TARGET_DIR", crate::root().join("target").join("wasm"));
        let path = std::env::var_os("PATH").unwrap_or_default();
        let paths = std::iter::once(self.binaryen_bin.clone()).chain(std::env::split_paths(&path));
        if let Ok(joined) = std::env::join_paths(paths) {
            command.env("PATH", joined);
        }
    }
}

/// Install what is missing and describe the toolchain.
pub fn run() -> Result<Toolchain, String> {
    let native_wasm = has_native_wasm_target();
    let mut missing: Vec<&str> = Vec::new();
    if !native_wasm {
        missing.extend(DEBIAN_WASM_PACKAGES.iter().filter(|p| !deb_installed(p)));
    }
    if !Path::new("/usr/bin/chromedriver").exists() || !Path::new("/usr/bin/chromium").exists() {
        missing.extend(BROWSER_PACKAGES.iter().filter(|p| !deb_installed(p)));
    }
    if !missing.is_empty() {
        apt_install(&missing)?;
    }
    ensure_cargo_tool(
        "wasm-bindgen",
        WASM_BINDGEN_VERSION,
        &["install", "wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION],
    )?;
    ensure_cargo_tool("trunk", TRUNK_VERSION, &["install", "trunk", "--version", TRUNK_VERSION, "--locked"])?;
    ensure_cargo_fuzz()?;
    let venv = ensure_venv("venv", "conformance/requirements.txt", "st", "schemathesis")?;
    let clients_venv = ensure_venv(
        "venv-real-clients",
        "conformance/real-clients/requirements.txt",
        "litellm",
        "the openai SDK and the LiteLLM proxy",
    )?;
    let binaryen_bin = ensure_binaryen()?;
    let wasm_env = if native_wasm {
        Vec::new()
    } else {
        vec![
            // Debian's rustc 1.96 builds std for wasm32 from source (`-Zbuild-std`).
            ("RUSTC", "/usr/bin/rustc".to_owned()),
            ("RUSTDOC", "/usr/bin/rustdoc".to_owned()),
            ("RUSTC_BOOTSTRAP", "1".to_owned()),
            ("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort".to_owned()),
        ]
    };
    Ok(Toolchain { wasm_env, venv, clients_venv, binaryen_bin })
}

/// Whether the active rustc ships a wasm32 standard library (a rustup `target add` was done).
fn has_native_wasm_target() -> bool {
    output_line("rustc", &["--print", "sysroot"])
        .is_some_and(|sysroot| Path::new(&sysroot).join("lib/rustlib/wasm32-unknown-unknown/lib").is_dir())
}

fn deb_installed(package: &str) -> bool {
    output_line("dpkg-query", &["-W", "-f=${Status}", package]).is_some_and(|s| s.ends_with("install ok installed"))
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    let list = packages.join(" ");
    let is_root = output_line("id", &["-u"]).as_deref() == Some("0");
    let has_apt = output_line("apt-get", &["--version"]).is_some();
    if !is_root || !has_apt {
        return Err(format!(
            "missing system packages and no root apt-get to install them.\n\
             Install them yourself (Debian: `sudo apt-get install -y {list}`), or, with rustup, \
             `rustup target add wasm32-unknown-unknown` instead of the Rust packages; then run this again."
        ));
    }
    eprintln!("setup: installing {list} with apt-get");
    run_checked(Command::new("apt-get").args(["update", "-q"]))?;
    run_checked(
        Command::new("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// Install a cargo-installed tool unless the exact version is already on PATH.
fn ensure_cargo_tool(binary: &str, version: &str, install_args: &[&str]) -> Result<(), String> {
    let installed = output_line(binary, &["--version"]);
    if installed.as_deref().is_some_and(|v| v.split_whitespace().any(|w| w == version)) {
        return Ok(());
    }
    eprintln!("setup: installing {binary} {version} (found {installed:?}); this takes a few minutes once");
    // Host tools are built with the active toolchain, never with the wasm environment.
    run_checked(Command::new("cargo").args(install_args).env_remove("CARGO_TARGET_DIR"))
}

/// A Python venv in the cache (so clones share it) with a pinned requirements file installed.
///
/// A stamp in the venv holds the requirements it was made from: an existing venv whose file changed
/// (a new pin, a new package) is brought up to it; an unchanged one is a fast no-op. `probe` is a
/// program the requirements install into `bin/`. Two venvs, not one: the LiteLLM proxy pins
/// `rich<14`, the schemathesis pins `rich` 15.
fn ensure_venv(name: &str, requirements: &str, probe: &str, what: &str) -> Result<PathBuf, String> {
    let venv = crate::cache_dir().join(name);
    let requirements = crate::root().join(requirements);
    let wanted =
        std::fs::read_to_string(&requirements).map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let stamp = venv.join("requirements.installed");
    if venv.join("bin").join(probe).exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str())
    {
        return Ok(venv);
    }
    eprintln!("setup: installing {what} into {} (about a minute once)", venv.display());
    run_checked(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run_checked(Command::new(venv.join("bin/pip")).args(["install", "-q", "-r"]).arg(&requirements))?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(venv)
}

/// wasm-opt from the npm `binaryen` package, in the cache.
fn ensure_binaryen() -> Result<PathBuf, String> {
    let prefix = crate::cache_dir().join("binaryen");
    let bin = prefix.join("node_modules").join(".bin");
    let version = BINARYEN_VERSION.split('.').next().unwrap_or(BINARYEN_VERSION);
    let wasm_opt = bin.join("wasm-opt");
    let found = output_line(&wasm_opt.to_string_lossy(), &["--version"]);
    if found.as_deref().is_some_and(|v| v.contains(&format!("version {version}"))) {
        return Ok(bin);
    }
    if output_line("npm", &["--version"]).is_none() {
        return Err("npm is missing: install Node.js and npm (Debian: `apt-get install -y nodejs npm`)".into());
    }
    eprintln!("setup: installing wasm-opt (npm binaryen@{BINARYEN_VERSION})");
    std::fs::create_dir_all(&prefix).map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    run_checked(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(format!("binaryen@{BINARYEN_VERSION}")),
    )?;
    Ok(bin)
}

/// cargo-fuzz for the fuzz targets' smoke runs (it drives the stable toolchain's libFuzzer build).
fn ensure_cargo_fuzz() -> Result<(), String> {
    if output_line("cargo", &["fuzz", "--version"]).is_some_and(|v| v.contains(CARGO_FUZZ_VERSION)) {
        return Ok(());
    }
    eprintln!("setup: installing cargo-fuzz {CARGO_FUZZ_VERSION}");
    run_checked(
        Command::new("cargo")
            .args(["install", "cargo-fuzz", "--version", CARGO_FUZZ_VERSION, "--locked"])
            .env_remove("CARGO_TARGET_DIR"),
    )
}
