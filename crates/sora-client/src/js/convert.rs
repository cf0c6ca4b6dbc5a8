//! Reading JS arguments and building JS results.

use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::error::bad_argument;
use crate::auth::{Auth, Token, TokenProvider};
use crate::client::ClientOptions;
use crate::error::Error;
use crate::media::{CreateVideoWithMediaRequest, CropBounds, MediaItem};
use crate::operations::{ListJobsQuery, Quality};
use crate::request::CreateVideoRequest;
use crate::size::VideoSize;
use crate::types::JobStatus;
use crate::waiting::Progress;

/// Convert a JS object with serde, naming the argument on failure.
pub fn from_js<T: for<'de> Deserialize<'de>>(field: &'static str, value: JsValue) -> Result<T, Error> {
    serde_wasm_bindgen::from_value(value).map_err(|e| bad_argument(field, e.to_string()))
}

/// Convert a Rust value to a plain JS object (numbers, not BigInts; objects, not Maps).
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, Error> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Error::Decode { message: e.to_string(), snippet: String::new() })
}

/// A property of an options object, `None` when absent or undefined.
pub fn property(object: &JsValue, key: &str) -> Option<JsValue> {
    if object.is_undefined() || object.is_null() {
        return None;
    }
    Reflect::get(object, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// The `signal` of a `CallOptions`.
pub fn signal(options: &JsValue) -> Result<Option<web_sys::AbortSignal>, Error> {
    match property(options, "signal") {
        None => Ok(None),
        Some(value) => value.dyn_into().map(Some).map_err(|_| bad_argument("signal", "must be an AbortSignal")),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ClientOptionsInput {
    endpoint: String,
    api_key: Option<String>,
    token: Option<String>,
    api_version: Option<String>,
    max_retries: Option<u32>,
    max_retry_delay_ms: Option<u64>,
    requests_per_minute: Option<u32>,
    max_running_jobs: Option<u32>,
    min_poll_interval_ms: Option<u64>,
    max_poll_interval_ms: Option<u64>,
}

/// Read `SoraClientOptions`.
pub fn client_options(value: JsValue) -> Result<(String, Auth, ClientOptions), Error> {
    let get_token = property(&value, "getToken");
    let input: ClientOptionsInput = from_js("options", value)?;
    let auth = match (input.api_key, input.token, get_token) {
        (Some(key), None, None) => Auth::ApiKey(key),
        (None, Some(token), None) => Auth::Bearer(token),
        (None, None, Some(function)) => {
            let function: Function =
                function.dyn_into().map_err(|_| bad_argument("getToken", "must be a function"))?;
            Auth::TokenProvider(token_provider(function))
        }
        _ => return Err(bad_argument("auth", "give exactly one of apiKey, token or getToken")),
    };
    let mut options = ClientOptions::default();
    if let Some(v) = input.api_version {
        options.api_version = v;
    }
    if let Some(v) = input.max_retries {
        options.retry.max_retries = v;
    }
    if let Some(v) = input.max_retry_delay_ms {
        options.retry.max_delay_ms = v;
    }
    if let Some(v) = input.requests_per_minute {
        options.requests_per_minute = v;
    }
    if let Some(v) = input.max_running_jobs {
        options.max_running_jobs = v;
    }
    if let Some(v) = input.min_poll_interval_ms {
        options.poll.min_interval_ms = v;
    }
    if let Some(v) = input.max_poll_interval_ms {
        options.poll.max_interval_ms = v;
    }
    Ok((input.endpoint, auth, options))
}

fn token_provider(function: Function) -> TokenProvider {
    Rc::new(move || {
        let function = function.clone();
        Box::pin(async move {
            let failed = |e: JsValue| Error::Network(format!("getToken failed: {}", describe(&e)));
            let returned = function.call0(&JsValue::NULL).map_err(failed)?;
            let value = JsFuture::from(Promise::resolve(&returned)).await.map_err(failed)?;
            let token = property(&value, "token").and_then(|t| t.as_string());
            let token = token.ok_or_else(|| bad_argument("getToken", "must resolve to { token: string }"))?;
            let expires = property(&value, "expiresOnTimestamp").and_then(|v| v.as_f64());
            Ok(Token { value: token, expires_at_ms: expires.filter(|v| *v > 0.0).map(|v| v as u64) })
        })
    })
}

/// A short description of a thrown JS value.
pub fn describe(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateInput {
    model: String,
    prompt: String,
    size: String,
    n_seconds: Option<u32>,
    n_variants: Option<u32>,
}

/// Read a `CreateVideoRequest`.
pub fn create_request(value: JsValue) -> Result<CreateVideoRequest, Error> {
    let input: CreateInput = from_js("request", value)?;
    let size = parse_size(&input.size)?;
    let mut request = CreateVideoRequest::new(input.model, input.prompt, size);
    request.n_seconds = input.n_seconds.unwrap_or(5);
    request.n_variants = input.n_variants.unwrap_or(1);
    Ok(request)
}

fn parse_size(text: &str) -> Result<VideoSize, Error> {
    let parsed = text.split_once('x').and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)));
    parsed.and_then(|(w, h)| VideoSize::from_dimensions(w, h)).ok_or_else(|| {
        bad_argument("size", format!("'{text}' is not supported; use one of 480x480, 854x480, 480x854, 720x720, 1280x720, 720x1280, 1080x1080, 1920x1080, 1080x1920"))
    })
}

#[derive(Deserialize)]
struct CropInput {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

/// Read a `CreateVideoWithMediaRequest`, reading each Blob's bytes.
pub async fn create_with_media_request(value: JsValue) -> Result<CreateVideoWithMediaRequest, Error> {
    let media = property(&value, "media").ok_or_else(|| bad_argument("media", "add at least one image"))?;
    let request = create_request(value)?;
    let mut items = Vec::new();
    for entry in js_sys::Array::from(&media).iter() {
        let blob: web_sys::Blob = property(&entry, "file")
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| bad_argument("media", "each item needs a file (Blob or File)"))?;
        let file_name = property(&entry, "fileName")
            .and_then(|v| v.as_string())
            .or_else(|| blob.dyn_ref::<web_sys::File>().map(web_sys::File::name))
            .ok_or_else(|| bad_argument("file_name", "give a fileName for a Blob that is not a File"))?;
        let frame_index = match property(&entry, "frameIndex") {
            Some(v) => from_js("frame_index", v)?,
            None => 0,
        };
        let crop = match property(&entry, "crop") {
            Some(v) => {
                let c: CropInput = from_js("crop_bounds", v)?;
                CropBounds { left_fraction: c.left, top_fraction: c.top, right_fraction: c.right, bottom_fraction: c.bottom }
            }
            None => CropBounds::default(),
        };
        let buffer = JsFuture::from(blob.array_buffer())
            .await
            .map_err(|e| bad_argument("media", format!("cannot read '{file_name}': {}", describe(&e))))?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        items.push(MediaItem { file_name, content_type: blob.type_(), bytes, frame_index, crop });
    }
    Ok(CreateVideoWithMediaRequest { request, media: items })
}

#[derive(Deserialize, Default)]
struct ListInput {
    limit: Option<u32>,
    before: Option<String>,
    after: Option<String>,
    statuses: Option<Vec<String>>,
}

/// Read a `ListJobsQuery`.
pub fn list_query(value: JsValue) -> Result<ListJobsQuery, Error> {
    let input: ListInput = if value.is_undefined() || value.is_null() { ListInput::default() } else { from_js("query", value)? };
    Ok(ListJobsQuery {
        limit: input.limit.unwrap_or(10),
        before: input.before,
        after: input.after,
        statuses: input.statuses.unwrap_or_default().iter().map(|s| JobStatus::from_wire(s)).collect(),
    })
}

/// Read `quality` from download options.
pub fn quality(options: &JsValue) -> Result<Quality, Error> {
    match property(options, "quality").and_then(|v| v.as_string()).as_deref() {
        None | Some("high") => Ok(Quality::High),
        Some("low") => Ok(Quality::Low),
        Some(other) => Err(bad_argument("quality", format!("must be 'high' or 'low', not '{other}'"))),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProgressOutput<'a> {
    job_id: Option<&'a str>,
    status: Option<&'a str>,
    queue_position: usize,
    elapsed_ms: u64,
    estimated_remaining_ms: Option<u64>,
}

/// Build the `Progress` object handed to `onProgress`.
pub fn progress(p: &Progress) -> JsValue {
    let out = ProgressOutput {
        job_id: p.job_id.as_deref(),
        status: p.status.as_ref().map(JobStatus::as_str),
        queue_position: p.queue_position,
        elapsed_ms: p.elapsed_ms,
        estimated_remaining_ms: p.estimated_remaining_ms,
    };
    to_js(&out).unwrap_or(JsValue::NULL)
}

/// Wrap bytes in a `Blob` of the given type.
pub fn blob(bytes: &[u8], content_type: &str) -> Result<web_sys::Blob, Error> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| Error::Decode { message: describe(&e), snippet: String::new() })
}
