//! The small HTTP seam between protocol logic and the platform.
//!
//! Everything above this trait is plain Rust that `cargo test` exercises with a scripted transport;
//! the browser implementation lives in `fetch.rs`.

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
    /// A JSON body, sent with `content-type: application/json`.
    pub json_body: Option<String>,
}

/// What came back: status, the headers the client reads, and the body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub request_id: Option<String>,
    pub retry_after_ms: Option<String>,
    pub retry_after: Option<String>,
    pub content_length: Option<u64>,
    pub body: Vec<u8>,
}

/// Sends HTTP requests.
pub trait Transport {
    /// Send one request and read the whole body.
    ///
    /// # Errors
    /// [`Error::Network`] when no HTTP answer arrived or the body broke off; [`Error::Aborted`] when
    /// the caller's signal fired. HTTP error statuses are answers, not errors, at this level.
    fn send(&self, request: HttpRequest) -> impl Future<Output = Result<HttpResponse, Error>>;
}
