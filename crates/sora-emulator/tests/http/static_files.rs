//! Serving a built single-page app with index.html fallback.

use reqwest::{Method, StatusCode};
use sora_emulator::Config;

use crate::common::{Emu, fast};

#[tokio::test]
async fn serves_the_app_with_index_fallback() {
    let dir = std::env::temp_dir().join(format!("sora-emulator-static-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>studio</title>").unwrap();
    std::fs::write(dir.join("app.js"), "console.log('hi')").unwrap();
    let emu = Emu::start(Config { static_dir: Some(dir.clone()), ..fast() }).await;
    let index = emu.client.get(emu.url("/")).send().await.unwrap();
    assert_eq!(index.status(), StatusCode::OK);
    assert_eq!(index.headers()["cross-origin-resource-policy"], "cross-origin");
    assert!(index.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(index.text().await.unwrap().contains("studio"));
    let script = emu.client.get(emu.url("/app.js")).send().await.unwrap();
    assert!(script.headers()["content-type"].to_str().unwrap().contains("javascript"));
    let deep = emu.client.get(emu.url("/jobs/task_123/view")).send().await.unwrap();
    assert_eq!(deep.status(), StatusCode::OK);
    assert!(deep.text().await.unwrap().contains("studio"));
    // The API is never shadowed by the app.
    let api = emu.api(Method::GET, "/jobs?limit=1").send().await.unwrap();
    assert_eq!(api.headers()["content-type"], "application/json");
    let unknown = emu.client.get(emu.url("/openai/v2/whatever")).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    std::fs::remove_dir_all(&dir).ok();
}
