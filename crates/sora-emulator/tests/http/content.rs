//! Content downloads: real MP4s, thumbnails, HEAD, ranges, conditional requests, quality.

use std::io::Cursor;
use std::sync::OnceLock;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{Emu, error_of, generation_id, json_of};

/// One succeeded 854x480 2 s job on the shared emulator, reused by the read-only tests here.
async fn sample(emu: &Emu) -> String {
    static GENERATION: OnceLock<String> = OnceLock::new();
    if let Some(id) = GENERATION.get() {
        return id.clone();
    }
    let job = emu
        .create_ok(json!({"model": "sora", "prompt": "A sailboat", "width": 854, "height": 480, "n_seconds": 2}))
        .await;
    let job = emu.wait_terminal(job["id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    GENERATION.get_or_init(|| generation_id(&job)).clone()
}

/// Downloads a generation's video.
async fn video(emu: &Emu, id: &str, query: &str) -> Vec<u8> {
    let response = emu.api(Method::GET, &format!("/{id}/content/video{query}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.bytes().await.unwrap().to_vec()
}

/// (width, height, seconds) of an MP4's video track.
fn mp4_shape(bytes: &[u8]) -> (u16, u16, f64) {
    let reader = mp4::Mp4Reader::read_header(Cursor::new(bytes), bytes.len() as u64).expect("valid mp4");
    let track = reader.tracks().values().next().expect("a track");
    (track.width(), track.height(), reader.duration().as_secs_f64())
}

#[tokio::test]
async fn mp4s_have_the_requested_size_and_duration() {
    let emu = Emu::shared();
    let id = sample(&emu).await;
    let high = video(&emu, &id, "?quality=high").await;
    let (width, height, seconds) = mp4_shape(&high);
    assert_eq!((width, height), (854, 480));
    assert!((seconds - 2.0).abs() < 0.15, "{seconds}");
    let low = video(&emu, &id, "?quality=low").await;
    let (width, height, seconds) = mp4_shape(&low);
    assert_eq!((width, height), (854, 480));
    assert!((seconds - 2.0).abs() < 0.15, "{seconds}");
    assert_ne!(high, low, "the renditions differ");
    assert_eq!(video(&emu, &id, "").await, high, "high is the default");
    // Portrait 1080p and a longer duration.
    let job =
        emu.create_ok(json!({"model": "sora", "prompt": "tall", "width": 1080, "height": 1920, "n_seconds": 3})).await;
    let job = emu.wait_terminal(job["id"].as_str().unwrap()).await;
    let (width, height, seconds) = mp4_shape(&video(&emu, &generation_id(&job), "").await);
    assert_eq!((width, height), (1080, 1920));
    assert!((seconds - 3.0).abs() < 0.15, "{seconds}");
}

#[tokio::test]
async fn different_prompts_give_different_videos() {
    let emu = Emu::shared();
    let one = emu.succeeded("A red fox in snow").await;
    let two = emu.succeeded("A blue whale at sea").await;
    let one = video(&emu, &generation_id(&one), "").await;
    let two = video(&emu, &generation_id(&two), "").await;
    assert_ne!(one, two);
}

#[tokio::test]
async fn invalid_quality_is_a_400() {
    let emu = Emu::shared();
    let id = sample(&emu).await;
    let (status, body) =
        json_of(emu.api(Method::GET, &format!("/{id}/content/video?quality=ultra")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(&body)["param"], "quality");
}

#[tokio::test]
async fn head_and_download_headers() {
    let emu = Emu::shared();
    let id = sample(&emu).await;
    let full = video(&emu, &id, "").await;
    let head = emu.api(Method::HEAD, &format!("/{id}/content/video")).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    let headers = head.headers().clone();
    assert_eq!(headers["content-length"].to_str().unwrap(), full.len().to_string());
    assert_eq!(headers["content-type"], "video/mp4");
    assert_eq!(headers["accept-ranges"], "bytes");
    assert!(httpdate_ok(headers["last-modified"].to_str().unwrap()));
    assert!(head.bytes().await.unwrap().is_empty());
    let low_head = emu.api(Method::HEAD, &format!("/{id}/content/video?quality=low")).send().await.unwrap();
    assert_eq!(low_head.status(), StatusCode::OK);
    let thumb = emu.api(Method::GET, &format!("/{id}/content/thumbnail")).send().await.unwrap();
    let headers = thumb.headers().clone();
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(headers["accept-ranges"], "bytes");
    assert!(headers.contains_key("last-modified"));
    let bytes = thumb.bytes().await.unwrap();
    assert_eq!(headers["content-length"].to_str().unwrap(), bytes.len().to_string());
    assert!(bytes.starts_with(&[0xFF, 0xD8, 0xFF]));
}

/// Whether a header value is an IMF-fixdate.
fn httpdate_ok(text: &str) -> bool {
    text.ends_with(" GMT") && text.len() == 29
}

#[tokio::test]
async fn byte_ranges() {
    let emu = Emu::shared();
    let id = sample(&emu).await;
    let full = video(&emu, &id, "").await;
    let len = full.len();
    let range = |value: String| {
        let emu = &emu;
        let id = &id;
        async move { emu.api(Method::GET, &format!("/{id}/content/video")).header("range", value).send().await.unwrap() }
    };
    for (header, start, end) in [
        ("bytes=0-99".to_owned(), 0, 99),
        (format!("bytes={}-", len - 10), len - 10, len - 1),
        ("bytes=-16".to_owned(), len - 16, len - 1),
        (format!("bytes=100-{}", len + 500), 100, len - 1),
    ] {
        let response = range(header.clone()).await;
        assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT, "{header}");
        assert_eq!(response.headers()["content-range"].to_str().unwrap(), format!("bytes {start}-{end}/{len}"));
        assert_eq!(response.headers()["content-length"].to_str().unwrap(), (end - start + 1).to_string());
        assert_eq!(response.bytes().await.unwrap().as_ref(), &full[start..=end], "{header}");
    }
    let response = range(format!("bytes={len}-")).await;
    assert_eq!(response.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(response.headers()["content-range"].to_str().unwrap(), format!("bytes */{len}"));
    for ignored in ["bytes=0-1,5-6", "bytes=abc", "pages=1-2", "bytes=9-3"] {
        let response = range(ignored.to_owned()).await;
        assert_eq!(response.status(), StatusCode::OK, "{ignored}");
        assert_eq!(response.bytes().await.unwrap().len(), len);
    }
    // Thumbnails support ranges too.
    let response =
        emu.api(Method::GET, &format!("/{id}/content/thumbnail")).header("range", "bytes=0-1").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(response.bytes().await.unwrap().as_ref(), &[0xFF, 0xD8]);
}

#[tokio::test]
async fn if_modified_since() {
    let emu = Emu::shared();
    let id = sample(&emu).await;
    let response = emu.api(Method::GET, &format!("/{id}/content/video")).send().await.unwrap();
    let modified = response.headers()["last-modified"].to_str().unwrap().to_owned();
    let not_modified = emu
        .api(Method::GET, &format!("/{id}/content/video"))
        .header("if-modified-since", &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(not_modified.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(not_modified.headers()["last-modified"].to_str().unwrap(), modified);
    assert!(not_modified.bytes().await.unwrap().is_empty());
    let thumb = emu
        .api(Method::GET, &format!("/{id}/content/thumbnail"))
        .header("if-modified-since", "Sun, 06 Nov 2050 08:49:37 GMT")
        .send()
        .await
        .unwrap();
    assert_eq!(thumb.status(), StatusCode::NOT_MODIFIED);
    let stale = emu
        .api(Method::GET, &format!("/{id}/content/video"))
        .header("if-modified-since", "Sun, 06 Nov 1994 08:49:37 GMT")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::OK);
    let garbage = emu
        .api(Method::GET, &format!("/{id}/content/video"))
        .header("if-modified-since", "yesterday")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), StatusCode::OK);
}
