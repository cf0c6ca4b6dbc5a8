//! `--state-file`: jobs survive `kill -9` and a restart on the same port; without it they are gone.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{Emu, client, generation_id, json_of, png, small};

const BINARY: &str = env!("CARGO_BIN_EXE_sora-emulator");

/// A running emulator process (killed with SIGKILL when dropped).
pub(crate) struct Process {
    child: Child,
    pub(crate) emu: Emu,
    pub(crate) addr: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary on `listen` with extra arguments and waits for its first line.
pub(crate) fn start(listen: &str, extra: &[&str]) -> Process {
    let mut child = Command::new(BINARY)
        .args(["--listen", listen, "--rpm", "0", "--max-running", "10"])
        .args(["--admin-token", crate::common::ADMIN_TOKEN])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the binary");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let addr = first
        .trim()
        .strip_prefix("sora-emulator listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_owned();
    let emu = Emu { base: format!("http://{addr}"), client: client() };
    Process { child, emu, addr }
}

/// A fresh state-file path under the temp folder.
pub(crate) fn state_path(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("sora-emulator-state-{name}-{}-{}", std::process::id(), fastrand::u64(..)));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("state.json")
}

/// Downloads a generation's high-quality video.
async fn video(emu: &Emu, generation: &str) -> (StatusCode, Vec<u8>) {
    let response = emu.api(Method::GET, &format!("/{generation}/content/video")).send().await.unwrap();
    (response.status(), response.bytes().await.unwrap().to_vec())
}

/// Sets the speed of jobs created from now on.
async fn speed(emu: &Emu, speed: f64) {
    let response = emu.admin(Method::POST, "config", Some(json!({"speed": speed}))).await;
    assert_eq!(response.status(), StatusCode::OK);
}

/// An image-to-video create (the opening image must survive the restart too).
async fn create_with_image(emu: &Emu) -> Value {
    let form = Form::new()
        .text("model", "sora")
        .text("prompt", "persisted image")
        .text("width", "480")
        .text("height", "480")
        .text("n_seconds", "1")
        .part("files", Part::bytes(png(32, 32, [20, 200, 40])).file_name("green.png").mime_str("image/png").unwrap());
    let response = emu.api(Method::POST, "/jobs?api-version=preview").multipart(form).send().await.unwrap();
    let (status, job) = json_of(response).await;
    assert_eq!(status, StatusCode::OK, "{job}");
    job
}

fn is_mp4(bytes: &[u8]) -> bool {
    bytes.get(4..8) == Some(b"ftyp".as_slice())
}

#[tokio::test]
async fn jobs_survive_kill_9_with_a_state_file() {
    let path = state_path("kept");
    let path_arg = path.to_str().unwrap().to_owned();
    let first = start("127.0.0.1:0", &["--speed", "40", "--state-file", &path_arg]);
    let done = first.emu.succeeded("finished before the kill").await;
    let done_id = done["id"].as_str().unwrap().to_owned();
    let generation = generation_id(&done);
    let (status, before) = video(&first.emu, &generation).await;
    assert_eq!(status, StatusCode::OK);
    let with_image = first.emu.wait_terminal(create_with_image(&first.emu).await["id"].as_str().unwrap()).await;
    let (_, image_before) = video(&first.emu, &generation_id(&with_image)).await;
    // A slow job (about 4 s) that is mid-lifecycle when the process dies.
    speed(&first.emu, 4.0).await;
    let pending = first.emu.create_ok(small("in flight at the kill")).await;
    let pending_id = pending["id"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_ne!(first.emu.job(&pending_id).await.1["status"], "succeeded");
    let addr = first.addr.clone();
    drop(first); // SIGKILL
    assert!(Path::new(&path).exists());

    let second = start(&addr, &["--speed", "40", "--state-file", &path_arg]);
    let (status, again) = second.emu.job(&done_id).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["status"], "succeeded");
    assert_eq!(again["finished_at"], done["finished_at"]);
    assert_eq!(again["generations"][0]["id"], done["generations"][0]["id"]);
    // Content is re-rendered deterministically: the same bytes as before the kill.
    let (status, after) = video(&second.emu, &generation).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(after, before);
    let (_, image_after) = video(&second.emu, &generation_id(&with_image)).await;
    assert_eq!(image_after, image_before, "the opening image was kept");
    // The in-flight job continues by wall clock and succeeds with playable content.
    let finished = second.emu.wait_terminal(&pending_id).await;
    assert_eq!(finished["status"], "succeeded", "{finished}");
    assert_eq!(finished["created_at"], pending["created_at"]);
    let (status, bytes) = video(&second.emu, &generation_id(&finished)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(is_mp4(&bytes));
    // Deleting is persisted too.
    let response = second.emu.api(Method::DELETE, &format!("/jobs/{done_id}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    drop(second);
    let third = start(&addr, &["--state-file", &path_arg]);
    assert_eq!(third.emu.job(&done_id).await.0, StatusCode::NOT_FOUND);
    assert_eq!(third.emu.job(&pending_id).await.0, StatusCode::OK);
    drop(third);
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[tokio::test]
async fn without_a_state_file_a_restart_forgets_every_job() {
    let first = start("127.0.0.1:0", &["--speed", "40"]);
    let job = first.emu.succeeded("forgotten").await;
    let id = job["id"].as_str().unwrap().to_owned();
    let addr = first.addr.clone();
    drop(first);
    let second = start(&addr, &["--speed", "40"]);
    let (status, body) = second.emu.job(&id).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains(&id));
    let (status, _) = video(&second.emu, &generation_id(&job)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[test]
fn a_corrupt_state_file_stops_the_start_with_a_message() {
    let path = state_path("corrupt");
    std::fs::write(&path, b"{not json").unwrap();
    let output = Command::new(BINARY).args(["--listen", "127.0.0.1:0", "--state-file"]).arg(&path).output().unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is not a state file"), "{stderr}");
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}
