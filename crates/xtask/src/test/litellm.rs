//! A real LiteLLM proxy in front of an emulator, for suites outside the Python one (the npm package
//! in Chromium, the studio's Playwright run).
//!
//! It is started through `conformance/real-clients/serve_proxy.py`, which writes the same config the
//! Python suite uses (`litellm_proxy.py`), so every suite proxies the same models the same way.
//!
//! ```ignore
//! let proxy = LiteLlmProxy::start(&toolchain, &emulator.url, KEY, &logs.join("npm-litellm"));
//! // `--litellm <base-url> <master-key> openai=sora-openai,azure=sora-azure`, or `--litellm-error <why>`:
//! command.args(litellm::script_args(&proxy));
//! // Or by hand: proxy.base_url(), proxy.master_key(), proxy.models().
//! // The proxy stops when `proxy` is dropped: keep it alive while the suite runs.
//! ```

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::setup::Toolchain;

/// LiteLLM's own readiness wait is 180 s (`litellm_proxy.READY_TIMEOUT_S`); this only guards against
/// a launcher that hangs without exiting.
const START_TIMEOUT: Duration = Duration::from_secs(240);
/// The launcher gives the proxy 20 s to stop on SIGTERM before it kills it.
const STOP_TIMEOUT: Duration = Duration::from_secs(30);

/// One model the proxy serves, and the LiteLLM provider it is routed through (`openai` or `azure`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProxyModel {
    pub name: String,
    pub provider: String,
}

/// The JSON line the launcher prints once the proxy answers.
#[derive(Debug, Clone, Deserialize)]
struct Started {
    /// `http://127.0.0.1:PORT`.
    origin: String,
    base_url: String,
    master_key: String,
    models: Vec<ProxyModel>,
    /// The proxy's process (and process group: it runs in a session of its own).
    pid: u32,
}

impl Started {
    fn parse(line: &str) -> Result<Self, String> {
        let started: Started = serde_json::from_str(line)
            .map_err(|e| format!("the LiteLLM launcher printed {line:?}, not its JSON line: {e}"))?;
        // It holds a key: it must listen on loopback only.
        if !started.origin.starts_with("http://127.0.0.1:") || started.base_url != format!("{}/v1", started.origin) {
            return Err(format!("the LiteLLM proxy is not on loopback as expected: {line}"));
        }
        for provider in ["openai", "azure"] {
            if !started.models.iter().any(|m| m.provider == provider) {
                return Err(format!("the LiteLLM proxy serves no {provider}/ model: {line}"));
            }
        }
        if started.master_key.is_empty() || started.pid == 0 {
            return Err(format!("the LiteLLM launcher's line lacks a master key or a pid: {line}"));
        }
        Ok(started)
    }
}

/// A running LiteLLM proxy; it and its launcher are stopped when this is dropped.
pub struct LiteLlmProxy {
    // Held for its Drop.
    _launcher: Launcher,
    started: Started,
}

impl LiteLlmProxy {
    /// Start a proxy on a free loopback port with models routed to the emulator at `emulator_base`
    /// (its origin, e.g. `http://127.0.0.1:8787`), which takes `emulator_key`, and wait until it answers.
    /// `folder` gets its `config.yaml` and `proxy.log`.
    pub fn start(
        toolchain: &Toolchain,
        emulator_base: &str,
        emulator_key: &str,
        folder: &Path,
    ) -> Result<Self, String> {
        std::fs::create_dir_all(folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        let python = toolchain.clients_venv.join("bin/python");
        let script = crate::root().join("conformance/real-clients/serve_proxy.py");
        Self::start_with(Command::new(&python).arg(script), emulator_base, emulator_key, folder)
    }

    /// The launcher is `program` (a test gives a stand-in), with the launcher's arguments added.
    fn start_with(
        program: &mut Command,
        emulator_base: &str,
        emulator_key: &str,
        folder: &Path,
    ) -> Result<Self, String> {
        let mut child = program
            .arg(emulator_base)
            .args(["--emulator-key", emulator_key, "--logs"])
            .arg(folder)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the LiteLLM launcher {:?}: {e}", program.get_program()))?;
        // Its stdin is its lifeline: closed (by Drop, or by this process dying), it stops the proxy.
        let stdin = child.stdin.take();
        let stdout = child.stdout.take();
        let mut launcher = Launcher { child, stdin, proxy_group: None };
        let stdout = stdout.ok_or("the LiteLLM launcher has no stdout")?;
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = sender.send(lines.next().and_then(Result::ok));
            // Keep draining, so the launcher never blocks on a full pipe.
            for _ in lines {}
        });
        let line = match receiver.recv_timeout(START_TIMEOUT) {
            Ok(Some(line)) => line,
            Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = launcher.child.wait().map_or_else(|e| e.to_string(), |s| s.to_string());
                return Err(format!(
                    "the LiteLLM proxy did not start (its launcher exited {status}; see above and {})",
                    folder.join("proxy.log").display()
                ));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(format!("the LiteLLM launcher said nothing for {} s", START_TIMEOUT.as_secs()));
            }
        };
        let started = Started::parse(&line)?;
        launcher.proxy_group = Some(started.pid);
        println!("LiteLLM proxy at {} (log: {})", started.base_url, folder.join("proxy.log").display());
        Ok(Self { _launcher: launcher, started })
    }

    /// The OpenAI-compatible base URL, `http://127.0.0.1:PORT/v1`: an `openai-videos` client's endpoint.
    pub fn base_url(&self) -> &str {
        &self.started.base_url
    }

    /// The key clients send as `Authorization: Bearer`.
    pub fn master_key(&self) -> &str {
        &self.started.master_key
    }

    /// The models routed to the emulator: one per provider (`openai`, `azure`).
    pub fn models(&self) -> &[ProxyModel] {
        &self.started.models
    }
}

/// A script's arguments for a proxy that started, `--litellm <base-url> <master-key>
/// <provider=model,...>`, or for one that did not, `--litellm-error <why>`: a script given the latter
/// fails its proxy tests with the reason (never a skip).
pub fn script_args(proxy: &Result<LiteLlmProxy, String>) -> Vec<String> {
    match proxy {
        Ok(proxy) => {
            let models: Vec<String> = proxy.models().iter().map(|m| format!("{}={}", m.provider, m.name)).collect();
            vec!["--litellm".into(), proxy.base_url().into(), proxy.master_key().into(), models.join(",")]
        }
        Err(message) => vec!["--litellm-error".into(), message.clone()],
    }
}

/// The launcher process; stopped (and the proxy with it) when dropped, even half-started.
struct Launcher {
    child: Child,
    stdin: Option<ChildStdin>,
    proxy_group: Option<u32>,
}

impl Drop for Launcher {
    fn drop(&mut self) {
        // End of its stdin: the launcher stops the proxy's process group and exits.
        drop(self.stdin.take());
        let deadline = Instant::now() + STOP_TIMEOUT;
        let stopped = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status.success(),
                Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
                _ => break false,
            }
        };
        if !stopped {
            let _ = self.child.kill();
            let _ = self.child.wait();
            // The launcher could not stop it: kill the proxy's own group (it is in a session of its own).
            if let Some(group) = self.proxy_group {
                let _ = Command::new("kill").args(["-KILL", "--", &format!("-{group}")]).stderr(Stdio::null()).status();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The pid is above Linux's largest pid_max (2^22): a kill of that group can reach no process.
    const LINE: &str = r#"{"origin": "http://127.0.0.1:4000", "base_url": "http://127.0.0.1:4000/v1", "master_key": "sk-x", "models": [{"name": "sora-openai", "provider": "openai"}, {"name": "sora-azure", "provider": "azure"}], "pid": 4194305, "log": "/tmp/proxy.log"}"#;

    #[test]
    fn reads_the_launchers_line() {
        let started = Started::parse(LINE).unwrap();
        assert_eq!(
            (started.base_url.as_str(), started.master_key.as_str(), started.pid),
            ("http://127.0.0.1:4000/v1", "sk-x", 4194305)
        );
        assert_eq!(started.models[1], ProxyModel { name: "sora-azure".into(), provider: "azure".into() });
    }

    #[test]
    fn refuses_a_line_that_is_not_a_usable_loopback_proxy() {
        assert!(Started::parse("litellm: ready").unwrap_err().contains("not its JSON line"));
        let public = LINE.replace("127.0.0.1", "0.0.0.0");
        assert!(Started::parse(&public).unwrap_err().contains("loopback"));
        let no_azure = LINE.replace(r#""provider": "azure""#, r#""provider": "openai""#);
        assert!(Started::parse(&no_azure).unwrap_err().contains("no azure/ model"));
        assert!(Started::parse(&LINE.replace("sk-x", "")).unwrap_err().contains("master key"));
    }

    /// A stand-in launcher: prints `line`, then records its end of stdin and exits.
    fn stand_in(line: &str, marker: &Path) -> Command {
        let script = format!("printf '%s\\n' '{line}'; cat >/dev/null; touch '{}'", marker.display());
        let mut command = Command::new("sh");
        // `sh -c SCRIPT NAME ARGS…`: the launcher's arguments land in $0 and $@, unused.
        command.args(["-c", &script]);
        command
    }

    #[test]
    fn the_guard_gives_the_proxy_and_closes_the_launchers_stdin_on_drop() {
        let folder = std::env::temp_dir().join(format!("xtask-litellm-test-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let marker = folder.join("stdin-closed");
        let proxy = LiteLlmProxy::start_with(&mut stand_in(LINE, &marker), "http://127.0.0.1:1", "k", &folder);
        let started = proxy.as_ref().unwrap();
        assert_eq!((started.base_url(), started.master_key()), ("http://127.0.0.1:4000/v1", "sk-x"));
        assert_eq!(started.models().iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["sora-openai", "sora-azure"]);
        assert_eq!(
            script_args(&proxy),
            ["--litellm", "http://127.0.0.1:4000/v1", "sk-x", "openai=sora-openai,azure=sora-azure"]
        );
        assert!(!marker.exists(), "the launcher saw its stdin end before the guard was dropped");
        drop(proxy);
        assert!(marker.exists(), "dropping the guard did not end the launcher's stdin");
        let _ = std::fs::remove_dir_all(&folder);
    }

    #[test]
    fn a_launcher_that_exits_without_its_line_is_an_error() {
        let folder = std::env::temp_dir().join(format!("xtask-litellm-fail-{}", std::process::id()));
        let mut failing = Command::new("sh");
        failing.args(["-c", "exit 1"]);
        let error = LiteLlmProxy::start_with(&mut failing, "http://127.0.0.1:1", "k", &folder).err().unwrap();
        assert!(error.contains("did not start") && error.contains("exit status: 1"), "{error}");
        assert_eq!(script_args(&Err(error.clone())), ["--litellm-error".to_owned(), error]);
    }
}
