//! The browser transport: the global `fetch`, so it works in a window and in a Web Worker.

use gloo_net::http::{Headers, RequestBuilder};
use web_sys::RequestRedirect;

use crate::error::Error;
use crate::transport::{HttpRequest, HttpResponse, Method, Transport};

/// Sends requests with `fetch`.
#[derive(Debug, Clone, Default)]
pub struct FetchTransport {
    signal: Option<web_sys::AbortSignal>,
}

impl FetchTransport {
    /// A transport whose requests are all aborted when `signal` fires.
    pub fn with_signal(signal: web_sys::AbortSignal) -> Self {
        Self { signal: Some(signal) }
    }
}

impl Transport for FetchTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        let method = match request.method {
            Method::Get => gloo_net::http::Method::GET,
            Method::Post => gloo_net::http::Method::POST,
            Method::Delete => gloo_net::http::Method::DELETE,
            Method::Head => gloo_net::http::Method::HEAD,
        };
        let headers = Headers::new();
        for (name, value) in &request.headers {
            headers.set(name, value);
        }
        let mut builder = RequestBuilder::new(&request.url)
            .method(method)
            // A redirect must never carry the key to another origin.
            .redirect(RequestRedirect::Error)
            .abort_signal(self.signal.as_ref());
        let built = match request.json_body {
            Some(body) => {
                headers.set("content-type", "application/json");
                builder = builder.headers(headers);
                builder.body(body)
            }
            None => builder.headers(headers).build(),
        };
        let built = built.map_err(|e| Error::Network(e.to_string()))?;
        let response = built.send().await.map_err(|e| self.transport_error(e))?;
        let header = |name: &str| response.headers().get(name);
        let mut out = HttpResponse {
            status: response.status(),
            request_id: header("apim-request-id"),
            retry_after_ms: header("retry-after-ms"),
            retry_after: header("retry-after"),
            content_length: header("content-length").and_then(|v| v.trim().parse().ok()),
            body: Vec::new(),
        };
        if request.method != Method::Head {
            out.body = response.binary().await.map_err(|e| self.transport_error(e))?;
        }
        Ok(out)
    }
}

impl FetchTransport {
    fn transport_error(&self, error: gloo_net::Error) -> Error {
        if self.signal.as_ref().is_some_and(web_sys::AbortSignal::aborted) {
            return Error::Aborted;
        }
        Error::Network(error.to_string())
    }
}
