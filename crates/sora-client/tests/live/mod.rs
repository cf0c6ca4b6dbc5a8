//! The real emulator, started in this process, and a native transport to it (reqwest on tokio), so
//! native tests can check the client against the service's real answers.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sora_client::{Auth, Body, Client, ClientOptions, Error, HttpRequest, HttpResponse, Method, Transport};
use sora_emulator::Config;

/// The emulator's default key.
const KEY: &str = "emulator-key";
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
    pub fn flat() -> Self {
        static ADDR: OnceLock<SocketAddr> = OnceLock::new();
        Self { addr: *ADDR.get_or_init(|| spawn(config(true))) }
    }

    /// A client with quick polling and no rate budget to wait for.
    pub fn client(&self) -> Client<Live> {
        let mut options = ClientOptions { requests_per_minute: 60_000, ..Default::default() };
        options.poll.min_interval_ms = 50;
        options.poll.max_interval_ms = 200;
        let http = reqwest::Client::builder().no_proxy().build().expect("http client");
        Client::with_options(&format!("http://{}", self.addr), Auth::ApiKey(KEY.into()), options, Live { http })
            .expect("client")
    }
}

/// Jobs of a few seconds at most (slow enough to see their statuses), no rate limit, one extra deployment.
fn config(flat_errors: bool) -> Config {
    Config {
        speed: 20.0,
        rpm: 0,
        max_running: 1000,
        deployments: vec![EXTRA_DEPLOYMENT.into()],
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
