//! `cargo xtask serve`: build the studio and serve it, with the emulator behind it, on one origin.

use std::process::Command;

use crate::process::run_checked;
use crate::setup::Toolchain;

/// Build the studio's release into `dist/` (trunk; `web/build/minify.mjs` runs after it).
///
/// Where the toolchain builds std itself (Debian's rustc), the build is smaller: see
/// [`Toolchain::smallest_release`].
pub fn build_studio(toolchain: &Toolchain) -> Result<(), String> {
    let root = crate::root();
    // esbuild for the post-build hook.
    run_checked(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(root.join("web/build")),
    )?;
    // trunk builds with `--offline` (Trunk.toml), so everything it needs is downloaded first.
    toolchain.fetch_wasm_crates()?;
    let mut trunk = Command::new("trunk");
    trunk.args(["build", "--release"]).current_dir(&root);
    toolchain.wasm(&mut trunk);
    // Leptos renders through type-erased views: far less generic code (see the Leptos 0.8 docs).
    toolchain.smallest_release(&mut trunk, "studio-release", "--cfg erase_components");
    run_checked(&mut trunk)
}

pub fn run(port: u16) -> Result<(), String> {
    let toolchain = crate::setup::run()?;
    let root = crate::root();
    build_studio(&toolchain)?;
    run_checked(Command::new("cargo").args(["build", "--locked", "-p", "sora-emulator"]).current_dir(&root))?;
    let url = format!("http://127.0.0.1:{port}/");
    println!("\nSora Studio: open {url} — it talks to the built-in emulator (API key `emulator-key`). Ctrl-C stops.\n");
    run_checked(
        Command::new(root.join("target/debug/sora-emulator"))
            .args(["--listen", &format!("127.0.0.1:{port}"), "--static-dir"])
            .arg(root.join("dist")),
    )
}
