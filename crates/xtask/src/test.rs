//! `cargo xtask test`: every test suite, against real emulators and a real browser.

use std::path::PathBuf;
use std::process::Command;

use crate::process::{ADMIN_TOKEN, Emulator, run_checked};

mod lint;
mod litellm;
mod outcome;

use crate::setup::Toolchain;
use litellm::LiteLlmProxy;
use outcome::{Outcome, conformance_suite, report, suite};

/// The key the emulators are started with; the browser tests are built with it.
const KEY: &str = "emulator-key";

/// The suites, by the names `cargo xtask test SUITE...` selects them with (kebab-case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Suite {
    Native,
    Conformance,
    RealClients,
    ClientBrowser,
    Npm,
    ClientFaults,
    StudioComponents,
    StudioE2e,
    StudioFaults,
    Fuzz,
    Lint,
}

pub fn run(suites: &[Suite]) -> Result<(), String> {
    // No names: every suite (what CI runs).
    let wanted = |suite: Suite| suites.is_empty() || suites.contains(&suite);
    let started = std::time::Instant::now();
    let toolchain = crate::setup::run()?;
    let root = crate::root();
    let logs = root.join("target").join("test-logs");
    std::fs::create_dir_all(&logs).map_err(|e| e.to_string())?;
    use_own_registry(&root.join("target").join("cargo-home"))?;
    // The studio is built first, as `cargo xtask serve` builds it on a brand-new machine: trunk's
    // `--offline` build then meets a registry cache that no other wasm build has filled.
    let studio = (wanted(Suite::StudioE2e) || wanted(Suite::StudioFaults)).then(|| build_studio(&toolchain));

    let mut outcomes = Vec::new();
    if wanted(Suite::Native) {
        outcomes.push(suite(
            "native unit and emulator HTTP tests",
            Command::new("cargo").args(["test", "--locked", "--no-fail-fast"]).current_dir(&root),
        ));
    }

    run_checked(Command::new("cargo").args(["build", "--locked", "-p", "sora-emulator"]).current_dir(&root))?;
    let emulator_bin = root.join("target").join("debug").join("sora-emulator");

    if wanted(Suite::Conformance) {
        // Conformance: generous limits so the generated requests test the API, not the rate limiter.
        let flags = ["--api-key", KEY, "--rpm", "1000000", "--max-running", "100000", "--speed", "1000"];
        let emulator = Emulator::start(&emulator_bin, "127.0.0.1:0", &flags, &logs.join("conformance-emulator.log"))?;
        let mut command = Command::new("bash");
        command
            .arg(root.join("conformance/run.sh"))
            .arg(&emulator.url)
            .env("SCHEMATHESIS_VENV", &toolchain.venv)
            .env("SORA_EMULATOR_ADMIN_TOKEN", &emulator.admin_token);
        outcomes.push(conformance_suite(command.current_dir(&root)));
    }

    if wanted(Suite::RealClients) {
        outcomes.push(real_clients_suite(&toolchain, &emulator_bin, &logs));
    }

    // The packed npm package installed into a consumer folder, shared by the npm and fault suites.
    let consumer = (wanted(Suite::Npm) || wanted(Suite::ClientFaults)).then(|| npm_consumer(&toolchain));
    if wanted(Suite::ClientBrowser) || wanted(Suite::Npm) || wanted(Suite::StudioComponents) {
        // The wasm tests call admin from the test runner's page, another origin: fix the runner's
        // address and allow exactly that origin.
        let runner = free_loopback_address()?;
        let runner_origin = format!("http://{runner}");
        let flags = ["--api-key", KEY, "--speed", "50", "--rpm", "6000", "--admin-origin", &runner_origin];
        let emulator = Emulator::start(&emulator_bin, "127.0.0.1:0", &flags, &logs.join("browser-emulator.log"))?;
        if wanted(Suite::ClientBrowser) {
            outcomes.push(suite(
                "headless Chromium (sora-client)",
                &mut browser_tests(
                    &toolchain,
                    &emulator,
                    &runner,
                    &[
                        "-p",
                        "sora-client",
                        "--test",
                        "browser_smoke",
                        "--test",
                        "browser_api",
                        "--test",
                        "browser_faults",
                        "--test",
                        "browser_security",
                        "--test",
                        "browser_endpoint",
                        "--test",
                        "browser_http_dates",
                    ],
                ),
            ));
        }
        if let (true, Some(consumer)) = (wanted(Suite::Npm), &consumer) {
            outcomes.push(npm_package_suite(&toolchain, consumer, &emulator, &logs));
        }
        if wanted(Suite::StudioComponents) {
            outcomes.push(suite(
                "headless Chromium (studio components)",
                &mut browser_tests(&toolchain, &emulator, &runner, &["-p", "sora-studio"]),
            ));
        }
    }

    if let (true, Some(consumer)) = (wanted(Suite::ClientFaults), &consumer) {
        outcomes.push(client_faults_suite(consumer, &emulator_bin, &logs));
    }

    // Both studio suites drive the same trunk build.
    if let (true, Some(built)) = (wanted(Suite::StudioE2e), &studio) {
        outcomes.push(studio_e2e_suite(built, &emulator_bin, &logs));
        outcomes.push(studio_videos_suite(&toolchain, built, &emulator_bin, &logs));
    }
    if let (true, Some(built)) = (wanted(Suite::StudioFaults), &studio) {
        outcomes.push(studio_faults_suite(built, &emulator_bin, &logs));
    }
    if wanted(Suite::Fuzz) {
        outcomes.push(fuzz_smoke_suite());
    }
    if wanted(Suite::Lint) {
        outcomes.extend(lint::suites(&toolchain));
    }

    report(&outcomes, started)
}

/// The official `openai` SDK against the emulator, directly and through a real LiteLLM proxy that
/// the script starts (and stops, with its process group) itself; one line per case.
fn real_clients_suite(toolchain: &Toolchain, emulator_bin: &std::path::Path, logs: &std::path::Path) -> Outcome {
    let name = "real clients (openai SDK, LiteLLM proxy)";
    // Fast enough that a 4 s 720x1280 job takes about 1.4 s, slow enough that the SDK polls it a few
    // times on the emulator's `openai-poll-after-ms` (a quarter of the time left, at least 250 ms).
    let flags = ["--api-key", KEY, "--rpm", "0", "--max-running", "1000", "--speed", "50"];
    match Emulator::start(emulator_bin, "127.0.0.1:0", &flags, &logs.join("real-clients-emulator.log")) {
        Ok(emulator) => {
            let folder = logs.join("real-clients");
            // A fresh folder: the proxy's log and details.log of this run only.
            let _ = std::fs::remove_dir_all(&folder);
            let mut command = Command::new(toolchain.clients_venv.join("bin/python"));
            command
                .arg(crate::root().join("conformance/real-clients/run.py"))
                .arg(&emulator.url)
                .arg("--logs")
                .arg(&folder)
                .env("SORA_EMULATOR_KEY", KEY)
                .env("SORA_EMULATOR_ADMIN_TOKEN", &emulator.admin_token);
            suite(name, &mut command)
        }
        Err(message) => Outcome::not_started(name, &message),
    }
}

/// A loopback address with a port that is free right now (for the wasm test runner's page).
fn free_loopback_address() -> Result<String, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot find a free port: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    Ok(address.to_string())
}

fn browser_tests(toolchain: &Toolchain, emulator: &Emulator, runner: &str, selection: &[&str]) -> Command {
    let mut command = Command::new("cargo");
    command
        .args(["test", "--locked", "--no-fail-fast", "--target", "wasm32-unknown-unknown"])
        .args(selection)
        .current_dir(crate::root())
        .env("CHROMEDRIVER", chromedriver())
        // The runner's default of 20 s per test file is too short for real jobs and real retry waits.
        .env("WASM_BINDGEN_TEST_TIMEOUT", "300")
        .env("WASM_BINDGEN_TEST_ADDRESS", runner)
        .env("SORA_EMULATOR_URL", &emulator.url)
        .env("SORA_EMULATOR_KEY", KEY)
        .env("SORA_EMULATOR_ADMIN_TOKEN", &emulator.admin_token);
    toolchain.wasm(&mut command);
    command
}

/// Build and pack the npm package and install the tarball into a consumer folder (`npm-test`).
fn npm_consumer(toolchain: &Toolchain) -> Result<PathBuf, String> {
    let package = crate::package::build(toolchain)?;
    let consumer = package.dir.with_file_name("consumer");
    copy_dir(&crate::root().join("crates/sora-client-js/npm-test"), &consumer)?;
    // The pasted-endpoint table the Rust tests read, for the JS binding to be checked against.
    let forms = crate::root().join("crates/sora-client/tests/common/endpoint_forms.tsv");
    std::fs::copy(&forms, consumer.join("endpoint_forms.tsv"))
        .map_err(|e| format!("cannot copy {}: {e}", forms.display()))?;
    // A fresh install of the new tarball, not a cached copy of the last one.
    let _ = std::fs::remove_file(consumer.join("package-lock.json"));
    let _ = std::fs::remove_dir_all(consumer.join("node_modules/@sora-studio"));
    run_checked(
        Command::new("npm").args(["install", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&consumer),
    )?;
    Ok(consumer)
}

/// Drive the installed package in Chromium (typed, bundled, window and Worker), directly against the
/// emulator and through a real LiteLLM proxy in front of it.
fn npm_package_suite(
    toolchain: &Toolchain,
    consumer: &Result<PathBuf, String>,
    emulator: &Emulator,
    logs: &std::path::Path,
) -> Outcome {
    let name = "npm package (tsc, esbuild, Chromium, Worker)";
    let consumer = match consumer {
        Ok(consumer) => consumer,
        Err(message) => return Outcome::not_started(name, message),
    };
    let mut command = Command::new("node");
    command.arg("run.mjs").arg(&emulator.url).arg(KEY).current_dir(consumer);
    let folder = logs.join("npm-litellm");
    // A fresh folder: this run's proxy log and config only.
    let _ = std::fs::remove_dir_all(&folder);
    // Kept alive (and stopped on drop) around the run. A proxy that cannot start is not a skip:
    // run.mjs fails each of its checks with the reason.
    let proxy = LiteLlmProxy::start(toolchain, &emulator.url, KEY, &folder);
    command.args(litellm::script_args(&proxy));
    suite(name, &mut command)
}

/// The client fault matrix: one emulator per row (started by the script), the package in Chromium.
fn client_faults_suite(
    consumer: &Result<PathBuf, String>,
    emulator_bin: &std::path::Path,
    logs: &std::path::Path,
) -> Outcome {
    let name = "client fault matrix (npm package, Chromium)";
    match consumer {
        Ok(consumer) => {
            let mut command = Command::new("node");
            // The script starts its own emulators with this token.
            command
                .arg("faults.mjs")
                .arg(emulator_bin)
                .arg("--report")
                .arg(logs.join("fault-matrix-client.json"))
                .args(["--admin-token", ADMIN_TOKEN])
                .env("SORA_EMULATOR_ADMIN_TOKEN", ADMIN_TOKEN);
            suite(name, command.current_dir(consumer))
        }
        Err(message) => Outcome::not_started(name, message),
    }
}

/// Build the studio with trunk (into `dist/`) and install the Playwright scripts' packages.
fn build_studio(toolchain: &Toolchain) -> Result<PathBuf, String> {
    let root = crate::root();
    crate::serve::build_studio(toolchain)?;
    let e2e = root.join("web/e2e");
    run_checked(
        Command::new("npm").args(["install", "--no-audit", "--no-fund", "--loglevel=error"]).current_dir(&e2e),
    )?;
    Ok(e2e)
}

/// Serve the built studio from an emulator and drive it like a person with Playwright.
fn studio_e2e_suite(
    built: &Result<PathBuf, String>,
    emulator_bin: &std::path::Path,
    logs: &std::path::Path,
) -> Outcome {
    let name = "studio end to end (Playwright, axe)";
    let dist = crate::root().join("dist");
    let prepared = built.clone().and_then(|e2e| {
        let flags = ["--api-key", KEY, "--speed", "20", "--rpm", "6000", "--static-dir", &dist.to_string_lossy()];
        Emulator::start(emulator_bin, "127.0.0.1:0", &flags, &logs.join("studio-emulator.log")).map(|e| (e, e2e))
    });
    match prepared {
        Ok((emulator, e2e)) => {
            let shots = logs.join("screenshots");
            let mut command = Command::new("node");
            command
                .arg("studio.e2e.mjs")
                .arg(&emulator.url)
                .arg("--screenshots")
                .arg(&shots)
                .args(["--admin-token", &emulator.admin_token])
                .env("SORA_EMULATOR_ADMIN_TOKEN", &emulator.admin_token)
                .current_dir(e2e);
            suite(name, &mut command)
        }
        Err(message) => Outcome::not_started(name, &message),
    }
}

/// The studio on the Videos API (`web/e2e/videos.e2e.mjs`): the same build, an emulator of its own,
/// and a real LiteLLM proxy in front of it (another origin). A proxy that cannot start is not a
/// skip: the script fails its proxy tests with the reason.
fn studio_videos_suite(
    toolchain: &Toolchain,
    built: &Result<PathBuf, String>,
    emulator_bin: &std::path::Path,
    logs: &std::path::Path,
) -> Outcome {
    let name = "studio Videos API (Playwright, LiteLLM)";
    let e2e = match built {
        Ok(e2e) => e2e,
        Err(message) => return Outcome::not_started(name, message),
    };
    let dist = crate::root().join("dist");
    let flags = ["--api-key", KEY, "--speed", "20", "--rpm", "6000", "--static-dir", &dist.to_string_lossy()];
    let log = logs.join("studio-videos-emulator.log");
    let emulator = match Emulator::start(emulator_bin, "127.0.0.1:0", &flags, &log) {
        Ok(emulator) => emulator,
        Err(message) => return Outcome::not_started(name, &message),
    };
    let mut command = Command::new("node");
    command
        .arg("videos.e2e.mjs")
        .arg(&emulator.url)
        .arg("--screenshots")
        .arg(logs.join("screenshots"))
        .args(["--admin-token", &emulator.admin_token])
        .env("SORA_EMULATOR_ADMIN_TOKEN", &emulator.admin_token)
        .current_dir(e2e);
    let folder = logs.join("studio-litellm");
    let _ = std::fs::remove_dir_all(&folder);
    // Stopped on drop, before the emulator behind it.
    let proxy = LiteLlmProxy::start(toolchain, &emulator.url, KEY, &folder);
    command.args(litellm::script_args(&proxy));
    suite(name, &mut command)
}

/// The studio fault matrix: the script starts (kills, restarts) its own emulator per row.
fn studio_faults_suite(
    built: &Result<PathBuf, String>,
    emulator_bin: &std::path::Path,
    logs: &std::path::Path,
) -> Outcome {
    let name = "studio fault matrix (Playwright)";
    match built {
        Ok(e2e) => {
            let mut command = Command::new("node");
            command
                .arg("faults.e2e.mjs")
                .arg(emulator_bin)
                .arg(crate::root().join("dist"))
                .arg("--report")
                .arg(logs.join("fault-matrix-studio.json"))
                .arg("--screenshots")
                .arg(logs.join("screenshots"))
                .args(["--admin-token", ADMIN_TOKEN])
                .env("SORA_EMULATOR_ADMIN_TOKEN", ADMIN_TOKEN)
                .current_dir(e2e);
            suite(name, &mut command)
        }
        Err(message) => Outcome::not_started(name, message),
    }
}

/// Run every fuzz target briefly (the long runs are recorded in the fuzz README).
fn fuzz_smoke_suite() -> Outcome {
    let script = crate::root().join("crates/sora-client/fuzz/fuzz.sh");
    suite("fuzz targets (smoke)", Command::new("bash").arg(script).arg("smoke"))
}

/// Run the test's cargo builds with a registry cache of their own, empty in a fresh clone.
///
/// A developer's or CI's registry cache holds crates from earlier builds, which hides a missing
/// download step: the studio's `--offline` build once passed every CI run here and failed on a
/// brand-new machine. Installed tools (`bin`) and cargo's configuration are kept.
fn use_own_registry(home: &std::path::Path) -> Result<(), String> {
    let user_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    std::fs::create_dir_all(home).map_err(|e| format!("cannot create {}: {e}", home.display()))?;
    let bin = home.join("bin");
    if !bin.exists() {
        std::os::unix::fs::symlink(user_home.join("bin"), &bin)
            .map_err(|e| format!("cannot link {}: {e}", bin.display()))?;
    }
    for file in ["config.toml", "config", "credentials.toml"] {
        if user_home.join(file).is_file() {
            std::fs::copy(user_home.join(file), home.join(file))
                .map_err(|e| format!("cannot copy cargo's {file}: {e}"))?;
        }
    }
    println!("test builds use their own registry cache: {}", home.display());
    // SAFETY: xtask is single-threaded here; every command started after this inherits it.
    unsafe { std::env::set_var("CARGO_HOME", home) };
    Ok(())
}

pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())?.flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

fn chromedriver() -> PathBuf {
    std::env::var_os("CHROMEDRIVER").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"))
}
