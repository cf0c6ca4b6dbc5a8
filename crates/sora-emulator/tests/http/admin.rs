//! Admin endpoints: request log, live config, reset.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{API, Emu, KEY, fast, small};

#[tokio::test]
async fn request_log_records_requests_without_secrets() {
    let emu = Emu::start(fast()).await;
    emu.api(Method::GET, "/jobs?limit=1&api-version=preview").send().await.unwrap();
    emu.client
        .get(emu.url(&format!("{API}/jobs?limit=2&api-key={KEY}")))
        .header("authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .unwrap();
    emu.client.get(emu.url(&format!("{API}/jobs/task_x"))).send().await.unwrap();
    emu.client.get(emu.url("/healthz")).send().await.unwrap();
    let records = emu.requests().await;
    assert_eq!(records.len(), 3, "only /openai requests are recorded: {records:?}");
    let first = &records[0];
    assert_eq!(first["method"], "GET");
    assert_eq!(first["path"], format!("{API}/jobs"));
    assert_eq!(first["query"], "limit=1&api-version=preview");
    assert_eq!(first["status"], 200);
    assert!(first["at_ms"].as_u64().unwrap() > 1_600_000_000_000);
    assert_eq!(
        (first["api_key_present"].as_bool(), first["authorization_present"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(
        (records[1]["api_key_present"].as_bool(), records[1]["authorization_present"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(records[1]["query"], "limit=2&api-key=REDACTED");
    assert_eq!(records[2]["status"], 401);
    assert!(!Value::Array(records).to_string().contains(KEY), "the key never appears");
}

#[tokio::test]
async fn config_and_reset() {
    let emu = Emu::start(fast()).await;
    let (status, settings): (StatusCode, Value) = {
        let response = emu.admin(Method::POST, "config", Some(json!({"rpm": 7, "ttl_seconds": 9}))).await;
        (response.status(), response.json().await.unwrap())
    };
    assert_eq!(status, StatusCode::OK);
    assert_eq!((settings["rpm"].as_u64(), settings["ttl_seconds"].as_u64()), (Some(7), Some(9)));
    assert_eq!(settings["max_running"], 1000);
    let response = emu.admin(Method::POST, "config", Some(json!({"speed": -1}))).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = emu.admin(Method::POST, "config", Some(json!({"rpm": "many"}))).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = emu.admin(Method::POST, "config", None).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    let job = emu.create_ok(small("forget me")).await;
    emu.fault(json!({"kind": "500", "count": 10})).await;
    let reset: Value = emu.admin(Method::POST, "reset", None).await.json().await.unwrap();
    assert_eq!((reset["rpm"].as_u64(), reset["ttl_seconds"].as_u64()), (Some(0), Some(86_400)));
    let (status, _) = emu.job(job["id"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "jobs are forgotten and faults cleared");
    let records = emu.requests().await;
    assert_eq!(records.len(), 1, "the log restarts: {records:?}");
}
