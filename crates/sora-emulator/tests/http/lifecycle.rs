//! Job lifecycles: ordered statuses, moderation and internal failures, expiry, cancellation.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use sora_emulator::Config;

use crate::common::{Emu, error_of, fast, generation_id, json_of, small, status_sequence};

/// The order statuses must appear in.
const ORDER: [&str; 5] = ["queued", "preprocessing", "running", "processing", "succeeded"];

#[tokio::test]
async fn statuses_advance_in_order_to_succeeded() {
    // 480x480 1 s at speed 6: (12 + 18 * 0.2) / 6 = 2.6 s in all, every phase at least 0.39 s.
    let emu = Emu::start(Config { speed: 6.0, rpm: 0, ..Config::default() }).await;
    let job = emu.create_ok(small("ordered")).await;
    assert_eq!(job["status"], "queued", "the create answers queued: {job}");
    let polls = emu.polls(job["id"].as_str().unwrap(), Duration::from_millis(15)).await;
    let (last, pending) = polls.split_last().unwrap();
    for poll in pending {
        assert!(poll["generations"].as_array().unwrap().is_empty(), "no generations before success: {poll}");
        assert!(poll["finished_at"].is_null(), "{poll}");
    }
    assert!(last["finished_at"].as_u64().unwrap() >= last["created_at"].as_u64().unwrap());
    assert_eq!(last["generations"].as_array().unwrap().len(), 1);
    let seen = status_sequence(&job, &polls);
    assert_eq!(seen, ORDER, "observed {seen:?}");
}

#[tokio::test]
async fn the_moderation_trigger_fails_with_input_moderation() {
    let emu = Emu::shared();
    for prompt in ["please blocked-by-moderation", "BLOCKED-BY-MODERATION now"] {
        let job = emu.create_ok(small(prompt)).await;
        let job = emu.wait_terminal(job["id"].as_str().unwrap()).await;
        assert_eq!(job["status"], "failed", "{prompt}");
        assert_eq!(job["failure_reason"], "input_moderation");
        assert!(job["generations"].as_array().unwrap().is_empty());
        assert!(job["finished_at"].as_u64().is_some() && job["expires_at"].as_u64().is_some());
    }
}

#[tokio::test]
async fn internal_error_trigger_fails_the_job() {
    let emu = Emu::shared();
    let job = emu.create_ok(small("please __internal_error__ now")).await;
    let job = emu.wait_terminal(job["id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "failed");
    assert_eq!(job["failure_reason"], "internal_error");
    assert!(job["generations"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn finished_jobs_expire_after_the_ttl() {
    let emu = Emu::start(Config { ttl_seconds: 1, ..fast() }).await;
    let job = emu.succeeded("short-lived").await;
    let id = job["id"].as_str().unwrap().to_owned();
    let gen_id = generation_id(&job);
    assert_eq!(job["expires_at"].as_u64(), Some(job["finished_at"].as_u64().unwrap() + 1));
    let video = emu.api(Method::GET, &format!("/{gen_id}/content/video")).send().await.unwrap();
    assert_eq!(video.status(), StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    for path in [
        format!("/jobs/{id}"),
        format!("/{gen_id}"),
        format!("/{gen_id}/content/video"),
        format!("/{gen_id}/content/thumbnail"),
    ] {
        let (status, body) = json_of(emu.api(Method::GET, &path).send().await.unwrap()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        error_of(&body);
    }
    let (_, list) = json_of(emu.api(Method::GET, "/jobs?limit=10").send().await.unwrap()).await;
    assert!(list["data"].as_array().unwrap().is_empty(), "{list}");
}

#[tokio::test]
async fn deleting_a_running_job_cancels_it() {
    let emu = Emu::start(Config { speed: 10.0, rpm: 0, ..Config::default() }).await;
    let job = emu.create_ok(small("cancel me")).await;
    let id = job["id"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(600)).await;
    let (_, running) = emu.job(&id).await;
    assert_eq!(running["status"], "running");
    let deleted = emu.api(Method::DELETE, &format!("/jobs/{id}")).send().await.unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    // Well past when it would have finished, it is still gone.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (status, _) = emu.job(&id).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = json_of(emu.api(Method::GET, "/jobs?limit=10").send().await.unwrap()).await;
    assert!(list["data"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn variants_each_get_a_generation() {
    let emu = Emu::shared();
    let job = emu
        .create_ok(serde_json::json!({"model": "sora", "prompt": "three kites", "width": 480, "height": 480, "n_seconds": 1, "n_variants": 3}))
        .await;
    let job = emu.wait_terminal(job["id"].as_str().unwrap()).await;
    let generations = job["generations"].as_array().unwrap();
    assert_eq!(generations.len(), 3);
    let mut videos = Vec::new();
    for generation in generations {
        let id = generation["id"].as_str().unwrap();
        let bytes = emu.video(id).await;
        videos.push(bytes);
    }
    assert!(videos[0] != videos[1] && videos[1] != videos[2], "variants differ");
}
