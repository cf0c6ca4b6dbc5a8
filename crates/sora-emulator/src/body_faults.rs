//! Faults applied to a response body after the operation ran: truncation and slow dripping.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::stream::{self, StreamExt};

use crate::errors::ApiError;
use crate::request_log::FaultNote;

/// How often a slow body sends its next chunk.
const DRIP_INTERVAL: Duration = Duration::from_millis(100);
/// The padding an `oversize_body` fault sends first: past a client's 16 MiB JSON cap.
const OVERSIZE_PADDING: usize = 17 * 1024 * 1024;
/// The padding's chunk size.
const PADDING_CHUNK: usize = 64 * 1024;

/// Buffers a response body (the emulator's bodies are in memory already).
async fn buffered(response: Response) -> Result<(axum::http::response::Parts, Bytes), Response> {
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => Ok((parts, bytes)),
        Err(_) => Err(ApiError::internal("Could not buffer the response to apply a body fault.").into_response()),
    }
}

/// Replaces a non-empty body by `rebody(bytes)`, declaring the full Content-Length first (so the
/// client expects every byte); an empty body has nothing to fault and is sent as it is. Notes
/// `kind` in the request's log record only when the fault was applied.
async fn with_body(
    response: Response,
    note: &FaultNote,
    kind: &'static str,
    rebody: impl FnOnce(Bytes) -> Body,
) -> Response {
    let (mut parts, bytes) = match buffered(response).await {
        Ok(buffered) => buffered,
        Err(error) => return error,
    };
    if bytes.is_empty() {
        return Response::from_parts(parts, Body::from(bytes));
    }
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    note.set(kind);
    Response::from_parts(parts, rebody(bytes))
}

/// Sends the declared Content-Length but only half the body, then breaks the connection.
pub async fn truncate(response: Response, note: &FaultNote, kind: &'static str) -> Response {
    with_body(response, note, kind, |bytes| {
        let kept = bytes.slice(..bytes.len() / 2);
        // The pause lets the head and the partial body reach the client before the error closes the connection.
        let head = stream::iter([Ok::<Bytes, std::io::Error>(kept)]);
        let tail = stream::once(async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            Err(std::io::Error::other("body truncated (injected fault)"))
        });
        Body::from_stream(head.chain(tail))
    })
    .await
}

/// Sends the head at once and the whole body at `bytes_per_sec`, one chunk every 100 ms.
pub async fn slow(response: Response, bytes_per_sec: u64, note: &FaultNote) -> Response {
    with_body(response, note, "slow_body", |bytes| {
        let chunk = usize::try_from(bytes_per_sec / 10).unwrap_or(usize::MAX).max(1);
        let chunks: Vec<Bytes> = (0..bytes.len())
            .step_by(chunk)
            .map(|start| bytes.slice(start..(start.saturating_add(chunk)).min(bytes.len())))
            .collect();
        // The first chunk goes out with the head; each later one waits one interval.
        let drip = stream::iter(chunks.into_iter().enumerate()).then(|(index, piece)| async move {
            if index > 0 {
                tokio::time::sleep(DRIP_INTERVAL).await;
            }
            Ok::<Bytes, std::io::Error>(piece)
        });
        Body::from_stream(drip)
    })
    .await
}

/// Adds `retry-after-ms: ms` and `Retry-After` (seconds, rounded up) to an answer of any status.
pub fn retry_hint(mut response: Response, ms: u64) -> Response {
    crate::errors::insert_retry_after(response.headers_mut(), ms);
    response
}

/// Sends 17 MiB of spaces and then the answer (still the same JSON), chunked without a
/// Content-Length and as `text/plain`; the answer follows the padding after `stall_ms`, so a
/// client that reads everything before checking the size waits for it.
pub async fn oversize(response: Response, stall_ms: u64) -> Response {
    let (mut parts, bytes) = match buffered(response).await {
        Ok(buffered) => buffered,
        Err(error) => return error,
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    let chunk = Bytes::from(vec![b' '; PADDING_CHUNK]);
    let padding =
        stream::iter(std::iter::repeat_n(chunk, OVERSIZE_PADDING / PADDING_CHUNK)).map(Ok::<Bytes, std::io::Error>);
    let answer = stream::once(async move {
        tokio::time::sleep(Duration::from_millis(stall_ms)).await;
        Ok(bytes)
    });
    Response::from_parts(parts, Body::from_stream(padding.chain(answer)))
}
