//! `cargo xtask bench`: every figure in BENCHMARKS.md from one command — P1 package size against
//! openai-node, P2 studio first load, P3 polling efficiency, P4 success → first frame, P5 memory over
//! many cycles, and emulator encode speed — each over several runs, reported as median and min–max
//! in one table, also written to `target/bench/report.md` and `report.json`.

mod encode;
mod machine;
mod report;
mod rows;
mod samples;
mod stats;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use clap::builder::PossibleValuesParser;
use clap::value_parser;

use crate::process::{Emulator, run_checked};
use crate::setup::Toolchain;
use samples::Samples;

/// The figures, by the names `cargo xtask bench NAME...` selects them with.
const FIGURES: [&str; 7] = ["p1", "p2", "p3", "p3-videos", "p4", "p5", "encode"];
/// The key the emulators are started with.
const KEY: &str = "emulator-key";
/// P3's default emulator speed: 1, the profiles' own job times (a run of the workload ≈ 2.2 min on
/// the default profile). Faster speeds shorten jobs, which cuts the fixed strategies' polls per job
/// but not the ETA-aware schedule's 1 s floor, so the comparison would no longer be the real one.
const P3_SPEED: u32 = 1;
/// P2/P4/P5's emulator speed: a 480x480 1 s job takes 0.8 s, so P5's cycles are bound by the studio.
const STUDIO_SPEED: &str = "20";
/// The "Requests per minute" P5 sets in the studio's Connection panel before its cycles (the
/// emulator has no rate limit), so the cycles are bound by the studio, not by the default 60.
const P5_REQUESTS_PER_MINUTE: u32 = 6_000;
/// P5's warm-up cycles before the heap baseline (JIT code and the browser's bounded buffers grow
/// over the first cycles).
const P5_WARMUP_CYCLES: u32 = 10;

/// What to measure and how often.
#[derive(clap::Args)]
pub struct Options {
    /// The figures to measure (default: all).
    #[arg(value_parser = PossibleValuesParser::new(FIGURES))]
    figures: Vec<String>,
    /// Runs per figure.
    #[arg(long, default_value_t = 5, value_parser = value_parser!(u32).range(1..))]
    runs: u32,
    /// P5's runs (default: --runs).
    #[arg(long, value_parser = value_parser!(u32).range(1..))]
    p5_runs: Option<u32>,
    /// Create/play/delete cycles per P5 run.
    #[arg(long, default_value_t = 100, value_parser = value_parser!(u32).range(1..))]
    cycles: u32,
    /// P3's emulator speed.
    #[arg(long, default_value_t = P3_SPEED, value_parser = value_parser!(u32).range(1..))]
    p3_speed: u32,
    /// The emulator timing profiles P3 measures (`--timing`), side by side.
    #[arg(long, value_delimiter = ',', value_parser = PossibleValuesParser::new(rows::P3_PROFILES), default_values_t = rows::P3_PROFILES.map(str::to_owned))]
    p3_profiles: Vec<String>,
    /// The noisy profile's seed (`--seed`).
    #[arg(long, default_value_t = 1, value_parser = value_parser!(u32).range(1..))]
    p3_seed: u32,
    /// An already-built studio to serve instead of running `trunk build --release` on this tree.
    #[arg(long, value_name = "DIR")]
    dist: Option<PathBuf>,
}

impl Options {
    /// Fill in the defaults that depend on other options: every figure, P5 runs = `--runs`.
    fn resolved(mut self) -> Self {
        if self.figures.is_empty() {
            self.figures = FIGURES.map(str::to_owned).to_vec();
        }
        self.p5_runs = self.p5_runs.or(Some(self.runs));
        self
    }

    fn p5_runs(&self) -> u32 {
        self.p5_runs.unwrap_or(self.runs)
    }
}

pub fn run(options: Options) -> Result<(), String> {
    let options = options.resolved();
    let wanted = |name: &str| options.figures.iter().any(|f| f == name);
    let started = Instant::now();
    let machine = machine::Machine::probe();
    let toolchain = crate::setup::run()?;
    let root = crate::root();
    let logs = root.join("target/test-logs");
    std::fs::create_dir_all(&logs).map_err(|e| e.to_string())?;

    let mut samples = Samples::default();
    let mut timings = Vec::new();
    let mut errors = Vec::new();
    let mut notes = vec![
        "Each figure is the median of n runs with min–max; comparisons (ours vs openai, ETA-aware vs fixed polling) come from the same run.".to_owned(),
    ];
    let mut timed = |name: &str, result: Result<(), String>, since: Instant| {
        timings.push((name.to_owned(), since.elapsed().as_secs_f64()));
        if let Err(e) = result {
            eprintln!("xtask bench: {name}: {e}");
            errors.push(format!("{name}: {e}"));
        }
    };

    let node_figures = ["p1", "p2", "p3", "p3-videos", "p4", "p5"].iter().any(|f| wanted(f));
    let bench_dir = if node_figures {
        let since = Instant::now();
        let prepared = prepare_scripts(&toolchain);
        let dir = prepared.as_ref().ok().cloned();
        timed("package + npm install", prepared.map(drop), since);
        dir
    } else {
        None
    };

    if let Some(bench) = &bench_dir {
        if wanted("p1") {
            let since = Instant::now();
            let result = samples.run(Command::new("node").arg("size.mjs").current_dir(bench), "size.mjs");
            notes.push("P1: the same create → poll → download flow bundled with esbuild `--minify` for the browser; sizes are deterministic, so one build is one sample.".into());
            timed("P1", result, since);
        }
        let studio: Vec<&str> = ["p2", "p4", "p5"].into_iter().filter(|f| wanted(f)).collect();
        if !studio.is_empty() {
            let since = Instant::now();
            let result = studio_figures(&toolchain, bench, &logs, &studio, &options, &mut samples);
            notes.push(format!(
                "P2/P4/P5: the release studio (`trunk build --release`) served by the emulator (`--static-dir dist`, speed {STUDIO_SPEED}), driven by Playwright in headless Chromium; every P2 load and P4 sample in a fresh browser context (cold cache). P2 bytes = gzip -9 of every same-origin asset the page requested on first visit; TTI = navigation start → `body[data-app=mounted]`. P4 = the job card turning Done → the video's first `canplay`. P5 = {} run(s) of {} create/play/delete cycles (480x480 1 s) after the studio's Connection panel is set to {P5_REQUESTS_PER_MINUTE} requests per minute (the emulator has no rate limit) and {P5_WARMUP_CYCLES} warm-up cycles; heap after forced GC; the run time excludes the GCs at every quarter.",
                options.p5_runs(), options.cycles
            ));
            if let Some(dist) = &options.dist {
                notes.push(format!(
                    "The studio was served from `{}` as given (`--dist`), not built from this tree.",
                    dist.display()
                ));
            }
            timed("P2/P4/P5", result, since);
        }
        if wanted("p3") {
            let since = Instant::now();
            let result = p3(bench, &logs, &options, &mut samples);
            notes.push(format!(
                "P3: one run = a 6-job mixed workload waited for by all three strategies at once, per emulator timing profile ({profiles}; the profiles side by side, each on its own emulator, seed {seed}) at speed {speed} (phase times ÷ {speed}); per run, polls per job and detection delay are means over the 6 jobs; the delay is measured against an uncounted oracle listing the jobs every 50 ms. Equal cost = the fixed interval making as many polls per job as the ETA-aware poller, replayed on the ETA-aware poller's own jobs from their true end times (phase averaged). Each profile's ETA-aware client is kept across runs, so run 1 starts from its built-in guess.",
                profiles = options.p3_profiles.join(", "),
                seed = options.p3_seed,
                speed = options.p3_speed
            ));
            timed("P3", result, since);
        }
        if wanted("p3-videos") {
            let since = Instant::now();
            let result = p3_videos(bench, &logs, &options, &mut samples);
            notes.push(format!(
                "P3 Videos: one run = a 6-video workload (sora-2 and sora-2-pro, 4–12 s) waited for three ways at once on each of two emulators (default timing, speed {speed}, side by side): one sending `openai-poll-after-ms`, one not (its `poll_hint` setting off). `waitForVideo` follows the hint when sent, else its ETA-aware schedule; the SDK rule is openai-python's `videos.poll` (the first answer's hint, else 1 s, for every poll); the delay is measured against an uncounted oracle listing the videos every 50 ms.",
                speed = options.p3_speed
            ));
            timed("P3 Videos", result, since);
        }
    }
    if wanted("encode") {
        let since = Instant::now();
        let result = encode::measure(options.runs, &mut samples);
        notes.push("Encode: `cargo run --release -p sora-emulator --example encode_speed`, 2 s videos (24 frames at 12 fps), one core.".into());
        timed("encode", result, since);
    }

    let report = report::Report {
        command: std::iter::once("cargo xtask".to_owned())
            .chain(std::env::args().skip(1))
            .collect::<Vec<_>>()
            .join(" "),
        machine,
        load_at_end: machine::load_average(),
        notes,
        rows: rows::build(&samples, options.cycles),
        timings,
        wall_seconds: started.elapsed().as_secs_f64(),
        errors,
    };
    report.print();
    let out = root.join("target/bench");
    report.write(&out, &samples)?;
    println!("report: {} (and report.json)", out.join("report.md").display());
    if report.errors.is_empty() { Ok(()) } else { Err(format!("{} part(s) failed", report.errors.len())) }
}

/// Build and pack the npm package and install it, esbuild, openai and Playwright next to the scripts.
fn prepare_scripts(toolchain: &Toolchain) -> Result<PathBuf, String> {
    let package = crate::package::build(toolchain)?;
    println!("package (gzip -9, every file on its own): wasm {} + JS {} bytes", package.wasm_gzip, package.js_gzip);
    let bench = package.dir.with_file_name("bench");
    crate::test::copy_dir(&crate::root().join("crates/xtask/bench"), &bench)?;
    // A fresh install of the new tarball, not a cached copy of the last one.
    let _ = std::fs::remove_file(bench.join("package-lock.json"));
    let _ = std::fs::remove_dir_all(bench.join("node_modules/@sora-studio"));
    run_checked(
        Command::new("npm").args(["install", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&bench),
    )?;
    Ok(bench)
}

fn emulator_binary() -> Result<PathBuf, String> {
    let root = crate::root();
    run_checked(Command::new("cargo").args(["build", "--locked", "-p", "sora-emulator"]).current_dir(&root))?;
    Ok(root.join("target/debug/sora-emulator"))
}

/// P3 on one emulator per timing profile: no rate or slot limits, so only the polling strategies differ.
fn p3(bench: &Path, logs: &Path, options: &Options, samples: &mut Samples) -> Result<(), String> {
    let binary = emulator_binary()?;
    let (speed, seed) = (options.p3_speed.to_string(), options.p3_seed.to_string());
    let mut emulators = Vec::new();
    for profile in &options.p3_profiles {
        let flags = [
            "--api-key",
            KEY,
            "--speed",
            &speed,
            "--rpm",
            "0",
            "--max-running",
            "100000",
            "--timing",
            profile,
            "--seed",
            &seed,
        ];
        let log = logs.join(format!("bench-p3-{profile}-emulator.log"));
        emulators.push((profile, Emulator::start(&binary, "127.0.0.1:0", &flags, &log)?));
    }
    let mut node = Command::new("node");
    node.args(["polling.mjs", KEY, &options.runs.to_string()]);
    for (profile, emulator) in &emulators {
        node.arg(format!("{profile}={}", emulator.url));
    }
    samples.run(node.current_dir(bench), "polling.mjs")
}

/// P3 for the Videos API: two emulators, with and without the poll hint, the same workload on each.
fn p3_videos(bench: &Path, logs: &Path, options: &Options, samples: &mut Samples) -> Result<(), String> {
    let binary = emulator_binary()?;
    let speed = options.p3_speed.to_string();
    let flags = ["--api-key", KEY, "--speed", &speed, "--rpm", "0", "--max-running", "100000"];
    let mut emulators = Vec::new();
    for name in ["hint", "no_hint"] {
        let log = logs.join(format!("bench-p3-videos-{name}-emulator.log"));
        emulators.push((name, Emulator::start(&binary, "127.0.0.1:0", &flags, &log)?));
    }
    // The script turns the hint off on the second through its admin token.
    let mut node = Command::new("node");
    node.args(["polling-videos.mjs", KEY, &emulators[0].1.admin_token, &options.runs.to_string()]);
    for (name, emulator) in &emulators {
        node.arg(format!("{name}={}", emulator.url));
    }
    samples.run(node.current_dir(bench), "polling-videos.mjs")
}

/// P2, P4 and P5 against the release studio served by an emulator.
fn studio_figures(
    toolchain: &Toolchain,
    bench: &Path,
    logs: &Path,
    figures: &[&str],
    options: &Options,
    samples: &mut Samples,
) -> Result<(), String> {
    let root = crate::root();
    let dist = match &options.dist {
        Some(dist) => dist.clone(),
        None => {
            // The same release build `cargo xtask serve` and the tests use.
            crate::serve::build_studio(toolchain)?;
            root.join("dist")
        }
    };
    let flags = [
        "--api-key",
        KEY,
        "--speed",
        STUDIO_SPEED,
        "--rpm",
        "0",
        "--max-running",
        "100",
        "--static-dir",
        &dist.to_string_lossy(),
    ];
    let emulator =
        Emulator::start(&emulator_binary()?, "127.0.0.1:0", &flags, &logs.join("bench-studio-emulator.log"))?;
    let mut node = Command::new("node");
    node.arg("studio.mjs")
        .arg(&emulator.url)
        .env("SORA_EMULATOR_ADMIN_TOKEN", &emulator.admin_token)
        .args(["--figures", &figures.join(",")])
        .args(["--runs", &options.runs.to_string()])
        .args(["--p5-runs", &options.p5_runs().to_string()])
        .args(["--cycles", &options.cycles.to_string()])
        .args(["--rpm", &P5_REQUESTS_PER_MINUTE.to_string()])
        .args(["--warmup", &P5_WARMUP_CYCLES.to_string()])
        .current_dir(bench);
    samples.run(&mut node, "studio.mjs")
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Options;

    #[derive(Parser)]
    struct Bench {
        #[command(flatten)]
        options: Options,
    }

    fn parse(list: &[&str]) -> Result<Options, clap::Error> {
        Bench::try_parse_from(std::iter::once("bench").chain(list.iter().copied())).map(|b| b.options.resolved())
    }

    #[test]
    fn defaults_to_every_figure_five_runs() {
        let o = parse(&[]).unwrap();
        assert_eq!((o.figures.len(), o.runs, o.p5_runs(), o.cycles), (7, 5, 5, 100));
        assert_eq!(parse(&["--runs", "3"]).unwrap().p5_runs(), 3);
    }

    #[test]
    fn selects_figures_and_counts() {
        let o = parse(&["p1", "--runs", "7", "p3", "--p5-runs", "2", "--cycles", "10"]).unwrap();
        assert_eq!(o.figures, ["p1", "p3"]);
        assert_eq!((o.runs, o.p5_runs(), o.cycles), (7, 2, 10));
        assert!(parse(&["p9"]).is_err());
        assert!(parse(&["--runs", "0"]).is_err());
        assert!(parse(&["--runs"]).is_err());
        assert!(parse(&["--dist"]).is_err());
        let o = parse(&["p3", "--p3-profiles", "fast,noisy", "--p3-seed", "9"]).unwrap();
        assert_eq!((o.p3_profiles.join(","), o.p3_seed), ("fast,noisy".to_owned(), 9));
        assert_eq!(parse(&[]).unwrap().p3_profiles, ["default", "fast", "noisy"]);
        assert!(parse(&["--p3-profiles", "fast,slow"]).is_err());
    }
}
