//! The small seam between protocol logic and the platform: HTTP, timers, clock and randomness.
//!
//! Everything above this trait is plain Rust that `cargo test` exercises with a scripted transport
//! and a fake clock; the browser implementation lives in `fetch.rs`.

use std::future::Future;

use crate::error::Error;

/// HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
    Head,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Delete => "DELETE",
            Self::Head => "HEAD",
        }
    }
}

/// A request ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    /// Header names are lower case.
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
    /// Stop reading the answer once its body passes this many bytes, and fail with
    /// [`Error::Decode`] ("response too large") without reading the rest, whatever the headers
    /// announce. Set for JSON answers; `None` (downloads) means read it all.
    pub max_body_bytes: Option<u64>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Body {
    #[default]
    None,
    /// Sent with `content-type: application/json`.
    Json(String),
    /// Sent as `multipart/form-data` (the platform picks the boundary).
    Multipart(crate::media::Multipart),
}

/// What came back: status, the headers the client reads, and the body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub request_id: Option<String>,
    pub retry_after_ms: Option<String>,
    pub retry_after: Option<String>,
    /// `openai-poll-after-ms`: the Videos API's "poll again after this long".
    pub poll_after_ms: Option<String>,
    pub content_length: Option<u64>,
    pub body: Vec<u8>,
}

/// The platform: sends HTTP requests, sleeps on real timers, tells the time.
pub trait Transport {
    /// Send one request and read the whole body.
    ///
    /// # Errors
    /// [`Error::Network`] when no HTTP answer arrived or the body broke off; [`Error::Aborted`] when
    /// the caller's signal fired. HTTP error statuses are answers, not errors, at this level.
    fn send(&self, request: HttpRequest) -> impl Future<Output = Result<HttpResponse, Error>>;

    /// Wait `ms` milliseconds.
    ///
    /// # Errors
    /// [`Error::Aborted`] as soon as the caller's signal fires.
    fn sleep(&self, ms: u64) -> impl Future<Output = Result<(), Error>>;

    /// The current Unix time in milliseconds.
    fn now_ms(&self) -> u64;

    /// A random number in `[0, 1)`, for backoff jitter.
    fn random(&self) -> f64;

    /// The same transport without the caller's abort signal, for clean-up after an abort.
    fn detached(&self) -> Self
    where
        Self: Sized;
}
