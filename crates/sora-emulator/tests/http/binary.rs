//! The `sora-emulator` binary: first stdout line, request logging and `--help`.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_sora-emulator");

#[tokio::test]
async fn prints_the_bound_address_first_and_logs_requests() {
    let mut child = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0", "--api-key", "secret-key-123"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the binary");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let addr = first.trim().strip_prefix("sora-emulator listening on http://").expect(&first).to_owned();
    assert!(!addr.ends_with(":0"), "{addr}");
    let client = crate::common::client();
    let response = client
        .get(format!("http://{addr}/openai/v1/video/generations/jobs?limit=1"))
        .header("api-key", "secret-key-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let request_id = response.headers()["apim-request-id"].to_str().unwrap().to_owned();
    child.kill().unwrap();
    child.wait().unwrap();
    let mut log = String::new();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    let line = log.lines().find(|l| l.contains(&request_id)).expect(&log);
    assert!(line.starts_with("GET /openai/v1/video/generations/jobs?limit=1 200 "), "{line}");
    assert!(!log.contains("secret-key-123"), "the key is never logged");
}

#[tokio::test]
async fn without_admin_token_a_random_one_is_printed_on_stderr() {
    let mut child = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the binary");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let base = first.trim().strip_prefix("sora-emulator listening on ").expect(&first).to_owned();
    let mut line = String::new();
    // Kept open until the end: the emulator logs every request to stderr.
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    stderr.read_line(&mut line).unwrap();
    let token = line.trim().strip_prefix("admin token: ").expect(&line).to_owned();
    assert_eq!(token.len(), 64, "{token}");
    let client = crate::common::client();
    let config = |token: &str| client.get(format!("{base}/admin/config")).header("x-admin-token", token).send();
    assert_eq!(config(&token).await.unwrap().status(), 200);
    assert_eq!(config("emulator-key").await.unwrap().status(), 401);
    child.kill().unwrap();
    child.wait().unwrap();
    drop(stderr);
}

#[test]
fn help_documents_every_flag() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--listen",
        "--api-key",
        "--speed",
        "--rpm",
        "--max-running",
        "--ttl-seconds",
        "--static-dir",
        "--fail-429",
        "--fail-500",
        "--fail-503",
        "--latency-ms",
        "--reset",
        "--malformed",
        "--truncate",
        "--slow-body",
        "--clock-skew-secs",
        "--state-file",
        "--admin-token",
        "--admin-origin",
        "--private-network-access",
        "x-admin-token",
        "slow_body",
        "reset_body",
        "bytes_per_sec",
        "clock_skew_secs",
        "input_moderation",
        "__internal_error__",
        "/admin/faults",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
}
