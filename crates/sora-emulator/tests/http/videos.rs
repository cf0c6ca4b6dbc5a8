//! The Videos API (`/videos`) in both shapes: create, lifecycle and poll hint, list, delete, auth,
//! limits, CORS, faults and moderation (refusals: videos_validation.rs; content, derived videos
//! and persistence: videos_content.rs).

use std::time::{Duration, Instant};

use reqwest::header::HeaderMap;
use reqwest::multipart::Form;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};
use sora_emulator::Config;

use crate::common::{Emu, KEY, error_of, fast, json_of, small};

/// Azure's shape.
pub const AZURE: &str = "/openai/v1/videos";
/// OpenAI's shape.
pub const OPENAI: &str = "/v1/videos";
/// The poll hint header.
pub const POLL: &str = "openai-poll-after-ms";

/// An emulator whose videos stay queued for the whole test (nothing renders).
pub async fn slow() -> Emu {
    Emu::start(Config { speed: 1.0, ..fast() }).await
}

/// An authenticated request to a path.
pub fn call(emu: &Emu, method: Method, path: &str) -> RequestBuilder {
    emu.client.request(method, emu.url(path)).header("api-key", KEY)
}

/// Sends a request; returns status, JSON body (Null if none) and headers.
pub async fn send(request: RequestBuilder) -> (StatusCode, Value, HeaderMap) {
    let response = request.send().await.expect("request");
    let headers = response.headers().clone();
    let (status, body) = json_of(response).await;
    (status, body, headers)
}

/// Creates a video with a JSON body under `base`; it must be accepted.
pub async fn create(emu: &Emu, base: &str, body: Value) -> Value {
    let (status, video, headers) = send(call(emu, Method::POST, base).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "{video}");
    assert!(headers.contains_key(POLL), "a queued video carries the poll hint");
    video
}

/// Gets a video.
pub async fn get(emu: &Emu, id: &str) -> (StatusCode, Value, HeaderMap) {
    send(call(emu, Method::GET, &format!("{AZURE}/{id}"))).await
}

/// Polls a video every `interval` until it is completed or failed; returns every answer.
pub async fn polls(emu: &Emu, id: &str, interval: Duration) -> Vec<(Value, HeaderMap)> {
    let deadline = Instant::now() + Duration::from_secs(90);
    let mut seen = Vec::new();
    loop {
        let (status, video, headers) = get(emu, id).await;
        assert_eq!(status, StatusCode::OK, "{video}");
        let done = ["completed", "failed"].contains(&video["status"].as_str().unwrap_or(""));
        seen.push((video, headers));
        if done {
            return seen;
        }
        assert!(Instant::now() < deadline, "video {id} never finished");
        tokio::time::sleep(interval).await;
    }
}

/// Waits for a video to end; returns its last answer.
pub async fn finished(emu: &Emu, id: &str) -> Value {
    polls(emu, id, Duration::from_millis(25)).await.pop().expect("a poll").0
}

/// Creates a video and waits for it to complete.
pub async fn completed(emu: &Emu, body: Value) -> Value {
    let video = create(emu, AZURE, body).await;
    let video = finished(emu, video["id"].as_str().unwrap()).await;
    assert_eq!(video["status"], "completed", "{video}");
    video
}

/// The id of a video.
pub fn id(video: &Value) -> String {
    video["id"].as_str().expect("id").to_owned()
}

/// A multipart create form without a reference image.
pub fn form(model: &str, prompt: &str, seconds: &str, size: &str) -> Form {
    Form::new()
        .text("model", model.to_owned())
        .text("prompt", prompt.to_owned())
        .text("seconds", seconds.to_owned())
        .text("size", size.to_owned())
}

#[tokio::test]
async fn create_multipart_and_json_on_both_shapes_from_one_store() {
    let emu = slow().await;
    for base in [AZURE, OPENAI] {
        let (status, video, headers) =
            send(call(&emu, Method::POST, base).multipart(form("sora-2", "a red kite", "8", "1280x720"))).await;
        assert_eq!(status, StatusCode::OK, "{video}");
        let text = id(&video);
        let hex = text.strip_prefix("video_").expect("video_ prefix");
        assert!(hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()), "{text}");
        assert_eq!(video["object"], "video");
        assert_eq!((video["status"].as_str(), video["progress"].as_u64()), (Some("queued"), Some(0)));
        assert_eq!((video["seconds"].as_str(), video["size"].as_str()), (Some("8"), Some("1280x720")));
        assert_eq!((video["model"].as_str(), video["prompt"].as_str()), (Some("sora-2"), Some("a red kite")));
        for null in ["completed_at", "expires_at", "remixed_from_video_id", "error"] {
            assert!(video[null].is_null(), "{null}: {video}");
        }
        assert!(video["created_at"].as_u64().unwrap() > 1_600_000_000);
        let hint: u64 = headers[POLL].to_str().unwrap().parse().unwrap();
        assert!((250..=5000).contains(&hint), "{hint}");
        // JSON, seconds as a number, defaults, any api-version.
        let path = format!("{base}?api-version=2025-10-06-preview");
        let (status, json_video, _) =
            send(call(&emu, Method::POST, &path).json(&json!({"prompt": "defaults", "seconds": 12}))).await;
        assert_eq!(status, StatusCode::OK, "{json_video}");
        assert_eq!(json_video["seconds"], "12");
        assert_eq!((json_video["model"].as_str(), json_video["size"].as_str()), (Some("sora-2"), Some("720x1280")));
        // One store: the other shape reads it.
        let other = if base == AZURE { OPENAI } else { AZURE };
        let (status, again, _) = send(call(&emu, Method::GET, &format!("{other}/{text}?api-version=v1"))).await;
        assert_eq!((status, again["id"].as_str()), (StatusCode::OK, Some(text.as_str())));
    }
    // Jobs and videos never mix: the jobs API neither lists nor gets a video.
    let (_, jobs) = emu.list("").await;
    assert_eq!(jobs["data"].as_array().unwrap().len(), 0, "{jobs}");
    let (_, videos, _) = send(call(&emu, Method::GET, AZURE)).await;
    let first = id(&videos["data"][0]);
    assert_eq!(emu.job(&first).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn progress_rises_and_the_poll_hint_stops_when_terminal_or_turned_off() {
    // About 3.5 s per 720x1280 4 s video: several polls in each phase.
    let emu = Emu::start(Config { speed: 20.0, ..fast() }).await;
    let video = create(&emu, OPENAI, json!({"prompt": "a slow sunrise"})).await;
    let seen = polls(&emu, &id(&video), Duration::from_millis(60)).await;
    let mut last_progress = 0;
    let mut statuses: Vec<&str> = Vec::new();
    for (video, headers) in &seen {
        let status = video["status"].as_str().unwrap();
        let progress = video["progress"].as_u64().unwrap();
        assert!(progress >= last_progress && progress <= 100, "{progress} after {last_progress}");
        last_progress = progress;
        if statuses.last() != Some(&status) {
            statuses.push(status);
        }
        if status == "completed" {
            assert!(!headers.contains_key(POLL), "no hint once terminal");
        } else {
            assert!(progress < 100, "{video}");
            let hint: u64 = headers[POLL].to_str().unwrap().parse().unwrap();
            assert!((250..=5000).contains(&hint), "{hint}");
        }
    }
    assert_eq!(statuses.last(), Some(&"completed"), "{statuses:?}");
    assert!(statuses.contains(&"in_progress"), "{statuses:?}");
    assert!(seen.iter().any(|(v, _)| (1..100).contains(&v["progress"].as_u64().unwrap())), "progress in between");
    let done = &seen.last().unwrap().0;
    assert_eq!(done["progress"], 100);
    let completed_at = done["completed_at"].as_u64().expect("completed_at");
    assert_eq!(done["expires_at"].as_u64(), Some(completed_at + 86_400), "the ttl setting");

    // Turned off live: no hint on create or get; on again after a reset.
    let (_, settings) = json_of(emu.admin(Method::POST, "config", Some(json!({"poll_hint": false}))).await).await;
    assert_eq!(settings["poll_hint"], false);
    let (_, current) = json_of(emu.admin(Method::GET, "config", None).await).await;
    assert_eq!((current["poll_hint"].as_bool(), current["spritesheets"].as_bool()), (Some(false), Some(true)));
    let (status, quiet, headers) = send(call(&emu, Method::POST, AZURE).json(&json!({"prompt": "no hint"}))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!headers.contains_key(POLL));
    assert!(!get(&emu, &id(&quiet)).await.2.contains_key(POLL));
    let bad = emu.admin(Method::POST, "config", Some(json!({"poll_hint": "no"}))).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let (_, reset) = json_of(emu.admin(Method::POST, "reset", None).await).await;
    assert_eq!((reset["poll_hint"].as_bool(), reset["spritesheets"].as_bool()), (Some(true), Some(true)));
    assert_eq!(get(&emu, &id(&quiet)).await.0, StatusCode::NOT_FOUND, "reset forgets videos");
}

#[tokio::test]
async fn list_pages_with_after_limit_and_order() {
    let emu = slow().await;
    emu.create_ok(small("a jobs API job")).await;
    let mut made = Vec::new();
    for n in 0..5 {
        made.push(id(&create(&emu, AZURE, json!({"prompt": format!("video {n}")})).await));
    }
    let page = |query: &'static str| {
        let emu = &emu;
        async move {
            let (status, body, _) = send(call(emu, Method::GET, &format!("{OPENAI}{query}"))).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        }
    };
    let ids = |body: &Value| body["data"].as_array().unwrap().iter().map(id).collect::<Vec<_>>();
    let newest: Vec<String> = made.iter().rev().cloned().collect();
    let all = page("").await;
    assert_eq!(all["object"], "list");
    assert_eq!(ids(&all), newest, "newest first; the job is not listed");
    assert_eq!((all["has_more"].as_bool(), all["first_id"].as_str()), (Some(false), Some(newest[0].as_str())));
    let first = page("?limit=2").await;
    assert_eq!(ids(&first), newest[..2]);
    assert_eq!((first["has_more"].as_bool(), first["last_id"].as_str()), (Some(true), Some(newest[1].as_str())));
    let path = format!("{OPENAI}?limit=2&after={}", newest[1]);
    let (_, second, _) = send(call(&emu, Method::GET, &path)).await;
    assert_eq!(ids(&second), newest[2..4]);
    assert_eq!(second["has_more"], true);
    let asc = page("?order=asc&limit=3").await;
    assert_eq!(ids(&asc), made[..3]);
    let path = format!("{AZURE}?order=asc&after={}", made[2]);
    let (_, rest, _) = send(call(&emu, Method::GET, &path)).await;
    assert_eq!((ids(&rest), rest["has_more"].as_bool()), (made[3..].to_vec(), Some(false)));
    let path = format!("{AZURE}?after={}", made[0]);
    let (_, empty, _) = send(call(&emu, Method::GET, &path)).await;
    assert_eq!(empty["data"], json!([]));
    assert!(empty["first_id"].is_null() && empty["last_id"].is_null() && empty["has_more"] == false, "{empty}");
    for (query, param) in
        [("?limit=0", "limit"), ("?limit=101", "limit"), ("?order=up", "order"), ("?after=task_1", "after")]
    {
        let (status, body, _) = send(call(&emu, Method::GET, &format!("{OPENAI}{query}"))).await;
        assert_eq!((status, error_of(&body)["param"].as_str()), (StatusCode::BAD_REQUEST, Some(param)), "{query}");
    }
}

#[tokio::test]
async fn delete_then_404() {
    let emu = slow().await;
    let video = id(&create(&emu, OPENAI, json!({"prompt": "short lived"})).await);
    let (status, body, _) = send(call(&emu, Method::DELETE, &format!("{OPENAI}/{video}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({"id": video, "object": "video.deleted", "deleted": true}));
    for (method, path) in [
        (Method::GET, format!("{AZURE}/{video}")),
        (Method::DELETE, format!("{OPENAI}/{video}")),
        (Method::GET, format!("{OPENAI}/{video}/content")),
        (Method::GET, format!("{AZURE}/video_0123/content")),
    ] {
        let (status, body, _) = send(call(&emu, method, &path)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(error_of(&body)["message"].as_str().unwrap().contains("does not exist"), "{body}");
    }
}

#[tokio::test]
async fn blocklisted_prompts_fail_after_queueing() {
    let emu = Emu::shared();
    let video = create(&emu, AZURE, json!({"prompt": "a scene of VIOLENCE"})).await;
    assert_eq!(video["status"], "queued");
    let video = finished(&emu, &id(&video)).await;
    assert_eq!(video["status"], "failed", "{video}");
    assert_eq!(video["error"]["code"], "moderation_blocked");
    assert!(video["error"]["message"].as_str().unwrap().contains("moderation"), "{video}");
    assert!(video["completed_at"].is_u64() && video["progress"].as_u64().unwrap() < 100, "{video}");
    let (status, body, _) = send(call(&emu, Method::GET, &format!("{AZURE}/{}/content", id(&video)))).await;
    assert_eq!((status, error_of(&body)["code"].as_str()), (StatusCode::BAD_REQUEST, Some("video_not_ready")));
    assert!(error_of(&body)["message"].as_str().unwrap().contains("failed"), "{body}");
    // The jobs API still refuses such a prompt at create.
    assert_eq!(emu.create(small("violence")).await.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bearer_keys_tokens_and_401s() {
    let emu = Emu::shared();
    let list = |auth: Option<(&'static str, String)>| {
        let mut request = emu.client.get(emu.url(&format!("{OPENAI}?limit=1")));
        if let Some((name, value)) = auth {
            request = request.header(name, value);
        }
        async move { send(request).await }
    };
    assert_eq!(list(Some(("authorization", format!("Bearer {KEY}")))).await.0, StatusCode::OK);
    assert_eq!(list(Some(("api-key", KEY.to_owned()))).await.0, StatusCode::OK);
    let (status, body, _) = list(Some(("authorization", "Bearer sk-wrong".to_owned()))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    error_of(&body);
    assert_eq!(list(None).await.0, StatusCode::UNAUTHORIZED);
    let (_, token) = json_of(emu.admin(Method::POST, "tokens", Some(json!({}))).await).await;
    let bearer = format!("Bearer {}", token["token"].as_str().unwrap());
    assert_eq!(list(Some(("authorization", bearer))).await.0, StatusCode::OK);
}

#[tokio::test]
async fn rate_limits_running_limits_faults_and_the_request_log() {
    let emu = Emu::start(Config { speed: 1.0, rpm: 2, max_running: 1, ..fast() }).await;
    create(&emu, OPENAI, json!({"prompt": "one"})).await;
    let (status, body, _) = send(call(&emu, Method::POST, AZURE).json(&json!({"prompt": "two"}))).await;
    assert_eq!(
        (status, error_of(&body)["code"].as_str()),
        (StatusCode::TOO_MANY_REQUESTS, Some("too_many_running_jobs"))
    );
    let (status, _, headers) = send(call(&emu, Method::GET, OPENAI)).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the third request in a minute");
    assert!(headers.contains_key("retry-after") && headers.contains_key("retry-after-ms"));
    emu.admin(Method::POST, "config", Some(json!({"rpm": 0}))).await;
    emu.fault(json!({"kind": "503", "path_contains": "/videos"})).await;
    assert_eq!(send(call(&emu, Method::GET, OPENAI)).await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(send(call(&emu, Method::GET, OPENAI)).await.0, StatusCode::OK);
    let records = emu.requests().await;
    let paths: Vec<&str> = records.iter().map(|r| r["path"].as_str().unwrap()).collect();
    assert_eq!(paths, [OPENAI, AZURE, OPENAI, OPENAI, OPENAI], "{records:?}");
    assert_eq!(records[3]["fault"], "503");
}

#[tokio::test]
async fn cors_exposes_the_poll_hint() {
    let emu = Emu::shared();
    let response = call(&emu, Method::GET, OPENAI).header("origin", "http://localhost:8080").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let exposed = response.headers()["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(exposed.contains(POLL), "{exposed}");
    let preflight = emu
        .client
        .request(Method::OPTIONS, emu.url(&format!("{AZURE}/video_x/content")))
        .header("origin", "http://localhost:8080")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
}
