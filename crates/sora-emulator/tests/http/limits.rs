//! The running-jobs limit and the requests-per-minute budget.

use reqwest::{Method, StatusCode};
use serde_json::json;
use sora_emulator::Config;

use crate::common::{Emu, error_of, json_of, small};

#[tokio::test]
async fn third_running_job_is_429_until_a_slot_frees() {
    // Speed 1: the two jobs stay running for the whole test.
    let emu = Emu::start(Config { rpm: 0, ..Config::default() }).await;
    let first = emu.create_ok(small("one")).await;
    emu.create_ok(small("two")).await;
    let response = emu.create(small("three")).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    let retry_ms: u64 = response.headers()["retry-after-ms"].to_str().unwrap().parse().unwrap();
    // A 480x480 1 s job takes about 15.6 s at speed 1: the estimate is when the first one ends.
    assert!((1..=16).contains(&retry_after), "{retry_after}");
    assert!(retry_ms > 1000 && retry_ms <= 16_000, "{retry_ms}");
    let (_, body) = json_of(response).await;
    let error = error_of(&body);
    assert_eq!(error["code"], "too_many_running_jobs");
    assert!(error["message"].as_str().unwrap().contains("running"));
    // Deleting (cancelling) a running job frees its slot.
    let id = first["id"].as_str().unwrap();
    emu.api(Method::DELETE, &format!("/jobs/{id}")).send().await.unwrap();
    emu.create_ok(small("three")).await;
    // Live reconfiguration raises the limit.
    emu.admin(Method::POST, "config", Some(json!({"max_running": 3}))).await;
    emu.create_ok(small("four")).await;
    assert_eq!(emu.create(small("five")).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn rpm_budget_is_429_with_retry_headers_and_ignores_preflights() {
    let emu = Emu::start(Config { rpm: 3, ..Config::default() }).await;
    for _ in 0..3 {
        let response = emu.api(Method::GET, "/jobs?limit=1").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        // Preflights and admin calls do not count.
        let preflight = emu
            .client
            .request(Method::OPTIONS, emu.url("/openai/v1/video/generations/jobs"))
            .header("origin", "http://studio.test")
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "api-key")
            .send()
            .await
            .unwrap();
        assert!(preflight.status().is_success());
        emu.requests().await;
    }
    let response = emu.api(Method::GET, "/jobs?limit=1").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    let retry_ms: u64 = response.headers()["retry-after-ms"].to_str().unwrap().parse().unwrap();
    assert!((59..=60).contains(&retry_after), "{retry_after}");
    assert!(retry_ms > 58_000 && retry_ms <= 60_000, "{retry_ms}");
    let (_, body) = json_of(response).await;
    assert_eq!(error_of(&body)["code"], "429");
    // The admin API can lift the budget (0 = unlimited).
    emu.admin(Method::POST, "config", Some(json!({"rpm": 0}))).await;
    assert_eq!(emu.api(Method::GET, "/jobs?limit=1").send().await.unwrap().status(), StatusCode::OK);
    // /admin/reset restores the startup budget and forgets the window.
    emu.admin(Method::POST, "reset", None).await;
    for _ in 0..3 {
        assert_eq!(emu.api(Method::GET, "/jobs?limit=1").send().await.unwrap().status(), StatusCode::OK);
    }
    assert_eq!(emu.api(Method::GET, "/jobs?limit=1").send().await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS);
}
