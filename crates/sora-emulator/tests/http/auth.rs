//! Authentication: api-key, bearer key, raw authorization, minted tokens, and 401s.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{API, Emu, KEY, error_of, json_of};

/// Lists jobs with the given headers; returns the status and body.
async fn list_with(emu: &Emu, headers: &[(&str, &str)]) -> (StatusCode, Value) {
    let mut request = emu.client.get(emu.url(&format!("{API}/jobs?limit=1&api-version=preview")));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    json_of(request.send().await.unwrap()).await
}

#[tokio::test]
async fn keys_in_every_accepted_form() {
    let emu = Emu::shared();
    let bearer = format!("Bearer {KEY}");
    let lower = format!("bearer {KEY}");
    for headers in [
        vec![("api-key", KEY)],
        vec![("authorization", bearer.as_str())],
        vec![("authorization", lower.as_str())],
        vec![("authorization", KEY)],
        vec![("api-key", "wrong"), ("authorization", bearer.as_str())],
    ] {
        let (status, body) = list_with(&emu, &headers).await;
        assert_eq!(status, StatusCode::OK, "{headers:?}: {body}");
    }
}

#[tokio::test]
async fn missing_or_wrong_credentials_are_401() {
    let emu = Emu::shared();
    for headers in [
        vec![],
        vec![("api-key", "wrong")],
        vec![("api-key", "")],
        vec![("authorization", "Bearer wrong")],
        vec![("authorization", "Basic ZW11bGF0b3Ita2V5")],
    ] {
        let (status, body) = list_with(&emu, &headers).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{headers:?}");
        let error = error_of(&body);
        assert_eq!(error["code"], "401");
        assert!(error["message"].as_str().unwrap().starts_with("Access denied due to invalid subscription key"));
        assert!(error["param"].is_null() && error["type"].is_null());
    }
    // Every operation is protected, including content.
    let response = emu.client.head(emu.url(&format!("{API}/gen_x/content/video"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = emu.client.delete(emu.url(&format!("{API}/jobs/task_x"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn minted_tokens_work_until_they_expire() {
    let emu = Emu::shared();
    let minted: Value = emu.admin(Method::POST, "tokens", Some(json!({"ttl_seconds": 1}))).await.json().await.unwrap();
    let token = minted["token"].as_str().expect("token").to_owned();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let expires_at = minted["expires_at"].as_u64().expect("expires_at");
    assert!(expires_at >= now && expires_at <= now + 2, "{minted}");
    let bearer = format!("Bearer {token}");
    let (status, _) = list_with(&emu, &[("authorization", &bearer)]).await;
    assert_eq!(status, StatusCode::OK);
    // A token is not a key: it does not work in api-key.
    let (status, _) = list_with(&emu, &[("api-key", &token)]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, body) = list_with(&emu, &[("authorization", &bearer)]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(error_of(&body)["message"].as_str().unwrap().contains("expired"), "{body}");
    let long: Value = emu.admin(Method::POST, "tokens", Some(json!({"ttl_seconds": 3600}))).await.json().await.unwrap();
    let bearer = format!("Bearer {}", long["token"].as_str().unwrap());
    let (status, _) = list_with(&emu, &[("authorization", &bearer)]).await;
    assert_eq!(status, StatusCode::OK);
}
