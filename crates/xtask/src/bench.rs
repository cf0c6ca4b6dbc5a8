//! `cargo xtask bench`: the figures in BENCHMARKS.md — package size against openai-node, and
//! polling efficiency against fixed 1 s and 5 s polling, on a live emulator.

use std::process::Command;

use crate::process::{Emulator, run_checked};

pub fn run(args: &[String]) -> Result<(), String> {
    let rounds = match args {
        [] => "3".to_owned(),
        [flag, n] if flag == "--rounds" && n.parse::<u32>().is_ok_and(|n| n > 0) => n.clone(),
        _ => return Err("usage: cargo xtask bench [--rounds N]".into()),
    };
    let toolchain = crate::setup::run()?;
    let root = crate::root();
    let package = crate::package::build(&toolchain)?;
    let bench = package.dir.with_file_name("bench");
    crate::test::copy_dir(&root.join("crates/xtask/bench"), &bench)?;
    let _ = std::fs::remove_file(bench.join("package-lock.json"));
    let _ = std::fs::remove_dir_all(bench.join("node_modules/@sora-studio"));
    run_checked(Command::new("npm").args(["install", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&bench))?;

    println!("P1 package size (gzip -9): wasm {} + JS {} = {} bytes", package.wasm_gzip, package.js_gzip, package.wasm_gzip + package.js_gzip);
    run_checked(Command::new("node").arg("size.mjs").current_dir(&bench))?;

    run_checked(Command::new("cargo").args(["build", "--locked", "-p", "sora-emulator"]).current_dir(&root))?;
    let logs = root.join("target/test-logs");
    std::fs::create_dir_all(&logs).map_err(|e| e.to_string())?;
    // Speed 1, real-service-like timings: a 480x480 5 s job takes 30 s, a 1280x720 5 s job 84 s; no
    // rate or slot limits, so only the polling strategies differ.
    let flags = ["--api-key", "emulator-key", "--speed", "1", "--rpm", "0", "--max-running", "100000"];
    let emulator = Emulator::start(&root.join("target/debug/sora-emulator"), "127.0.0.1:0", &flags, &logs.join("bench-emulator.log"))?;
    println!("P3 polling efficiency ({rounds} rounds of a 6-job mixed workload per strategy):");
    run_checked(Command::new("node").args(["polling.mjs", &emulator.url, "emulator-key", &rounds]).current_dir(&bench))
}
