//! The /openai front door: injected faults and latency, then auth, the rpm budget and api-version.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::stream;

use crate::auth;
use crate::body_faults;
use crate::clock::now_ms;
use crate::errors::ApiError;
use crate::faults::{Action, FaultKind};
use crate::query::{QueryPairs, check_api_version};
use crate::request_log::FaultNote;
use crate::server::ConnectionKill;
use crate::state::SharedState;
use crate::sync::lock;

/// What a `malformed` fault answers: JSON cut off mid-object.
const MALFORMED_BODY: &str = "{\"object\": \"video.generation.job\", \"id\": \"task_";

/// Applies faults, authentication, the rate limit and the api-version rule to an /openai request.
pub async fn gate(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    pass(state, request, next, true).await
}

/// The Videos API's front door: the same, except that any `api-version` is accepted and ignored
/// (the v1 Videos API needs none, and clients send `v1`, `preview` or dated versions).
pub async fn videos_gate(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    pass(state, request, next, false).await
}

/// Faults, auth, the rpm budget, and (when `check_version`) the api-version rule, then the operation.
async fn pass(state: SharedState, request: Request, next: Next, check_version: bool) -> Response {
    let target = match request.uri().query() {
        Some(query) => format!("{}?{query}", request.uri().path()),
        None => request.uri().path().to_owned(),
    };
    let path = request.uri().path();
    // Jobs download under `.../content/video`; the Videos API under `/videos/{id}/content`.
    let is_download = request.method() == Method::GET && (path.contains("/content/") || path.ends_with("/content"));
    let (fault_latency, action) = lock(&state.faults).take(&target, is_download);
    let latency = fault_latency.saturating_add(state.settings().latency_ms);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    // The request log names the fault served (body faults note theirs once applied).
    let note = request.extensions().get::<FaultNote>().cloned().unwrap_or_default();
    if fault_latency > 0 {
        note.set(FaultKind::Latency.name());
    }
    match action {
        Some(Action::Status(kind, retry_after_ms)) => {
            note.set(kind.name());
            return fault_error(kind, retry_after_ms).into_response();
        }
        Some(Action::Malformed) => {
            note.set(FaultKind::Malformed.name());
            return malformed();
        }
        Some(Action::Reset) => {
            note.set(FaultKind::Reset.name());
            return reset(request.extensions().get::<ConnectionKill>().cloned()).await;
        }
        Some(Action::Truncate(_) | Action::SlowBody(_) | Action::RetryHint(_) | Action::OversizeBody(_)) | None => {}
    }
    let now = now_ms();
    if let Err(error) = auth::authenticate(&state, request.headers(), now) {
        return error.into_response();
    }
    let rpm = state.settings().rpm;
    if let Err(wait_ms) = lock(&state.rate).try_admit(now, rpm) {
        return ApiError::too_many(
            "429",
            format!(
                "Requests to the video generation API have exceeded the rate limit of {rpm} \
                 requests per minute. Please retry after {} seconds.",
                wait_ms.div_ceil(1000)
            ),
            wait_ms,
        )
        .into_response();
    }
    if check_version && let Err(error) = QueryPairs::from_uri(request.uri()).and_then(|q| check_api_version(&q)) {
        return error.into_response();
    }
    let response = next.run(request).await;
    match action {
        Some(Action::Truncate(kind)) => body_faults::truncate(response, &note, kind.name()).await,
        Some(Action::SlowBody(bytes_per_sec)) => body_faults::slow(response, bytes_per_sec, &note).await,
        Some(Action::RetryHint(ms)) => {
            note.set(FaultKind::RetryHint.name());
            body_faults::retry_hint(response, ms)
        }
        Some(Action::OversizeBody(stall_ms)) => {
            note.set(FaultKind::OversizeBody.name());
            body_faults::oversize(response, stall_ms).await
        }
        _ => response,
    }
}

/// The error an injected status fault answers with.
fn fault_error(kind: FaultKind, retry_after_ms: u64) -> ApiError {
    match kind {
        FaultKind::TooManyRequests => ApiError::too_many(
            "429",
            "Requests have exceeded the rate limit (injected fault). Please retry later.",
            retry_after_ms,
        ),
        FaultKind::Unavailable => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            "The service is temporarily unavailable (injected fault). Please retry.",
        )
        .with_kind("server_error"),
        _ => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServerError",
            "The server had an error while processing the request (injected fault).",
        )
        .with_kind("server_error"),
    }
}

/// 200 with a JSON body that cannot be parsed.
fn malformed() -> Response {
    let mut response = (StatusCode::OK, MALFORMED_BODY).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// Drops the connection without answering.
async fn reset(kill: Option<ConnectionKill>) -> Response {
    if let Some(kill) = kill {
        kill.kill();
        // The connection task drops this future together with the connection.
        std::future::pending::<()>().await;
    }
    // Served without our accept loop: fail the body before anything useful is sent.
    let failing = stream::once(async { Err::<Bytes, _>(std::io::Error::other("connection reset (injected fault)")) });
    Response::new(Body::from_stream(failing))
}
