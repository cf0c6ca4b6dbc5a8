//! The browser platform: global `fetch` and timers, so it works in a window and in a Web Worker.

use gloo_net::http::{Request, Response};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, ReadableStreamDefaultReader, RequestCache, RequestInit, RequestRedirect};

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
        if self.aborted() { Error::Aborted } else { Error::Network(describe(error)) }
    }

    /// Read the body chunk by chunk, and stop (cancelling the rest) as soon as it passes `limit`
    /// bytes: the headers may announce nothing (chunked) or lie, and the rest may never end.
    async fn read_capped(&self, response: &Response, limit: u64) -> Result<Vec<u8>, Error> {
        let Some(stream) = response.body() else { return Ok(Vec::new()) };
        let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
        let mut body = Vec::new();
        loop {
            let chunk = JsFuture::from(reader.read()).await.map_err(|e| self.read_error(&e))?;
            let field =
                |name: &str| js_sys::Reflect::get(&chunk, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
            if field("done").as_bool() != Some(false) {
                return Ok(body);
            }
            let bytes: js_sys::Uint8Array = field("value").unchecked_into();
            let start = body.len();
            let end = start.saturating_add(bytes.length() as usize);
            if end as u64 > limit {
                drop(reader.cancel());
                let message = [
                    "response too large: more than ",
                    &limit.to_string(),
                    " bytes where JSON was expected; the rest was not read",
                ]
                .concat();
                return Err(Error::Decode { message, snippet: crate::error::snippet(&body) });
            }
            body.resize(end, 0);
            bytes.copy_to(&mut body[start..]);
        }
    }

    fn read_error(&self, error: &JsValue) -> Error {
        if self.aborted() {
            return Error::Aborted;
        }
        Error::Network(match error.dyn_ref::<js_sys::Error>() {
            Some(e) => describe_parts(e.name().into(), e.message().into()),
            None => "the answer broke off".into(),
        })
    }
}

impl Transport for FetchTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, Error> {
        if self.aborted() {
            return Err(Error::Aborted);
        }
        let unusable = |_| Error::Network("the browser refused to build the request".into());
        let headers = Headers::new().map_err(unusable)?;
        for (name, value) in &request.headers {
            headers.set(name, value).map_err(unusable)?;
        }
        let init = RequestInit::new();
        init.set_method(match request.method {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        });
        match &request.body {
            Body::None => {}
            Body::Json(json) => {
                headers.set("content-type", "application/json").map_err(unusable)?;
                init.set_body(&JsValue::from_str(json));
            }
            Body::Multipart(parts) => init.set_body(&form_data(parts)?.into()),
        }
        init.set_headers(&headers);
        // A redirect must never carry the key to another origin.
        init.set_redirect(RequestRedirect::Error);
        // Job status must be fresh, and a deleted video must not come back from the HTTP cache.
        init.set_cache(RequestCache::NoStore);
        init.set_signal(self.signal.as_ref());
        // Built here, not with gloo-net's `RequestBuilder`: the builder formats its query string
        // with `core::fmt`, which the package otherwise does without (see `text.rs`). gloo-net
        // still sends it and reads the answer.
        let built = web_sys::Request::new_with_str_and_init(&request.url, &init).map_err(unusable)?;
        let response = Request::from(built).send().await.map_err(|e| self.transport_error(e))?;
        let header = |name: &str| response.headers().get(name);
        let mut out = HttpResponse {
            status: response.status(),
            request_id: header("apim-request-id"),
            retry_after_ms: header("retry-after-ms"),
            retry_after: header("retry-after"),
            poll_after_ms: header("openai-poll-after-ms"),
            content_length: header("content-length").and_then(|v| v.trim().parse().ok()),
            body: Vec::new(),
        };
        if request.method == Method::Head {
            return Ok(out);
        }
        // Error answers are JSON whatever was asked for; a download's success is read whole.
        let limit = if response.ok() { request.max_body_bytes } else { Some(crate::json::MAX_BODY_BYTES) };
        match limit {
            // Announced as larger than the client will parse: not read at all; the client refuses
            // it by its Content-Length (Error::Decode, "response too large").
            Some(limit) if out.content_length.is_some_and(|n| n > limit) => {
                if let Some(stream) = response.body() {
                    drop(stream.cancel());
                }
            }
            Some(limit) => out.body = self.read_capped(&response, limit).await?,
            None => out.body = response.binary().await.map_err(|e| self.transport_error(e))?,
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

/// What the browser said went wrong (`TypeError: Failed to fetch`), as `error.toString()` puts it.
fn describe(error: gloo_net::Error) -> String {
    match error {
        gloo_net::Error::JsError(js) => describe_parts(js.name, js.message),
        gloo_net::Error::GlooError(text) => text,
        // gloo-net's `json` feature (another crate in the same build may turn it on) adds a serde
        // variant this transport never produces: it reads bytes, not JSON.
        #[allow(unreachable_patterns)]
        _ => "the browser could not complete the request".into(),
    }
}

/// `name: message` as `error.toString()` writes it, or the name alone.
fn describe_parts(name: String, message: String) -> String {
    if message.is_empty() { name } else { [name.as_str(), ": ", &message].concat() }
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
