//! Shared helpers for the headless-Chromium tests: the emulator's address and its admin endpoints.
// Each test binary uses only some of them.
#![allow(dead_code)]

use gloo_net::http::Request;
use serde::Deserialize;
use sora_client::{Auth, Client, ClientOptions, FetchTransport};

/// The emulator `cargo xtask test` started (set at build time).
pub fn emulator() -> &'static str {
    env!("SORA_EMULATOR_URL", "build with SORA_EMULATOR_URL set: run `cargo xtask test`")
}

/// The emulator's admin token (`x-admin-token`), set at build time like the URL.
pub fn admin_token() -> &'static str {
    env!("SORA_EMULATOR_ADMIN_TOKEN", "build with SORA_EMULATOR_ADMIN_TOKEN set: run `cargo xtask test`")
}

pub fn api_key() -> &'static str {
    option_env!("SORA_EMULATOR_KEY").unwrap_or("emulator-key")
}

/// A client with quick polling, as tests want.
pub fn client_with(options: ClientOptions) -> Client<FetchTransport> {
    Client::with_options(emulator(), Auth::ApiKey(api_key().into()), options, FetchTransport::default()).unwrap()
}

pub fn fast_options() -> ClientOptions {
    let mut options = ClientOptions { requests_per_minute: 6000, ..Default::default() };
    options.poll.min_interval_ms = 100;
    options.poll.max_interval_ms = 400;
    options.retry.base_delay_ms = 200;
    options
}

pub fn client() -> Client<FetchTransport> {
    client_with(fast_options())
}

/// POST a JSON body to an admin endpoint.
pub async fn admin(path: &str, body: &str) -> String {
    let response = Request::post(&format!("{}{path}", emulator()))
        .header("content-type", "application/json")
        .header("x-admin-token", admin_token())
        .body(body.to_owned())
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(response.ok(), "admin {path} answered {}", response.status());
    response.text().await.unwrap()
}

/// Clear queued faults.
pub async fn clear_faults() {
    let response = Request::delete(&format!("{}/admin/faults", emulator()))
        .header("x-admin-token", admin_token())
        .send()
        .await
        .unwrap();
    assert!(response.ok(), "clearing faults answered {}", response.status());
}

/// Forget all jobs, faults and rate windows: each test starts from a clean emulator.
pub async fn reset() {
    admin("/admin/reset", "{}").await;
}

#[derive(Debug, Deserialize)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub at_ms: u64,
}

/// What the emulator received since the last reset.
pub async fn requests() -> Vec<LoggedRequest> {
    let response = Request::get(&format!("{}/admin/requests", emulator()))
        .header("x-admin-token", admin_token())
        .send()
        .await
        .unwrap();
    serde_wasm_bindgen::from_value(js_sys::JSON::parse(&response.text().await.unwrap()).unwrap()).unwrap()
}

/// Wait on a real timer.
pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

/// An 8x8 red PNG.
pub const PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 8, 0, 0, 0, 8, 8, 2, 0, 0, 0, 75, 109, 41,
    220, 0, 0, 0, 17, 73, 68, 65, 84, 120, 156, 99, 56, 33, 39, 135, 21, 49, 12, 45, 9, 0, 144, 191, 65, 1, 178, 159,
    62, 34, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];
