//! `cargo xtask serve`: build the studio and serve it, with the emulator behind it, on one origin.

use std::process::Command;

use crate::process::run_checked;

pub fn run_serve(port: u16) -> Result<(), String> {
    let toolchain = crate::setup::run()?;
    let root = crate::root();
    let mut trunk = Command::new("trunk");
    trunk.args(["build", "--release"]).current_dir(&root);
    toolchain.wasm(&mut trunk);
    run_checked(&mut trunk)?;
    run_checked(Command::new("cargo").args(["build", "--locked", "-p", "sora-emulator"]).current_dir(&root))?;
    let url = format!("http://127.0.0.1:{port}/");
    println!("\nSora Studio: open {url} — it talks to the built-in emulator (API key `emulator-key`). Ctrl-C stops.\n");
    run_checked(Command::new(root.join("target/debug/sora-emulator"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--static-dir"])
        .arg(root.join("dist")))
}

pub fn run(args: &[String]) -> Result<(), String> {
    match args {
        [] => run_serve(8787),
        [flag, port] if flag == "--port" => {
            run_serve(port.parse().map_err(|_| format!("--port needs a port number, not {port:?}"))?)
        }
        _ => Err("usage: cargo xtask serve [--port N]".into()),
    }
}
