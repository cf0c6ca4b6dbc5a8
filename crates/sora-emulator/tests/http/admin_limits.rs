//! Admin input is bounded: every number in its range (400 naming it), faults and tokens capped,
//! and no admin value can take the server down.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{Emu, error_of, fast, json_of};

/// Posts an admin body and returns the status and JSON.
async fn post(emu: &Emu, path: &str, body: Value) -> (StatusCode, Value) {
    json_of(emu.admin(Method::POST, path, Some(body)).await).await
}

/// Asserts a 400 that names `param` and says the allowed range.
fn assert_names(status: StatusCode, body: &Value, param: &str, range: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{param}: {body}");
    let error = error_of(body);
    assert_eq!(error["param"], param, "{body}");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains(range), "{param}: {message}");
}

#[tokio::test]
async fn config_numbers_outside_their_range_are_refused_by_name() {
    let emu = Emu::start(fast()).await;
    let (_, before) = json_of(emu.admin(Method::GET, "config", None).await).await;
    let cases = [
        ("rpm", json!(-1), "0 to 1000000"),
        ("rpm", json!(4_294_967_296_u64), "0 to 1000000"),
        ("max_running", json!(1.5), "0 to 1000000"),
        ("speed", json!(0), "0.001 to 100000"),
        ("speed", json!(1e300), "0.001 to 100000"),
        ("ttl_seconds", json!(u64::MAX), "0 to 315360000"),
        ("latency_ms", json!(600_001), "0 to 600000"),
        ("clock_skew_secs", json!(260_000_000_000_i64), "-3155760000 to 3155760000"),
        ("clock_skew_secs", json!(-260_000_000_000_i64), "-3155760000 to 3155760000"),
        ("clock_skew_secs", json!("5"), "-3155760000 to 3155760000"),
    ];
    for (field, value, range) in cases {
        // A valid field beside the bad one: nothing is applied unless everything is valid.
        let (status, body) = post(&emu, "config", json!({"rpm": 7, field: value})).await;
        assert_names(status, &body, field, range);
    }
    let (_, after) = json_of(emu.admin(Method::GET, "config", None).await).await;
    assert_eq!(before, after);
    let (status, settings) = post(&emu, "config", json!({"clock_skew_secs": -3_155_760_000_i64, "speed": 0.001})).await;
    assert_eq!(status, StatusCode::OK, "{settings}");
}

#[tokio::test]
async fn an_absurd_clock_skew_cannot_take_the_server_down() {
    let emu = Emu::start(fast()).await;
    let (status, body) = post(&emu, "config", json!({"clock_skew_secs": 260_000_000_000_i64})).await;
    assert_names(status, &body, "clock_skew_secs", "3155760000");
    // The largest allowed skew still yields valid dates on every response.
    let (status, _) = post(&emu, "config", json!({"clock_skew_secs": 3_155_760_000_i64})).await;
    assert_eq!(status, StatusCode::OK);
    for _ in 0..3 {
        let response = emu.api(Method::GET, "/jobs?limit=1").send().await.expect("still answering");
        assert_eq!(response.status(), StatusCode::OK);
        let date = response.headers()["date"].to_str().unwrap().to_owned();
        assert!(date.ends_with("GMT") && date.contains("2126"), "{date}");
    }
    let job = emu.succeeded("skewed a century ahead").await;
    assert!(job["finished_at"].as_u64().unwrap() > 4_800_000_000, "{job}");
}

#[tokio::test]
async fn fault_numbers_outside_their_range_are_refused_by_name() {
    let emu = Emu::start(fast()).await;
    let cases = [
        ("count", json!(0), "1 to 1000000"),
        ("count", json!(1_000_001), "1 to 1000000"),
        ("latency_ms", json!(-5), "0 to 600000"),
        // Any u64 is allowed (a hint is only echoed in headers); a negative one is not.
        ("retry_after_ms", json!(-1), "0 to 18446744073709551615"),
        ("bytes_per_sec", json!(0), "1 to 1000000000"),
    ];
    for (field, value, range) in cases {
        let (status, body) = post(&emu, "faults", json!({"kind": "latency", field: value})).await;
        assert_names(status, &body, field, range);
        if field == "count" {
            let (status, body) = post(&emu, "redirect", json!({"to": "http://x.test", "count": value})).await;
            assert_names(status, &body, "count", range);
        }
    }
    let long = "x".repeat(1025);
    let (status, body) = post(&emu, "faults", json!({"kind": "500", "path_contains": long})).await;
    assert_names(status, &body, "path_contains", "1024");
    let (status, body) = post(&emu, "tokens", json!({"ttl_seconds": -1})).await;
    assert_names(status, &body, "ttl_seconds", "0 to 1000000000");
    // None of them queued anything.
    let response = emu.api(Method::GET, "/jobs?limit=1").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_fault_queue_is_capped() {
    let emu = Emu::start(fast()).await;
    let fault = json!({"kind": "500", "path_contains": "/never-requested"});
    for n in 0..1000 {
        let (status, body) = post(&emu, "faults", fault.clone()).await;
        assert_eq!(status, StatusCode::OK, "fault {n}: {body}");
    }
    let (status, body) = post(&emu, "faults", fault.clone()).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(error_of(&body)["code"], "too_many_faults");
    assert!(body.to_string().contains("1000"), "{body}");
    assert_eq!(emu.admin(Method::DELETE, "faults", None).await.status(), StatusCode::NO_CONTENT);
    let (status, _) = post(&emu, "faults", fault).await;
    assert_eq!(status, StatusCode::OK, "clearing makes room again");
}

#[tokio::test]
async fn live_tokens_are_capped() {
    let emu = Emu::start(fast()).await;
    for n in 0..10_000 {
        let (status, body) = post(&emu, "tokens", json!({"ttl_seconds": 600})).await;
        assert_eq!(status, StatusCode::OK, "token {n}: {body}");
    }
    let (status, body) = post(&emu, "tokens", json!({"ttl_seconds": 600})).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(error_of(&body)["code"], "too_many_tokens");
    let (status, _) = post(&emu, "reset", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = post(&emu, "tokens", json!({"ttl_seconds": 600})).await;
    assert_eq!(status, StatusCode::OK, "a reset forgets them");
}
