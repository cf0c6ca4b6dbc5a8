//! `--clock-skew-secs` / `clock_skew_secs`: every written timestamp shifts, job timing does not.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::{Method, StatusCode};
use serde_json::json;
use sora_emulator::Config;

use crate::common::{Emu, fast, generation_id, json_of};

const HOUR: i64 = 3600;

fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn date_secs(header: &reqwest::header::HeaderValue) -> i64 {
    let time = httpdate::parse_http_date(header.to_str().unwrap()).unwrap();
    time.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// Asserts `value` is `expected` give or take a few seconds of test time.
fn near(value: i64, expected: i64, what: &str) {
    assert!((value - expected).abs() <= 5, "{what}: {value} vs {expected}");
}

#[tokio::test]
async fn every_timestamp_is_shifted_and_the_lifecycle_is_not() {
    let emu = Emu::start(Config { clock_skew_secs: -HOUR, ttl_seconds: 600, ..fast() }).await;
    let started = std::time::Instant::now();
    let created =
        emu.create_ok(json!({"model": "sora", "prompt": "skewed", "width": 480, "height": 480, "n_seconds": 1})).await;
    let expected = now_secs() - HOUR;
    near(created["created_at"].as_i64().unwrap(), expected, "created_at");
    let job = emu.wait_terminal(created["id"].as_str().unwrap()).await;
    // The job still takes its plan's time (well under the 60 s poll deadline at speed 200).
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(job["status"], "succeeded");
    let finished = job["finished_at"].as_i64().unwrap();
    near(finished, expected, "finished_at");
    assert_eq!(job["expires_at"].as_i64().unwrap(), finished + 600);
    assert_eq!(job["generations"][0]["created_at"].as_i64().unwrap(), finished);
    let id = generation_id(&job);
    let response = emu.api(Method::GET, &format!("/{id}/content/video")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(date_secs(&response.headers()["last-modified"]), finished);
    near(date_secs(&response.headers()["date"]), expected, "Date");
    // If-Modified-Since compares against the skewed Last-Modified the client was given.
    let last_modified = response.headers()["last-modified"].clone();
    let response = emu
        .api(Method::GET, &format!("/{id}/content/video"))
        .header("if-modified-since", last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn admin_config_changes_the_skew_live() {
    let emu = Emu::start(fast()).await;
    let (status, settings) =
        json_of(emu.admin(Method::POST, "config", Some(json!({"clock_skew_secs": HOUR}))).await).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(settings["clock_skew_secs"], HOUR);
    let response = emu.api(Method::GET, "/jobs?limit=1").send().await.unwrap();
    near(date_secs(&response.headers()["date"]), now_secs() + HOUR, "Date");
    let job = emu.succeeded("ahead").await;
    near(job["created_at"].as_i64().unwrap(), now_secs() + HOUR, "created_at");
    let (_, settings) = json_of(emu.admin(Method::POST, "reset", None).await).await;
    assert_eq!(settings["clock_skew_secs"], 0);
}
