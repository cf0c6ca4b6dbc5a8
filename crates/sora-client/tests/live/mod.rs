//! The real emulator, started in this process, and a native transport to it (reqwest on tokio), so
//! native tests can check the client against the service's real answers.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sora_client::{Auth, Body, Client, ClientOptions, Error, HttpRequest, HttpResponse, Method, Protocol, Transport};
use sora_emulator::Config;

/// The emulator's default key.
const KEY: &str = "emulator-key";
/// The emulators' admin token (`--admin-token`), for tests that change a live setting.
pub const ADMIN_TOKEN: &str = "live-test-admin-token-0123456789";
/// A deployment the emulators know besides `sora` (`--deployment`).
pub const EXTRA_DEPLOYMENT: &str = "sora-studio-test";

/// A running emulator, shared by every test of this binary that wants its flavour.
#[derive(Clone, Copy)]
pub struct Emulator {
    addr: SocketAddr,
}

impl Emulator {
    /// An emulator answering errors in the wrapped envelope (`{"error": {...}}`), as Azure does.
    pub fn wrapped() -> Self {
        static ADDR: OnceLock<SocketAddr> = OnceLock::new();
        Self { addr: *ADDR.get_or_init(|| spawn(config(false))) }
    }

    /// An emulator started with `--flat-errors`: error bodies without the `error` wrapper (the spec's form).
    #[allow(dead_code, reason = "the Videos API's tests use the wrapped envelope only")]
    pub fn flat() -> Self {
        static ADDR: OnceLock<SocketAddr> = OnceLock::new();
        Self { addr: *ADDR.get_or_init(|| spawn(config(true))) }
    }

    /// An emulator of its own (wrapped errors), for a test that changes live settings.
    #[allow(dead_code, reason = "not every test binary changes settings")]
    pub fn own() -> Self {
        Self { addr: spawn(config(false)) }
    }

    /// A client with quick polling and no rate budget to wait for.
    #[allow(dead_code, reason = "the Videos API's tests choose their protocol")]
    pub fn client(&self) -> Client<Live> {
        self.client_for(Protocol::AzureJobs)
    }

    /// A client of `protocol` as [`Emulator::client`]: at the emulator's root on Azure, at its
    /// `/v1` as an OpenAI-compatible base (where the client sends the key as a bearer token).
    pub fn client_for(&self, protocol: Protocol) -> Client<Live> {
        let mut options = ClientOptions { requests_per_minute: 60_000, ..ClientOptions::for_protocol(protocol) };
        options.creates_per_minute = None;
        options.poll.min_interval_ms = 50;
        options.poll.max_interval_ms = 200;
        let endpoint = match protocol {
            Protocol::OpenAiVideos => format!("http://{}/v1", self.addr),
            _ => format!("http://{}", self.addr),
        };
        Client::with_options(&endpoint, Auth::ApiKey(KEY.into()), options, Live { http: http() }).expect("client")
    }

    /// Change the emulator's live settings (`POST /admin/config`).
    #[allow(dead_code, reason = "not every test binary changes settings")]
    pub async fn configure(&self, settings: &str) {
        let response = http()
            .post(format!("http://{}/admin/config", self.addr))
            .header("x-admin-token", ADMIN_TOKEN)
            .header("content-type", "application/json")
            .body(settings.to_owned())
            .send()
            .await
            .expect("admin config");
        assert!(response.status().is_success(), "admin config {settings}: {}", response.status());
    }
}

/// Jobs of a few seconds at most (slow enough to see their statuses), no rate limit, one extra deployment.
fn config(flat_errors: bool) -> Config {
    Config {
        speed: 20.0,
        rpm: 0,
        max_running: 1000,
        deployments: vec![EXTRA_DEPLOYMENT.into()],
        admin_token: Some(ADMIN_TOKEN.into()),
        flat_errors,
        ..Config::default()
    }
}

/// Start an emulator on its own runtime thread (alive until the test binary ends).
fn spawn(config: Config) -> SocketAddr {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
        runtime.block_on(async move {
            let (addr, task) = sora_emulator::spawn(config).await.expect("spawn the emulator");
            sender.send(addr).expect("send the address");
            let _ = task.await;
        });
    });
    receiver.recv().expect("the emulator's address")
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().expect("http client")
}

/// Run a test's async body on a runtime of its own (the client's futures need not be `Send`).
pub fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime").block_on(future)
}

/// Sends with reqwest and sleeps on tokio's timers.
#[derive(Clone)]
pub struct Live {
    http: reqwest::Client,
}

impl Transport for Live {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
            Method::Head => reqwest::Method::HEAD,
        };
        let mut builder = self.http.request(method, &request.url);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        builder = match request.body {
            Body::None => builder,
            Body::Json(json) => builder.header("content-type", "application/json").body(json),
            Body::Multipart(parts) => {
                let boundary = "sora-client-live-test-boundary";
                builder
                    .header("content-type", format!("multipart/form-data; boundary={boundary}"))
                    .body(parts.encode(boundary))
            }
        };
        let response = builder.send().await.map_err(|e| Error::Network(e.to_string()))?;
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let mut out = HttpResponse {
            status: response.status().as_u16(),
            request_id: header("apim-request-id"),
            retry_after_ms: header("retry-after-ms"),
            retry_after: header("retry-after"),
            poll_after_ms: header("openai-poll-after-ms"),
            content_length: response.content_length(),
            body: Vec::new(),
        };
        out.body = response.bytes().await.map_err(|e| Error::Network(e.to_string()))?.to_vec();
        Ok(out)
    }

    async fn sleep(&self, ms: u64) -> Result<(), Error> {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        Ok(())
    }

    fn now_ms(&self) -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
    }

    fn random(&self) -> f64 {
        0.5
    }

    fn detached(&self) -> Self {
        self.clone()
    }
}
