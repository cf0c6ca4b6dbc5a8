//! Security in headless Chromium: redirects never carry the key, the key never reaches a URL, and
//! hostile bodies fail cleanly through the browser's own JSON parser.
//!
//! The emulator answers the next /openai requests with `307 Location: http://localhost:PORT/admin/
//! redirect/landing/...` (`POST /admin/redirect`): the same server under another host name, so a
//! different origin, whose landing route records every request that reaches it and whether it
//! carried `api-key` or `authorization`. A control test shows that a plain `fetch` (which follows
//! redirects) does deliver the key there; the client's `fetch` uses `redirect: "error"` and must fail
//! with a network error, the landing never reached.
#![cfg(target_arch = "wasm32")]

mod browser;
#[path = "common/decode_fixtures.rs"]
mod decode_fixtures;

use browser::{admin, admin_token, api_key, client_with, emulator, fast_options, reset};
use gloo_net::http::Request;
use serde::Deserialize;
use sora_client::{
    Auth, Client, ClientOptions, CreateVideoRequest, Error, FetchTransport, ListJobsQuery, Quality, VideoGeneration,
    VideoGenerationJob, VideoSize, json,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const API: &str = "/openai/v1/video/generations";

/// The emulator under another host name: another origin, the same server.
fn other_origin() -> String {
    let url = emulator();
    assert!(url.contains("127.0.0.1"), "the emulator must listen on 127.0.0.1: {url}");
    url.replace("127.0.0.1", "localhost")
}

#[derive(Debug, Deserialize)]
struct Landing {
    method: String,
    path: String,
    api_key_present: bool,
    authorization_present: bool,
}

#[derive(Debug, Deserialize)]
struct Pending {
    remaining: u32,
}

#[derive(Debug, Deserialize)]
struct RedirectState {
    pending: Vec<Pending>,
    landings: Vec<Landing>,
}

#[derive(Debug, Deserialize)]
struct Logged {
    method: String,
    path: String,
    query: Option<String>,
    status: u16,
    api_key_present: bool,
    authorization_present: bool,
}

async fn get_json<T: for<'de> Deserialize<'de>>(path: &str) -> T {
    let response =
        Request::get(&format!("{}{path}", emulator())).header("x-admin-token", admin_token()).send().await.unwrap();
    assert!(response.ok(), "{path} answered {}", response.status());
    serde_wasm_bindgen::from_value(js_sys::JSON::parse(&response.text().await.unwrap()).unwrap()).unwrap()
}

/// Answer the next `count` /openai requests with a redirect to the other origin's landing route.
async fn redirect_next(count: u32) {
    let body = format!(r#"{{"to":"{}/admin/redirect/landing","count":{count},"status":307}}"#, other_origin());
    admin("/admin/redirect", &body).await;
}

async fn redirect_state() -> RedirectState {
    get_json("/admin/redirect").await
}

async fn logged() -> Vec<Logged> {
    get_json("/admin/requests").await
}

async fn clear_redirects() {
    let response = Request::delete(&format!("{}/admin/redirect", emulator()))
        .header("x-admin-token", admin_token())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
}

/// No retries, so each call is one request and the counts below are exact.
fn once() -> ClientOptions {
    let mut options = fast_options();
    options.retry.max_retries = 0;
    options
}

fn request(prompt: &str) -> CreateVideoRequest {
    let mut request = CreateVideoRequest::new("sora", prompt, VideoSize::Square480);
    request.n_seconds = 1;
    request
}

fn assert_network_error<T: std::fmt::Debug>(what: &str, result: Result<T, Error>) {
    match result {
        Err(Error::Network(message)) => assert!(!message.contains(api_key()), "{message}"),
        other => panic!("{what}: expected a network error (redirect refused), got {other:?}"),
    }
}

/// The control: the browser follows this redirect and delivers the key to the other origin, so
/// the tests below that see no landing are meaningful.
#[wasm_bindgen_test]
async fn control_a_following_fetch_delivers_the_key_to_the_other_origin() {
    reset().await;
    redirect_next(1).await;
    let response = Request::get(&format!("{}{API}/jobs?api-version=preview", emulator()))
        .header("api-key", api_key())
        .send()
        .await
        .expect("the redirect is followed");
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), r#"{"landed":true}"#);
    let state = redirect_state().await;
    assert_eq!(state.landings.len(), 1, "{state:?}");
    let landing = &state.landings[0];
    assert_eq!(
        (landing.method.as_str(), landing.path.as_str()),
        ("GET", "/admin/redirect/landing/openai/v1/video/generations/jobs")
    );
    assert!(
        landing.api_key_present && !landing.authorization_present,
        "Chromium keeps api-key across origins: {landing:?}"
    );
    clear_redirects().await;
}

#[wasm_bindgen_test]
async fn redirects_are_refused_and_never_reach_the_other_origin() {
    reset().await;
    // A real job first, so downloads have something to redirect.
    let client = client_with(once());
    let job = client.create_and_wait(&request("a lighthouse at dusk"), &Default::default()).await.unwrap();
    let generation = job.generations[0].id.clone();
    let before = logged().await.len();

    redirect_next(100).await;
    assert_network_error("get_job", client.get_job(&job.id).await);
    assert_network_error("list_jobs", client.list_jobs(&ListJobsQuery::default()).await);
    assert_network_error("create_job", client.create_job(&request("a second lighthouse")).await);
    assert_network_error("get_generation", client.get_generation(&generation).await);
    assert_network_error("video_content", client.video_content(&generation, Quality::High).await);
    assert_network_error("thumbnail", client.thumbnail(&generation).await);
    assert_network_error("video_size", client.video_size(&generation, Quality::High).await);
    assert_network_error("delete_job", client.delete_job(&job.id).await);

    // Bearer tokens, and the default retrying client (a network error on a read is retried: every
    // retry is refused the same way).
    let bearer =
        Client::with_options(emulator(), Auth::Bearer(api_key().into()), once(), FetchTransport::default()).unwrap();
    assert_network_error("bearer get_job", bearer.get_job(&job.id).await);
    let retrying = client_with(fast_options());
    assert_network_error("retrying get_job", retrying.get_job(&job.id).await);

    let state = redirect_state().await;
    assert!(state.landings.is_empty(), "a redirect was followed: {:?}", state.landings);
    let log = logged().await.split_off(before);
    let answered: Vec<(&str, u16)> =
        log.iter().filter(|r| r.method != "OPTIONS").map(|r| (r.method.as_str(), r.status)).collect();
    let expected_requests = 8 + 1 + 1 + fast_options().retry.max_retries as usize;
    assert_eq!(answered.len(), expected_requests, "{log:?}");
    assert!(
        answered.iter().all(|(_, status)| *status == 307),
        "every request was answered by the redirect: {answered:?}"
    );
    assert!(log.iter().filter(|r| r.method != "OPTIONS").all(|r| r.api_key_present != r.authorization_present));
    assert_eq!(state.pending.len(), 1, "{:?}", state.pending);
    assert_eq!(state.pending[0].remaining as usize, 100 - expected_requests);

    // The job was not deleted by the refused delete: the service never saw it.
    clear_redirects().await;
    assert_eq!(client.get_job(&job.id).await.unwrap().id, job.id);
}

/// The key and tokens travel in headers only: no URL the client sent carries them, in the path or
/// in the query (the emulator would have logged a secret-looking parameter as `REDACTED`).
#[wasm_bindgen_test]
async fn the_key_never_appears_in_a_url() {
    reset().await;
    let client = client_with(once());
    let job = client.create_and_wait(&request("a harbour in fog"), &Default::default()).await.unwrap();
    let generation = &job.generations[0].id;
    client.get_generation(generation).await.unwrap();
    client.video_content(generation, Quality::Low).await.unwrap();
    client.thumbnail(generation).await.unwrap();
    client.video_size(generation, Quality::High).await.unwrap();
    let page = ListJobsQuery { limit: 1, after: Some(job.id.clone()), ..Default::default() };
    client.list_jobs(&page).await.unwrap();
    let minted = js_sys::JSON::parse(&admin("/admin/tokens", r#"{"ttl_seconds":60}"#).await).unwrap();
    let token = js_sys::Reflect::get(&minted, &"token".into()).unwrap().as_string().unwrap();
    let bearer =
        Client::with_options(emulator(), Auth::Bearer(token.clone()), once(), FetchTransport::default()).unwrap();
    bearer.get_job(&job.id).await.unwrap();
    bearer.delete_job(&job.id).await.unwrap();

    let log = logged().await;
    assert!(log.len() >= 9, "{log:?}");
    for record in &log {
        let url = format!("{}?{}", record.path, record.query.as_deref().unwrap_or(""));
        for secret in [api_key(), token.as_str(), "REDACTED", "api-key=", "token=", "key="] {
            assert!(!url.contains(secret), "{secret:?} in {url}");
        }
        if record.method != "OPTIONS" {
            assert!(record.api_key_present || record.authorization_present, "{record:?}");
        }
    }
    let path_count = log.iter().filter(|r| r.path.starts_with(API)).count();
    assert_eq!(path_count, log.len());
}

/// Hostile bodies through the browser's JSON.parse and the client's tree decoder (native builds use
/// serde_json instead): errors, never a crash, and the size limit holds.
#[wasm_bindgen_test]
fn hostile_bodies_fail_cleanly_in_the_browser() {
    let decode = |body: &[u8]| match json::decode::<VideoGenerationJob>(body) {
        Err(Error::Decode { message, snippet }) => {
            assert!(snippet.chars().count() <= 201);
            message
        }
        other => panic!("{other:?}"),
    };
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    decode(deep.as_bytes());
    decode("[".repeat(100_000).as_bytes());
    decode(br#"{"id":"task_1","status":7}"#);
    decode(br#"{"id":"task_1","status":"queued","n_seconds":-1}"#);
    decode(br#"{"id":"task_1","status":"queued","generations":{"id":"gen_1"}}"#);
    decode(b"\xff\xfe");
    let skipped = format!(r#"{{"id":"task_1","status":"queued","extra":{deep}}}"#);
    assert_eq!(json::decode::<VideoGenerationJob>(skipped.as_bytes()).map(|j| j.id), Ok("task_1".to_owned()));
    let many = format!(
        r#"{{"id":"task_1","status":"succeeded","generations":[{}]}}"#,
        vec![r#"{"id":"gen_1","width":480,"height":480}"#; 100_000].join(",")
    );
    assert_eq!(json::decode::<VideoGenerationJob>(many.as_bytes()).unwrap().generations.len(), 100_000);
    let too_large = vec![b' '; json::MAX_BODY_BYTES as usize + 1];
    assert!(decode(&too_large).starts_with("response too large"));
    assert!(matches!(json::decode::<VideoGeneration>(b"{\"id\":[[[[[[[[[[[[]]]]]]]]]]]]}"), Err(Error::Decode { .. })));
}

/// The decoder on the shared fixture table (`common/decode_fixtures.tsv`), over the browser's `JSON.parse`.
#[wasm_bindgen_test]
fn every_fixture_decodes_as_the_table_says_in_the_browser() {
    decode_fixtures::check();
}
