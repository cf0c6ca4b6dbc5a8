//! Injected redirects (`POST /admin/redirect`) and the landing route that records who followed them.

use reqwest::redirect::Policy;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{API, Emu, KEY, error_of, fast};

/// The landing route of `emu` under another host name: a cross-origin target on the same server.
fn landing(emu: &Emu) -> String {
    format!("{}/admin/redirect/landing", emu.base.replace("127.0.0.1", "localhost"))
}

async fn state(emu: &Emu) -> Value {
    emu.admin(Method::GET, "redirect", None).await.json().await.unwrap()
}

#[tokio::test]
async fn queued_redirects_answer_307_with_the_location_then_run_out() {
    let emu = Emu::start(fast()).await;
    let no_follow = Client::builder().no_proxy().redirect(Policy::none()).build().unwrap();
    let to = landing(&emu);
    let response =
        emu.admin(Method::POST, "redirect", Some(json!({"to": to, "count": 2, "path_contains": "/jobs"}))).await;
    assert_eq!(response.status(), StatusCode::OK);

    // Not matching: handled normally (and not consumed).
    let other = no_follow
        .get(emu.url(&format!("{API}/gen_x?api-version=preview")))
        .header("api-key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);

    for _ in 0..2 {
        // Redirected before auth: even a request without a key gets the 307.
        let response = no_follow.get(emu.url(&format!("{API}/jobs?api-version=preview&limit=1"))).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::TEMPORARY_REDIRECT);
        assert_eq!(response.headers()["location"], format!("{to}{API}/jobs?api-version=preview&limit=1").as_str());
        assert!(response.headers().contains_key("apim-request-id"));
    }
    let after =
        no_follow.get(emu.url(&format!("{API}/jobs?api-version=preview"))).header("api-key", KEY).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::OK, "the redirects ran out");

    let statuses: Vec<u64> = emu.requests().await.iter().map(|r| r["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [404, 307, 307, 200]);
    let state = state(&emu).await;
    assert_eq!(state["pending"], json!([]));
    assert_eq!(state["landings"], json!([]), "nobody followed");
}

/// The landing records what a client that follows redirects brings along: reqwest drops
/// `authorization` on a cross-host redirect but keeps `api-key` (browsers do the same), which is
/// why a client must refuse redirects rather than rely on header stripping.
#[tokio::test]
async fn the_landing_records_which_credentials_followed() {
    let emu = Emu::start(fast()).await;
    let follow = Client::builder().no_proxy().build().unwrap();
    let to = landing(&emu);
    emu.admin(Method::POST, "redirect", Some(json!({"to": to, "count": 2, "status": 308}))).await;
    let response = follow
        .get(emu.url(&format!("{API}/jobs?api-version=preview&api-key={KEY}")))
        .header("api-key", KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({"landed": true}));
    follow
        .get(emu.url(&format!("{API}/jobs/task_x")))
        .header("authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .unwrap();

    let landings = state(&emu).await["landings"].clone();
    let landings = landings.as_array().unwrap();
    assert_eq!(landings.len(), 2, "{landings:?}");
    assert_eq!(landings[0]["method"], "GET");
    assert_eq!(landings[0]["path"], format!("/admin/redirect/landing{API}/jobs"));
    assert_eq!(landings[0]["query"], "api-version=preview&api-key=REDACTED");
    assert_eq!(landings[0]["api_key_present"], true);
    assert_eq!(landings[1]["authorization_present"], false);
    assert!(!Value::Array(landings.clone()).to_string().contains(KEY), "values are never recorded");

    // Reset forgets landings and queued redirects.
    emu.admin(Method::POST, "redirect", Some(json!({"to": to}))).await;
    emu.admin(Method::POST, "reset", Some(json!({}))).await;
    assert_eq!(state(&emu).await, json!({"pending": [], "landings": []}));
    let response = emu.api(Method::GET, "/jobs?api-version=preview").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_redirect_requests_are_refused() {
    let emu = Emu::shared();
    for (body, param) in [
        (json!({"to": "ftp://x"}), "to"),
        (json!({"to": "/relative"}), "to"),
        (json!({"to": "http://x/?q=1"}), "to"),
        (json!({"to": "http://x/\r\nX-Evil: 1"}), "to"),
        (json!({"to": "http://x", "status": 200}), "status"),
        (json!({"to": "http://x", "count": 0}), "count"),
    ] {
        let response = emu.admin(Method::POST, "redirect", Some(body)).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: Value = response.json().await.unwrap();
        assert_eq!(error_of(&body)["param"], param, "{body}");
    }
    let response = emu.admin(Method::POST, "redirect", Some(json!({"count": 1}))).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(emu.admin(Method::DELETE, "redirect", None).await.status(), StatusCode::NO_CONTENT);
}
