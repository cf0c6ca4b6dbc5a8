//! The browser platform: global `fetch` and timers, so it works in a window and in a Web Worker.

use gloo_net::http::{Headers, RequestBuilder};
use wasm_bindgen::prelude::*;
use web_sys::{AbortSignal, RequestCache, RequestRedirect};

use crate::error::Error;
use crate::media::Multipart;
use crate::transport::{Body, HttpRequest, HttpResponse, Method, Transport};

#[wasm_bindgen(inline_js = "
export function abortableSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) { reject(signal.reason); return; }
    const onAbort = () => { clearTimeout(id); reject(signal.reason); };
    const id = setTimeout(() => { if (signal) signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });
}")]
extern "C" {
    /// A timer that rejects (and clears itself) as soon as `signal` aborts.
    #[wasm_bindgen(js_name = abortableSleep)]
    fn abortable_sleep(ms: u32, signal: Option<&AbortSignal>) -> js_sys::Promise;
}

/// Sends requests with `fetch`; all of them, and all waits, stop when its signal aborts.
#[derive(Debug, Clone, Default)]
pub struct FetchTransport {
    signal: Option<AbortSignal>,
}

impl FetchTransport {
    /// A transport whose requests and waits are aborted when `signal` fires.
    pub fn with_signal(signal: Option<AbortSignal>) -> Self {
        Self { signal }
    }

    fn aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(AbortSignal::aborted)
    }

    fn transport_error(&self, error: gloo_net::Error) -> Error {
        if self.aborted() { Error::Aborted } else { Error::Network(error.to_string()) }
    }
}

impl Transport for FetchTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        if self.aborted() {
            return Err(Error::Aborted);
        }
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
        if matches!(request.body, Body::Json(_)) {
            headers.set("content-type", "application/json");
        }
        let builder = RequestBuilder::new(&request.url)
            .method(method)
            .headers(headers)
            // A redirect must never carry the key to another origin.
            .redirect(RequestRedirect::Error)
            // Job status must be fresh, and a deleted video must not come back from the HTTP cache.
            .cache(RequestCache::NoStore)
            .abort_signal(self.signal.as_ref());
        let built = match request.body {
            Body::None => builder.build(),
            Body::Json(json) => builder.body(json),
            Body::Multipart(parts) => builder.body(form_data(&parts)?),
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
        // A JSON answer announced as larger than the client will parse is not read at all: the
        // client refuses it by its Content-Length (Error::Decode, "response too large").
        let is_json = header("content-type").is_some_and(|t| t.as_bytes().windows(4).any(|w| w.eq_ignore_ascii_case(b"json")));
        let too_large = is_json && out.content_length.is_some_and(|n| n > crate::json::MAX_BODY_BYTES);
        if request.method != Method::Head && !too_large {
            out.body = response.binary().await.map_err(|e| self.transport_error(e))?;
        }
        Ok(out)
    }

    async fn sleep(&self, ms: u64) -> Result<(), Error> {
        let ms = u32::try_from(ms).unwrap_or(u32::MAX).min(i32::MAX as u32);
        wasm_bindgen_futures::JsFuture::from(abortable_sleep(ms, self.signal.as_ref()))
            .await
            .map(drop)
            .map_err(|_| Error::Aborted)
    }

    fn now_ms(&self) -> u64 {
        js_sys::Date::now() as u64
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    fn detached(&self) -> Self {
        Self::default()
    }
}

/// Build `FormData` (the browser sets the multipart content type and boundary itself).
fn form_data(parts: &Multipart) -> Result<web_sys::FormData, Error> {
    let failed = |_| Error::Network("the browser could not build the upload".into());
    let form = web_sys::FormData::new().map_err(failed)?;
    for (name, value) in &parts.texts {
        form.append_with_str(name, value).map_err(failed)?;
    }
    for (name, file_name, content_type, bytes) in &parts.files {
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(content_type);
        let array = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&array, &options).map_err(failed)?;
        form.append_with_blob_and_filename(name, &blob, file_name).map_err(failed)?;
    }
    Ok(form)
}
