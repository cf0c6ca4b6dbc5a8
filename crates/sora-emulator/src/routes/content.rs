//! Content downloads: video (GET/HEAD, `quality`) and thumbnail, with ranges and `If-Modified-Since`.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use crate::clock::{http_date, now_ms, parse_http_date, skewed};
use crate::errors::{ApiError, ApiResult};
use crate::job::Content;
use crate::lifecycle::{self, Rendition};
use crate::query::QueryPairs;
use crate::range::{self, RangeRequest};
use crate::routes::generations::generation_not_found;
use crate::state::SharedState;
use crate::sync::lock;

/// Which file of a generation to send.
enum Asset {
    Video { low: bool },
    Thumbnail,
}

/// `GET`/`HEAD /video/generations/{generation-id}/content/video`.
pub async fn video(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let query = QueryPairs::from_uri(&uri)?;
    let low = match query.get("quality") {
        None | Some("high") => false,
        Some("low") => true,
        Some(other) => {
            return Err(ApiError::invalid(
                "quality",
                "invalid_value",
                format!("quality must be 'high' or 'low'; got '{other}'."),
            ));
        }
    };
    send(&state, &id, Asset::Video { low }, &method, &headers).await
}

/// `GET /video/generations/{generation-id}/content/thumbnail` (JPEG).
pub async fn thumbnail(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> ApiResult<Response> {
    send(&state, &id, Asset::Thumbnail, &method, &headers).await
}

/// Looks the generation up and answers with the asked-for bytes.
async fn send(
    state: &SharedState,
    id: &str,
    asset: Asset,
    method: &Method,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    let skew = state.settings().clock_skew_secs;
    let (content, finished_at): (Arc<Content>, u64) = {
        let store = lock(&state.store);
        let (job, generation) = store.generation(id, now_ms()).ok_or_else(|| generation_not_found(id))?;
        (generation.content.clone(), skewed(job.finished_at().unwrap_or(0), skew))
    };
    let (which, content_type) = match asset {
        Asset::Video { low: false } => (Rendition::High, "video/mp4"),
        Asset::Video { low: true } => (Rendition::Low, "video/mp4"),
        Asset::Thumbnail => (Rendition::Thumbnail, "image/jpeg"),
    };
    let bytes = lifecycle::rendition(state, &content, which).await?;
    Ok(respond(bytes, content_type, finished_at, method, headers))
}

/// Builds a 200, 206, 304 or 416 answer for `bytes` (the Videos API's content route uses it too).
pub(crate) fn respond(
    bytes: Bytes,
    content_type: &'static str,
    modified: u64,
    method: &Method,
    headers: &HeaderMap,
) -> Response {
    let header_text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let last_modified = http_date(modified);
    let mut response =
        if header_text(header::IF_MODIFIED_SINCE).and_then(parse_http_date).is_some_and(|since| modified <= since) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let len = bytes.len() as u64;
            // If-Range with another date means the client's copy is stale: send everything.
            let range_header = match header_text(header::IF_RANGE) {
                Some(tag) if tag != last_modified => None,
                _ => header_text(header::RANGE),
            };
            match range::parse(range_header, len) {
                RangeRequest::Full => full(bytes, content_type, method),
                RangeRequest::Partial { start, end } => partial(bytes, content_type, method, start, end, len),
                RangeRequest::Unsatisfiable => {
                    let mut response = ApiError::new(
                        StatusCode::RANGE_NOT_SATISFIABLE,
                        "range_not_satisfiable",
                        format!("The requested range is outside the {len}-byte content."),
                    )
                    .into_response();
                    if let Ok(value) = HeaderValue::from_str(&format!("bytes */{len}")) {
                        response.headers_mut().insert(header::CONTENT_RANGE, value);
                    }
                    response
                }
            }
        };
    let out = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&last_modified) {
        out.insert(header::LAST_MODIFIED, value);
    }
    out.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    out.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    response
}

/// 200 with the whole representation (headers only for HEAD).
fn full(bytes: Bytes, content_type: &'static str, method: &Method) -> Response {
    let len = bytes.len();
    let body = if method == Method::HEAD { Body::empty() } else { Body::from(bytes) };
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    response
}

/// 206 with one byte range.
fn partial(bytes: Bytes, content_type: &'static str, method: &Method, start: u64, end: u64, len: u64) -> Response {
    let (from, to) = (usize::try_from(start).unwrap_or(0), usize::try_from(end).unwrap_or(0));
    let slice = bytes.get(from..=to).map(|s| bytes.slice_ref(s)).unwrap_or_default();
    let count = slice.len();
    let body = if method == Method::HEAD { Body::empty() } else { Body::from(slice) };
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::PARTIAL_CONTENT;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(count));
    if let Ok(value) = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}")) {
        headers.insert(header::CONTENT_RANGE, value);
    }
    response
}
