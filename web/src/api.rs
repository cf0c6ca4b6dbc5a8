//! The studio's use of the core client: the connection, a browser transport that reports 429s and
//! slows down in hidden tabs, and downloads into blobs.

use gloo_file::Blob;
use leptos::prelude::*;
use sora_client::videos::ContentVariant;
use sora_client::{
    Auth, Client, ClientOptions, Endpoint, Error, FetchTransport, HttpRequest, HttpResponse, Idempotency, Protocol,
    Quality, RetryPolicy, Transport, is_retryable, requested_wait_ms,
};
use web_sys::AbortSignal;

/// The key the built-in emulator accepts; the default on a loopback origin so a first run just works.
pub const EMULATOR_KEY: &str = "emulator-key";

/// How requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    ApiKey,
    Bearer,
}

/// What the user entered in the connection panel.
#[derive(Clone, PartialEq)]
pub struct Connection {
    /// The API the endpoint speaks: the jobs API, or the Videos API on Azure or a gateway.
    pub protocol: Protocol,
    pub endpoint: String,
    pub deployment: String,
    pub auth_mode: AuthMode,
    pub key: String,
    /// The deployment's requests-per-minute quota: the client's shared rate budget.
    pub requests_per_minute: u32,
}

impl Connection {
    /// Switch the API; the default model name follows it (`sora` for the jobs API, `sora-2` otherwise).
    pub fn set_protocol(&mut self, protocol: Protocol) {
        self.protocol = protocol;
        if matches!(self.deployment.trim(), "sora" | "sora-2") {
            self.deployment = (if protocol.is_videos() { "sora-2" } else { "sora" }).into();
        }
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key never reaches a log, not even through Debug.
        f.debug_struct("Connection")
            .field("protocol", &self.protocol)
            .field("endpoint", &self.endpoint)
            .field("deployment", &self.deployment)
            .field("requests_per_minute", &self.requests_per_minute)
            .finish()
    }
}

/// The page's own origin: `cargo xtask serve` puts the emulator behind the studio there.
pub fn page_origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_else(|| "http://127.0.0.1:8787".into())
}

/// Whether the page is served from this machine (then it is most likely the emulator).
pub fn on_loopback() -> bool {
    let host = web_sys::window().and_then(|w| w.location().hostname().ok()).unwrap_or_default();
    host == "localhost" || host.starts_with("127.") || host == "[::1]"
}

/// A 429 the service answered, shown until a request succeeds again.
#[derive(Debug, Clone, PartialEq)]
pub struct Busy {
    /// When the next try may happen (Unix ms).
    pub until_ms: f64,
}

/// Fetch with the studio's manners: reports 429s to the page and stretches waits while the tab is hidden.
#[derive(Clone)]
pub struct StudioTransport {
    inner: FetchTransport,
    busy: RwSignal<Option<Busy>>,
    hidden: RwSignal<bool>,
}

/// Waits in a hidden tab last at least this long: a tab nobody looks at needs no fresh status.
const HIDDEN_MIN_WAIT_MS: u64 = 15_000;
/// Waits are taken in slices this long so a tab made visible again catches up quickly.
const WAIT_SLICE_MS: u64 = 1_000;

impl StudioTransport {
    /// A transport that reports into `busy` and reads `hidden`; aborted by `signal`.
    pub fn new(busy: RwSignal<Option<Busy>>, hidden: RwSignal<bool>, signal: Option<AbortSignal>) -> Self {
        Self { inner: FetchTransport::with_signal(signal), busy, hidden }
    }

    /// The same transport bound to another abort signal.
    pub fn with_signal(&self, signal: Option<AbortSignal>) -> Self {
        Self::new(self.busy, self.hidden, signal)
    }
}

impl Transport for StudioTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let response = self.inner.send(request).await?;
        if response.status == 429 {
            // Capped as the client caps it: the banner shows the wait the client really takes.
            let now = js_sys::Date::now();
            let wait = requested_wait_ms(&response, now as u64, RetryPolicy::default().max_delay_ms).unwrap_or(1_000);
            self.busy.try_set(Some(Busy { until_ms: now + wait as f64 }));
        } else if response.status < 400 && self.busy.try_with_untracked(Option::is_some).unwrap_or(false) {
            self.busy.try_set(None);
        }
        Ok(response)
    }

    async fn sleep(&self, ms: u64) -> Result<(), Error> {
        let started = self.inner.now_ms();
        loop {
            let hidden = self.hidden.try_get_untracked().unwrap_or(false);
            let target = if hidden { ms.max(HIDDEN_MIN_WAIT_MS) } else { ms };
            let waited = self.inner.now_ms().saturating_sub(started);
            if waited >= target {
                return Ok(());
            }
            self.inner.sleep((target - waited).min(WAIT_SLICE_MS)).await?;
        }
    }

    fn now_ms(&self) -> u64 {
        self.inner.now_ms()
    }

    fn random(&self) -> f64 {
        self.inner.random()
    }

    fn detached(&self) -> Self {
        Self::new(self.busy, self.hidden, None)
    }
}

/// Whether a failed read (a poll, a download) is worth another try later: what the client itself
/// retries (429, 5xx, network, timeout), and unreadable answers, which a proxy's error page or a
/// broken body cause as well as a wrong endpoint (a person can stop watching).
pub fn worth_retrying_read(error: &Error) -> bool {
    is_retryable(error, Idempotency::Idempotent) || matches!(error, Error::Decode { .. })
}

/// The studio's client type.
pub type StudioClient = Client<StudioTransport>;

/// The service's default quota, and the budget a new connection starts with.
pub const DEFAULT_REQUESTS_PER_MINUTE: u32 = 60;
/// The highest budget the studio accepts (a generous Azure quota; above it the budget is no guard).
pub const MAX_REQUESTS_PER_MINUTE: u32 = 10_000;

/// Client options for a person watching: poll at least every 5 s so the status visibly moves, and
/// keep to the connection's requests-per-minute budget (and the protocol's creates budget).
pub fn options(requests_per_minute: u32, protocol: Protocol) -> ClientOptions {
    let mut options = ClientOptions::for_protocol(protocol);
    options.poll.max_interval_ms = 5_000;
    options.requests_per_minute = requests_per_minute.clamp(1, MAX_REQUESTS_PER_MINUTE);
    options
}

/// What an endpoint text is used as: the normalised base URL and the api-version (none on the
/// Videos API), as [`client`] sends them (the core's reading, shown before any request).
///
/// # Errors
/// A sentence saying what is wrong with the text, in the core's words.
pub fn endpoint_in_use(text: &str, protocol: Protocol) -> Result<(String, Option<&'static str>), String> {
    let settle = || -> Result<_, Error> {
        let endpoint = Endpoint::parse_for(text, protocol)?;
        if protocol.is_videos() {
            return Ok(([endpoint.as_str(), "/videos"].concat(), None));
        }
        let api_version = endpoint.api_version_with(&options(DEFAULT_REQUESTS_PER_MINUTE, protocol).api_version)?;
        Ok((endpoint.as_str().to_owned(), Some(api_version)))
    };
    settle().map_err(|error| match error {
        Error::Validation { field: "endpoint", message } => ["The endpoint ", &message].concat(),
        other => other.to_string(),
    })
}

/// Build a client for a connection.
///
/// # Errors
/// [`Error::Validation`] when the endpoint or key is unusable.
pub fn client(connection: &Connection, transport: StudioTransport) -> Result<StudioClient, Error> {
    let key = connection.key.trim().to_owned();
    let auth = match connection.auth_mode {
        AuthMode::ApiKey => Auth::ApiKey(key),
        AuthMode::Bearer => Auth::Bearer(key),
    };
    let options = options(connection.requests_per_minute, connection.protocol);
    Client::with_options(connection.endpoint.trim(), auth, options, transport)
}

/// Download one asset of a generated video as a blob (authenticated, so no plain `src` URL can do
/// it): on the jobs API `id` is a generation's, on the Videos API a video's.
pub async fn asset_blob(client: &StudioClient, id: &str, variant: ContentVariant) -> Result<Blob, Error> {
    let bytes = match (client.protocol().is_videos(), variant) {
        (true, _) => client.download_content(id, variant).await?,
        (false, ContentVariant::Video) => client.video_content(id, Quality::High).await?,
        (false, _) => client.thumbnail(id).await?,
    };
    let mime = match variant {
        ContentVariant::Video => "video/mp4",
        // The browser sniffs the image; JPEG is what both APIs send.
        _ => "image/jpeg",
    };
    Ok(Blob::new_with_options(bytes.as_slice(), Some(mime)))
}
