//! End to end in headless Chromium: create a job on the emulator, poll it, download the video.
#![cfg(target_arch = "wasm32")]

use sora_client::{Auth, Client, CreateVideoRequest, FetchTransport, JobStatus, Quality, VideoSize};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The emulator the test runner started (`cargo xtask test` sets it at build time).
fn emulator() -> &'static str {
    env!("SORA_EMULATOR_URL", "build with SORA_EMULATOR_URL set: run `cargo xtask test`")
}

fn api_key() -> &'static str {
    option_env!("SORA_EMULATOR_KEY").unwrap_or("emulator-key")
}

#[wasm_bindgen_test]
async fn create_poll_download() {
    let client = Client::new(emulator(), Auth::ApiKey(api_key().into()), FetchTransport::default()).unwrap();
    let mut request = CreateVideoRequest::new("sora", "A paper boat on a rainy street", VideoSize::Landscape480);
    request.n_seconds = 2;
    let created = client.create_job(&request).await.unwrap();
    assert!(!created.status.is_terminal(), "a new job starts in progress, got {}", created.status);
    assert_eq!((created.width, created.height, created.n_seconds), (854, 480, 2));

    let mut job = created;
    for _ in 0..600 {
        if job.status.is_terminal() {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(100).await;
        job = client.get_job(&job.id).await.unwrap();
    }
    assert_eq!(job.status, JobStatus::Succeeded, "job ended as {:?}", job.failure_reason);
    assert_eq!(job.generations.len(), 1);

    let video = client.video_content(&job.generations[0].id, Quality::High).await.unwrap();
    assert!(video.len() > 1000, "video is only {} bytes", video.len());
    assert_eq!(&video[4..8], b"ftyp", "an MP4 starts with an ftyp box");
    let size = client.video_size(&job.generations[0].id, Quality::High).await.unwrap();
    assert_eq!(size, video.len() as u64);
}

#[wasm_bindgen_test]
async fn wrong_key_is_a_typed_401() {
    let client = Client::new(emulator(), Auth::ApiKey("wrong-key".into()), FetchTransport::default()).unwrap();
    match client.list_jobs(&Default::default()).await {
        Err(sora_client::Error::Api(e)) => {
            assert_eq!(e.status, 401);
            assert!(e.request_id.is_some(), "apim-request-id must be readable through CORS");
        }
        other => panic!("expected a 401, got {other:?}"),
    }
}
