//! The studio's use of the core client: building it, downloading videos into object URLs, waiting.

use gloo_file::{Blob, ObjectUrl};
use sora_client::{Auth, Client, Error, FetchTransport, Quality};

/// The key the built-in emulator accepts; the default so a first run works with no Azure account.
pub const EMULATOR_KEY: &str = "emulator-key";

/// The page's own origin: `cargo xtask serve` puts the emulator behind the studio there.
pub fn default_endpoint() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_else(|| "http://127.0.0.1:8787".into())
}

/// A client for the connection the user entered.
pub fn client(endpoint: &str, api_key: &str) -> Result<Client<FetchTransport>, Error> {
    Client::new(endpoint, Auth::ApiKey(api_key.to_owned()), FetchTransport::default())
}

/// Download a generated video into an object URL that is revoked when dropped.
pub async fn video_url(client: &Client<FetchTransport>, generation_id: &str) -> Result<ObjectUrl, Error> {
    let bytes = client.video_content(generation_id, Quality::High).await?;
    Ok(ObjectUrl::from(Blob::new_with_options(bytes.as_slice(), Some("video/mp4"))))
}

/// Wait on the browser's timer.
pub async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}
