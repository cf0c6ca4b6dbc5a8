//! Fault injection: status faults, latency, connection resets, malformed JSON, truncated bodies.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sora_emulator::Config;

use crate::common::{Emu, error_of, fast, generation_id, json_of};

/// Lists jobs (the cheapest authenticated request).
async fn list(emu: &Emu) -> reqwest::Result<reqwest::Response> {
    emu.api(Method::GET, "/jobs?limit=1").send().await
}

#[tokio::test]
async fn status_faults_answer_wrapped_errors_then_run_out() {
    let emu = Emu::start(fast()).await;
    emu.fault(json!({"kind": "429", "count": 1, "retry_after_ms": 2500})).await;
    emu.fault(json!({"kind": "500"})).await;
    emu.fault(json!({"kind": "503", "count": 2})).await;
    let response = list(&emu).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "3");
    assert_eq!(response.headers()["retry-after-ms"], "2500");
    assert!(response.headers().contains_key("apim-request-id"));
    error_of(&json_of(response).await.1);
    let (status, body) = json_of(list(&emu).await.unwrap()).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    error_of(&body);
    for _ in 0..2 {
        let (status, body) = json_of(list(&emu).await.unwrap()).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        error_of(&body);
    }
    assert_eq!(list(&emu).await.unwrap().status(), StatusCode::OK);
    // Faulted requests are still recorded.
    let statuses: Vec<u64> = emu.requests().await.iter().map(|r| r["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [429, 500, 503, 503, 200]);
}

#[tokio::test]
async fn default_429_retry_after_is_one_second() {
    let emu = Emu::start(Config { fail_429: 1, ..fast() }).await;
    let response = list(&emu).await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "1");
    assert_eq!(response.headers()["retry-after-ms"], "1000");
    assert_eq!(list(&emu).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn path_filters_and_clearing() {
    let emu = Emu::start(fast()).await;
    emu.fault(json!({"kind": "500", "count": 5, "path_contains": "/jobs/"})).await;
    assert_eq!(list(&emu).await.unwrap().status(), StatusCode::OK, "the list path does not match");
    let response = emu.api(Method::GET, "/jobs/task_x").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let cleared = emu.admin(Method::DELETE, "faults", None).await;
    assert!(cleared.status().is_success());
    let response = emu.api(Method::GET, "/jobs/task_x").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let (status, body) = json_of(emu.admin(Method::POST, "faults", Some(json!({"kind": "teapot"}))).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(&body)["param"], "kind");
}

#[tokio::test]
async fn latency_is_added() {
    let emu = Emu::start(fast()).await;
    emu.fault(json!({"kind": "latency", "count": 1, "latency_ms": 300})).await;
    let started = Instant::now();
    assert_eq!(list(&emu).await.unwrap().status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
    let started = Instant::now();
    list(&emu).await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(250), "used up");
    // Standing latency from the live config.
    emu.admin(Method::POST, "config", Some(json!({"latency_ms": 200}))).await;
    let started = Instant::now();
    list(&emu).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn reset_drops_the_connection_without_a_response() {
    let emu = Emu::start(fast()).await;
    emu.fault(json!({"kind": "reset", "count": 1})).await;
    let error = list(&emu).await.expect_err("a transport error, not a response");
    assert!(!error.is_status(), "{error:?}");
    // The next request (on a new connection) works.
    assert_eq!(list(&emu).await.unwrap().status(), StatusCode::OK);
    let records = emu.requests().await;
    assert_eq!(records[0]["status"], 0, "dropped requests are recorded with status 0: {records:?}");
    // Also on a POST with a body.
    emu.fault(json!({"kind": "reset"})).await;
    let error = emu.api(Method::POST, "/jobs").json(&crate::common::small("x")).send().await;
    assert!(error.is_err());
}

#[tokio::test]
async fn malformed_json_fails_to_parse() {
    let emu = Emu::start(Config { malformed: 1, ..fast() }).await;
    let response = list(&emu).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(response.json::<Value>().await.is_err());
    assert!(list(&emu).await.unwrap().json::<Value>().await.is_ok());
}

#[tokio::test]
async fn truncated_download_is_a_body_error() {
    let emu = Emu::start(fast()).await;
    let job = emu.succeeded("truncate me").await;
    let id = generation_id(&job);
    // Truncation only hits downloads: this JSON request passes.
    emu.fault(json!({"kind": "truncate"})).await;
    assert!(emu.job(job["id"].as_str().unwrap()).await.1.is_object());
    let response = emu.api(Method::GET, &format!("/{id}/content/video")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let declared: usize = response.headers()["content-length"].to_str().unwrap().parse().unwrap();
    match response.bytes().await {
        Err(error) => assert!(error.is_body() || error.is_decode() || error.is_request(), "{error:?}"),
        Ok(bytes) => assert!(bytes.len() < declared, "short read"),
    }
    let full = emu.video(&id).await;
    assert_eq!(full.len(), declared);
}

#[tokio::test]
async fn truncate_sends_the_head_and_part_of_the_body_before_the_drop() {
    let emu = Emu::start(fast()).await;
    let job = emu.succeeded("cut mid-body").await;
    let id = generation_id(&job);
    emu.fault(json!({"kind": "truncate"})).await;
    let mut response = emu.api(Method::GET, &format!("/{id}/content/video")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let declared = response.content_length().unwrap() as usize;
    let mut received = 0usize;
    let error = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => received += chunk.len(),
            Ok(None) => panic!("the body ended cleanly after {received} of {declared} bytes"),
            Err(error) => break error,
        }
    };
    // The client saw real bytes of the body, then a network error part-way.
    assert!(received > 0 && received < declared, "{received} of {declared}");
    assert!(error.is_body() || error.is_decode() || error.is_request(), "{error:?}");
}

#[tokio::test]
async fn slow_body_sends_the_head_at_once_and_drips_the_body() {
    let emu = Emu::start(fast()).await;
    let job = emu.succeeded("drip me").await;
    let id = generation_id(&job);
    let full = emu.video(&id).await;
    // Aim for about a second of dripping whatever the video's size.
    let rate = (full.len() as u64).max(10);
    emu.fault(json!({"kind": "slow_body", "bytes_per_sec": rate, "path_contains": "/content/"})).await;
    let started = Instant::now();
    let mut response = emu.api(Method::GET, &format!("/{id}/content/video")).send().await.unwrap();
    let head_after = started.elapsed();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.content_length(), Some(full.len() as u64));
    let mut body = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = response.chunk().await.unwrap() {
        body.extend_from_slice(&chunk);
        chunks += 1;
    }
    let total = started.elapsed();
    assert_eq!(body, full.to_vec(), "the slow body is complete and intact");
    assert!(head_after < Duration::from_millis(500), "head took {head_after:?}");
    assert!(total >= Duration::from_millis(800), "body took only {total:?}");
    assert!(chunks >= 5, "{chunks} chunks");
    // JSON answers can be slowed too; a zero rate is refused.
    emu.fault(json!({"kind": "slow_body", "bytes_per_sec": 100})).await;
    let started = Instant::now();
    let (status, body) = json_of(list(&emu).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["object"], "list");
    assert!(started.elapsed() >= Duration::from_millis(100));
    let (status, _) =
        json_of(emu.admin(Method::POST, "faults", Some(json!({"kind": "slow_body", "bytes_per_sec": 0}))).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn reset_body_cuts_a_json_answer_mid_body() {
    let emu = Emu::start(fast()).await;
    let job = emu.succeeded("cut my poll").await;
    let id = job["id"].as_str().unwrap();
    emu.fault(json!({"kind": "reset_body", "path_contains": "/jobs/task_"})).await;
    let mut response = emu.api(Method::GET, &format!("/jobs/{id}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let declared = response.content_length().unwrap() as usize;
    let mut received = Vec::new();
    let error = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => received.extend_from_slice(&chunk),
            Ok(None) => panic!("the body ended cleanly after {} bytes", received.len()),
            Err(error) => break error,
        }
    };
    assert!(!received.is_empty() && received.len() < declared, "{} of {declared}", received.len());
    assert!(received.starts_with(b"{"), "the start of the real answer");
    assert!(error.is_body() || error.is_decode() || error.is_request(), "{error:?}");
    // One request only: the next poll is whole.
    assert_eq!(emu.job(id).await.1["status"], "succeeded");
}

#[tokio::test]
async fn retry_hint_adds_a_wait_hint_to_a_successful_answer() {
    let emu = Emu::start(fast()).await;
    let job = emu.succeeded("hint my poll").await;
    let id = job["id"].as_str().unwrap();
    emu.fault(json!({"kind": "retry_hint", "retry_after_ms": u64::MAX, "path_contains": "/jobs/task_"})).await;
    let response = emu.api(Method::GET, &format!("/jobs/{id}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("retry-after-ms"), "18446744073709551615");
    assert_eq!(header("retry-after"), "18446744073709552");
    assert_eq!(response.json::<Value>().await.unwrap()["id"], id);
    let next = emu.api(Method::GET, &format!("/jobs/{id}")).send().await;
    assert!(!next.unwrap().headers().contains_key("retry-after-ms"), "one answer only");
}

#[tokio::test]
async fn oversize_body_pads_the_answer_past_16_mib_chunked_and_stalls_before_it() {
    let emu = Emu::start(fast()).await;
    let job = emu.succeeded("pad my poll").await;
    let id = job["id"].as_str().unwrap();
    emu.fault(json!({"kind": "oversize_body", "latency_ms": 800, "path_contains": "/jobs/task_"})).await;
    let started = Instant::now();
    let response = emu.api(Method::GET, &format!("/jobs/{id}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("content-length").is_none(), "chunked");
    assert_eq!(response.headers()["content-type"], "text/plain");
    let body = response.bytes().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(800), "the answer waits after the padding");
    assert!(body.len() > 16 * 1024 * 1024);
    let json: Value = serde_json::from_slice(&body).expect("still the answer's JSON");
    assert_eq!(json["id"], id);
}

#[tokio::test]
async fn the_request_log_names_each_fault_served() {
    let emu = Emu::start(fast()).await;
    let job = emu.succeeded("logged faults").await;
    let job_id = job["id"].as_str().unwrap();
    let video = format!("/{}/content/video", generation_id(&job));
    let before = emu.requests().await.len();
    for kind in ["429", "503", "malformed", "reset_body", "slow_body"] {
        emu.fault(json!({"kind": kind, "path_contains": "/jobs/task_", "bytes_per_sec": 100000})).await;
        // A cut body fails on read; only the record matters here.
        if let Ok(response) = emu.api(Method::GET, &format!("/jobs/{job_id}")).send().await {
            let _ = response.bytes().await;
        }
    }
    emu.fault(json!({"kind": "reset"})).await;
    assert!(list(&emu).await.is_err());
    emu.fault(json!({"kind": "truncate"})).await;
    let _ = emu.api(Method::GET, &video).send().await.unwrap().bytes().await;
    emu.fault(json!({"kind": "latency", "latency_ms": 10})).await;
    list(&emu).await.unwrap();
    list(&emu).await.unwrap();
    let logged: Vec<(u64, Value)> =
        emu.requests().await.iter().skip(before).map(|r| (r["status"].as_u64().unwrap(), r["fault"].clone())).collect();
    let expected = [
        (429, json!("429")),
        (503, json!("503")),
        (200, json!("malformed")),
        (200, json!("reset_body")),
        (200, json!("slow_body")),
        (0, json!("reset")),
        (200, json!("truncate")),
        (200, json!("latency")),
        (200, Value::Null),
    ];
    assert_eq!(logged, expected);
}
