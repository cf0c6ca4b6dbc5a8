//! Reading JS arguments, member by member (no serde on wasm: it cost kilobytes).

use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use sora_client::{
    Auth, ClientOptions, CreateVideoRequest, CreateVideoWithMediaRequest, CropBounds, Error, JobStatus, ListJobsQuery,
    MediaItem, Protocol, Quality, Token, TokenProvider, VideoSize,
};

use crate::error::bad_argument;

/// A property of an options object, `None` when absent or undefined.
pub fn property(object: &JsValue, key: &str) -> Option<JsValue> {
    if object.is_undefined() || object.is_null() {
        return None;
    }
    Reflect::get(object, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// A string member, `None` when absent.
pub fn text(object: &JsValue, key: &'static str) -> Result<Option<String>, Error> {
    property(object, key).map(|v| v.as_string().ok_or_else(|| bad_argument(key, "must be a string"))).transpose()
}

pub fn required_text(object: &JsValue, key: &'static str) -> Result<String, Error> {
    text(object, key)?.ok_or_else(|| bad_argument(key, "is required"))
}

/// A whole non-negative number member up to `max`, `None` when absent.
fn whole(object: &JsValue, key: &'static str, max: f64) -> Result<Option<f64>, Error> {
    property(object, key).map(|v| whole_value(&v, key, max)).transpose()
}

/// `value` as a whole number from 0 to `max` (`key` names it in the error).
fn whole_value(value: &JsValue, key: &'static str, max: f64) -> Result<f64, Error> {
    let valid = |n: &f64| n.fract() == 0.0 && (0.0..=max).contains(n);
    value.as_f64().filter(valid).ok_or_else(|| bad_argument(key, "must be a whole number, 0 or more"))
}

/// A `u32` argument (not a member).
pub fn u32_value(value: &JsValue, key: &'static str) -> Result<u32, Error> {
    Ok(whole_value(value, key, f64::from(u32::MAX))? as u32)
}

/// A `u32` member, `None` when absent.
pub fn u32_member(object: &JsValue, key: &'static str) -> Result<Option<u32>, Error> {
    Ok(whole(object, key, f64::from(u32::MAX))?.map(|n| n as u32))
}

/// A millisecond count member (up to 2^53), `None` when absent.
pub fn ms_member(object: &JsValue, key: &'static str) -> Result<Option<u64>, Error> {
    Ok(whole(object, key, 9_007_199_254_740_992.0)?.map(|n| n as u64))
}

/// The `signal` of a `CallOptions`.
pub fn signal(options: &JsValue) -> Result<Option<web_sys::AbortSignal>, Error> {
    match property(options, "signal") {
        None => Ok(None),
        Some(value) => value.dyn_into().map(Some).map_err(|_| bad_argument("signal", "must be an AbortSignal")),
    }
}

/// Read `SoraClientOptions`.
pub fn client_options(value: JsValue) -> Result<(String, Auth, ClientOptions), Error> {
    let get_token = property(&value, "getToken");
    let auth = match (text(&value, "apiKey")?, text(&value, "token")?, get_token) {
        (Some(key), None, None) => Auth::ApiKey(key),
        (None, Some(token), None) => Auth::Bearer(token),
        (None, None, Some(function)) => {
            let function: Function = function.dyn_into().map_err(|_| bad_argument("getToken", "must be a function"))?;
            Auth::TokenProvider(token_provider(function))
        }
        _ => return Err(bad_argument("auth", "give exactly one of apiKey, token or getToken")),
    };
    let protocol = text(&value, "protocol")?.map_or(Ok(Protocol::default()), |name| Protocol::from_name(&name))?;
    let mut options = ClientOptions::for_protocol(protocol);
    if let Some(v) = text(&value, "apiVersion")? {
        options.api_version = v;
    }
    if let Some(v) = u32_member(&value, "maxRetries")? {
        options.retry.max_retries = v;
    }
    if let Some(v) = ms_member(&value, "maxRetryDelayMs")? {
        options.retry.max_delay_ms = v;
    }
    if let Some(v) = u32_member(&value, "requestsPerMinute")? {
        options.requests_per_minute = v;
    }
    if let Some(v) = u32_member(&value, "createsPerMinute")? {
        options.creates_per_minute = Some(v);
    }
    if let Some(v) = u32_member(&value, "maxRunningJobs")? {
        options.max_running_jobs = v;
    }
    if let Some(v) = ms_member(&value, "minPollIntervalMs")? {
        options.poll.min_interval_ms = v;
    }
    if let Some(v) = ms_member(&value, "maxPollIntervalMs")? {
        options.poll.max_interval_ms = v;
    }
    Ok((required_text(&value, "endpoint")?, auth, options))
}

fn token_provider(function: Function) -> TokenProvider {
    Rc::new(move || {
        let function = function.clone();
        Box::pin(async move {
            let failed = |e: JsValue| Error::Network(["getToken failed: ", &describe(&e)].concat());
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

/// Read a `CreateVideoRequest`.
pub fn create_request(value: &JsValue) -> Result<CreateVideoRequest, Error> {
    let size = parse_size(&required_text(value, "size")?)?;
    let mut request = CreateVideoRequest::new(required_text(value, "model")?, required_text(value, "prompt")?, size);
    request.n_seconds = u32_member(value, "nSeconds")?.unwrap_or(5);
    request.n_variants = u32_member(value, "nVariants")?.unwrap_or(1);
    Ok(request)
}

fn parse_size(text: &str) -> Result<VideoSize, Error> {
    sora_client::parse_dimensions(text).and_then(|(w, h)| VideoSize::from_dimensions(w, h)).ok_or_else(|| {
        bad_argument("size", ["'", text, "' is not supported; use one of 480x480, 854x480, 480x854, 720x720, 1280x720, 720x1280, 1080x1080, 1920x1080, 1080x1920"].concat())
    })
}

/// Read a `CreateVideoWithMediaRequest`, reading each Blob's bytes.
pub async fn create_with_media_request(value: JsValue) -> Result<CreateVideoWithMediaRequest, Error> {
    let media = property(&value, "media").ok_or_else(|| bad_argument("media", "add at least one image"))?;
    let request = create_request(&value)?;
    let mut items = Vec::new();
    for entry in js_sys::Array::from(&media).iter() {
        let blob: web_sys::Blob = property(&entry, "file")
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| bad_argument("media", "each item needs a file (Blob or File)"))?;
        let file_name = property(&entry, "fileName")
            .and_then(|v| v.as_string())
            .or_else(|| blob.dyn_ref::<web_sys::File>().map(web_sys::File::name))
            .ok_or_else(|| bad_argument("file_name", "give a fileName for a Blob that is not a File"))?;
        let frame_index = u32_member(&entry, "frameIndex")?.unwrap_or(0);
        let crop = match property(&entry, "crop") {
            Some(c) => CropBounds {
                left_fraction: fraction(&c, "left")?,
                top_fraction: fraction(&c, "top")?,
                right_fraction: fraction(&c, "right")?,
                bottom_fraction: fraction(&c, "bottom")?,
            },
            None => CropBounds::default(),
        };
        let buffer = JsFuture::from(blob.array_buffer())
            .await
            .map_err(|e| bad_argument("media", ["cannot read '", file_name.as_str(), "': ", &describe(&e)].concat()))?;
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        items.push(MediaItem { file_name, content_type: blob.type_(), bytes, frame_index, crop });
    }
    Ok(CreateVideoWithMediaRequest { request, media: items })
}

/// One side of a crop: a number (its range is checked with the other media rules).
fn fraction(crop: &JsValue, key: &'static str) -> Result<f64, Error> {
    property(crop, key)
        .and_then(|v| v.as_f64())
        .ok_or_else(|| bad_argument("crop_bounds", "give left, top, right and bottom as numbers"))
}

/// Read a `ListJobsQuery` (`undefined` is the default query).
pub fn list_query(value: &JsValue) -> Result<ListJobsQuery, Error> {
    let mut statuses = Vec::new();
    if let Some(list) = property(value, "statuses") {
        let list: js_sys::Array =
            list.dyn_into().map_err(|_| bad_argument("statuses", "must be an array of strings"))?;
        for status in list.iter() {
            statuses.push(JobStatus::from_wire(
                &status.as_string().ok_or_else(|| bad_argument("statuses", "must be an array of strings"))?,
            ));
        }
    }
    Ok(ListJobsQuery {
        limit: u32_member(value, "limit")?.unwrap_or(10),
        before: text(value, "before")?,
        after: text(value, "after")?,
        statuses,
    })
}

/// Read `quality` from download options.
pub fn quality(options: &JsValue) -> Result<Quality, Error> {
    match property(options, "quality").and_then(|v| v.as_string()).as_deref() {
        None | Some("high") => Ok(Quality::High),
        Some("low") => Ok(Quality::Low),
        Some(other) => Err(bad_argument("quality", ["must be 'high' or 'low', not '", other, "'"].concat())),
    }
}

/// Wrap bytes in a `Blob` of the given type.
pub fn blob(bytes: &[u8], content_type: &str) -> Result<web_sys::Blob, Error> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| Error::Decode { message: describe(&e), snippet: String::new() })
}
