//! Running commands, and emulators that stop when dropped.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Run a command with inherited output; fail with its name when it fails.
pub fn run_checked(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("cannot start {}: {e}", describe(command)))?;
    if status.success() { Ok(()) } else { Err(format!("{} failed ({status})", describe(command))) }
}

/// Run a command, echo its output, and return the output too (to count test results).
pub fn run_teed(command: &mut Command) -> (bool, String) {
    let mut child = match command.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn() {
        Ok(child) => child,
        Err(e) => {
            eprintln!("cannot start {}: {e}", describe(command));
            return (false, String::new());
        }
    };
    let mut seen = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            seen.push_str(&line);
            seen.push('\n');
        }
    }
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    (ok, seen)
}

/// The first line a command prints, or None when it cannot run.
pub fn output_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).lines().next().map(str::to_owned)
}

fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// The admin token xtask's emulators are started with. Fixed, so the browser tests (built with it)
/// are not rebuilt every run; they are loopback-only test emulators.
pub const ADMIN_TOKEN: &str = "xtask-test-admin-token";

/// A running emulator, killed when dropped so no test run leaves one behind.
pub struct Emulator {
    child: Child,
    pub url: String,
    /// What its `/admin` calls must send in `x-admin-token`.
    pub admin_token: String,
}

impl Emulator {
    /// Start the emulator binary on a free loopback port with extra flags and wait until it listens.
    /// Its request log goes to `log`.
    pub fn start(binary: &Path, listen: &str, flags: &[&str], log: &Path) -> Result<Self, String> {
        let log = std::fs::File::create(log).map_err(|e| format!("cannot create {}: {e}", log.display()))?;
        let mut child = Command::new(binary)
            .arg("--listen")
            .arg(listen)
            .args(["--admin-token", ADMIN_TOKEN])
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start the emulator {}: {e}", binary.display()))?;
        let mut stdout = child.stdout.take().ok_or("the emulator has no stdout")?;
        let mut first = Vec::new();
        let mut byte = [0u8; 1];
        while stdout.read(&mut byte).map_err(|e| e.to_string())? == 1 && byte[0] != b'\n' {
            first.push(byte[0]);
        }
        let line = String::from_utf8_lossy(&first).into_owned();
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .ok_or_else(|| format!("the emulator did not say where it listens (it printed {line:?})"))?
            .trim_end_matches('/')
            .to_owned();
        // Keep draining stdout so the emulator never blocks on a full pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        Ok(Self { child, url, admin_token: ADMIN_TOKEN.to_owned() })
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
