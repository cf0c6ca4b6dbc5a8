//! Shared helpers: starting emulators, making requests, polling jobs.

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use sora_emulator::Config;

/// The emulator's default key.
pub const KEY: &str = "emulator-key";
/// The admin token test emulators are started with (see [`Emu::start`]).
pub const ADMIN_TOKEN: &str = "test-admin-token";
/// Where the API lives.
pub const API: &str = "/openai/v1/video/generations";

/// A running emulator plus a client bound to the test's runtime.
pub struct Emu {
    pub base: String,
    pub client: Client,
}

/// A configuration whose jobs finish in well under a second and that never rate-limits.
pub fn fast() -> Config {
    Config { speed: 200.0, rpm: 0, max_running: 1000, admin_token: Some(ADMIN_TOKEN.into()), ..Config::default() }
}

/// A client that never goes through a proxy.
pub fn client() -> Client {
    Client::builder().no_proxy().build().expect("client")
}

impl Emu {
    /// Starts a private emulator in this test's runtime.
    /// Without an admin token in `config`, [`ADMIN_TOKEN`] is used.
    pub async fn start(mut config: Config) -> Self {
        config.admin_token.get_or_insert_with(|| ADMIN_TOKEN.into());
        let (addr, _task) = sora_emulator::spawn(config).await.expect("spawn");
        Self::at(addr)
    }

    /// An emulator shared by tests that neither change settings nor queue faults.
    pub fn shared() -> Self {
        static SHARED: OnceLock<SocketAddr> = OnceLock::new();
        let addr = *SHARED.get_or_init(|| {
            let (sender, receiver) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("runtime");
                runtime.block_on(async move {
                    let (addr, task) = sora_emulator::spawn(fast()).await.expect("spawn");
                    sender.send(addr).expect("send addr");
                    let _ = task.await;
                });
            });
            receiver.recv().expect("shared emulator address")
        });
        Self::at(addr)
    }

    fn at(addr: SocketAddr) -> Self {
        Self { base: format!("http://{addr}"), client: client() }
    }

    /// An absolute URL for a server path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// An authenticated request to `API` + `path`.
    pub fn api(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(&format!("{API}{path}"))).header("api-key", KEY)
    }

    /// Posts a JSON create request.
    pub async fn create(&self, body: Value) -> Response {
        self.api(Method::POST, "/jobs?api-version=preview").json(&body).send().await.expect("create")
    }

    /// Posts a multipart create request; returns its status and JSON body.
    pub async fn create_multipart(&self, form: reqwest::multipart::Form) -> (StatusCode, Value) {
        json_of(
            self.api(Method::POST, "/jobs?api-version=preview").multipart(form).send().await.expect("multipart create"),
        )
        .await
    }

    /// Creates a job that must be accepted; returns it.
    pub async fn create_ok(&self, body: Value) -> Value {
        let response = self.create(body).await;
        let status = response.status();
        let job: Value = response.json().await.expect("job json");
        assert_eq!(status, StatusCode::OK, "{job}");
        job
    }

    /// Gets a job as JSON (status, body).
    pub async fn job(&self, id: &str) -> (StatusCode, Value) {
        json_of(self.api(Method::GET, &format!("/jobs/{id}?api-version=preview")).send().await.expect("get job")).await
    }

    /// Polls a job until it is terminal.
    pub async fn wait_terminal(&self, id: &str) -> Value {
        let mut polls = self.polls(id, Duration::from_millis(20)).await;
        polls.pop().expect("at least one poll")
    }

    /// Polls a job every `interval` until it is terminal; returns every body read, in order.
    pub async fn polls(&self, id: &str, interval: Duration) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut polls = Vec::new();
        loop {
            let (status, job) = self.job(id).await;
            assert_eq!(status, StatusCode::OK, "{job}");
            let terminal = ["succeeded", "failed", "cancelled"].contains(&job["status"].as_str().unwrap_or(""));
            polls.push(job);
            if terminal {
                return polls;
            }
            assert!(Instant::now() < deadline, "job {id} never finished: {polls:?}");
            tokio::time::sleep(interval).await;
        }
    }

    /// Creates a small job and waits for it to succeed.
    pub async fn succeeded(&self, prompt: &str) -> Value {
        let job = self.create_ok(small(prompt)).await;
        let job = self.wait_terminal(job["id"].as_str().expect("id")).await;
        assert_eq!(job["status"], "succeeded", "{job}");
        job
    }

    /// Lists jobs with a query string; returns (status, body).
    pub async fn list(&self, query: &str) -> (StatusCode, Value) {
        json_of(self.api(Method::GET, &format!("/jobs?api-version=preview&{query}")).send().await.expect("list")).await
    }

    /// Calls an admin endpoint with an optional JSON body.
    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        let mut request =
            self.client.request(method, self.url(&format!("/admin/{path}"))).header("x-admin-token", ADMIN_TOKEN);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.expect("admin")
    }

    /// Queues a fault.
    pub async fn fault(&self, body: Value) {
        let response = self.admin(Method::POST, "faults", Some(body)).await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    /// Downloads a generation's video (high quality) in full.
    pub async fn video(&self, generation_id: &str) -> Vec<u8> {
        let response = self.api(Method::GET, &format!("/{generation_id}/content/video")).send().await.expect("video");
        response.bytes().await.expect("video bytes").to_vec()
    }

    /// The `/admin/requests` log.
    pub async fn requests(&self) -> Vec<Value> {
        self.admin(Method::GET, "requests", None).await.json().await.expect("requests")
    }
}

/// A cheap valid create body (480x480, 1 s).
pub fn small(prompt: &str) -> Value {
    json!({"model": "sora", "prompt": prompt, "width": 480, "height": 480, "n_seconds": 1})
}

/// The ids of a list page.
pub fn ids(page: &Value) -> Vec<String> {
    page["data"].as_array().expect("data").iter().map(|j| j["id"].as_str().expect("id").to_owned()).collect()
}

/// A multipart create form for `model` and `prompt` (480x480) with one small PNG, `a.png`.
pub fn image_form(model: &str, prompt: &str) -> reqwest::multipart::Form {
    let file =
        reqwest::multipart::Part::bytes(png(8, 8, [1, 2, 3])).file_name("a.png").mime_str("image/png").expect("mime");
    reqwest::multipart::Form::new()
        .text("model", model.to_owned())
        .text("prompt", prompt.to_owned())
        .text("width", "480")
        .text("height", "480")
        .part("files", file)
}

/// The distinct statuses a job went through: its create answer, then each change seen in `polls`.
pub fn status_sequence(created: &Value, polls: &[Value]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for job in std::iter::once(created).chain(polls) {
        let status = job["status"].as_str().expect("status").to_owned();
        if seen.last() != Some(&status) {
            seen.push(status);
        }
    }
    seen
}

/// Splits a response into status and JSON (Null when the body is not JSON).
pub async fn json_of(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

/// Asserts the body is the wrapped error envelope and returns its inner object.
pub fn error_of(body: &Value) -> &Value {
    let error = &body["error"];
    assert!(error.is_object(), "not a wrapped error: {body}");
    assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    error
}

/// The first generation id of a succeeded job.
pub fn generation_id(job: &Value) -> String {
    job["generations"][0]["id"].as_str().expect("generation id").to_owned()
}

/// A PNG of the given size filled with one colour.
pub fn png(width: u32, height: u32, rgb: [u8; 3]) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb(rgb));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).expect("png");
    bytes.into_inner()
}
