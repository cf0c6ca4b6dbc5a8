//! Redirect tests: make /openai requests answer with a redirect, and record what reaches the target.
//!
//! A client must never follow a redirect with its key: a redirect to another origin would hand the
//! key to whoever runs it. To prove a client refuses, a test:
//!
//! 1. `POST /admin/redirect {"to": "http://localhost:PORT/admin/redirect/landing", "count"?: N,
//!    "status"?: 307, "path_contains"?: "..."}`: the next N (default 1) `/openai` requests whose
//!    path+query contains `path_contains` answer `status` (301, 302, 303, 307 or 308; default 307)
//!    with `Location: {to}{path}?{query}`, before faults, auth and the rpm budget (CORS still
//!    applies, so a browser sees the redirect itself). Pointing `to` at the same emulator under
//!    another host name (`localhost` for `127.0.0.1`) makes it a cross-origin redirect.
//! 2. `ANY /admin/redirect/landing/...` is the target: it answers 200 `{"landed": true}` and records
//!    the method, path, query (secrets redacted), `Origin`, and whether `api-key` or `authorization`
//!    came along (never their values).
//! 3. `GET /admin/redirect` → `{"pending": [...], "landings": [...]}`; `DELETE /admin/redirect`
//!    (and `POST /admin/reset`) forget both.

use std::sync::{Arc, Mutex};

use axum::extract::rejection::JsonRejection;
use axum::extract::{OriginalUri, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Serialize;
use serde_json::{Value, json};

use crate::admin_input;
use crate::clock::now_ms;
use crate::errors::{ApiError, ApiResult};
use crate::request_log::redact_query;
use crate::sync::lock;

/// How many landings are remembered.
const LANDINGS: usize = 200;

/// How many redirects may be queued at once.
const MAX_PENDING: usize = 1000;

/// One queued redirect.
#[derive(Debug, Clone, Serialize)]
pub struct Redirect {
    pub to: String,
    pub remaining: u32,
    pub status: u16,
    pub path_contains: Option<String>,
}

/// A request that reached the landing route.
#[derive(Debug, Clone, Serialize)]
pub struct Landing {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub origin: Option<String>,
    pub api_key_present: bool,
    pub authorization_present: bool,
    pub at_ms: u64,
}

#[derive(Debug, Default)]
struct Inner {
    pending: Vec<Redirect>,
    landings: Vec<Landing>,
}

/// Queued redirects and recorded landings, shared by the router (an `Extension`).
#[derive(Debug, Clone, Default)]
pub struct Redirects(Arc<Mutex<Inner>>);

impl Redirects {
    /// Forgets queued redirects and landings.
    pub fn clear(&self) {
        let mut inner = lock(&self.0);
        inner.pending.clear();
        inner.landings.clear();
    }

    /// Consumes the first redirect matching `target` (path and query), if any.
    fn take(&self, target: &str) -> Option<Redirect> {
        let mut inner = lock(&self.0);
        let index = inner
            .pending
            .iter()
            .position(|r| r.path_contains.as_deref().is_none_or(|needle| target.contains(needle)))?;
        let redirect = inner.pending[index].clone();
        inner.pending[index].remaining -= 1;
        if inner.pending[index].remaining == 0 {
            inner.pending.remove(index);
        }
        Some(redirect)
    }
}

/// Middleware on /openai: answers with a queued redirect instead of handling the request.
pub async fn answer(State(redirects): State<Redirects>, request: Request, next: Next) -> Response {
    let path_and_query = full_uri(&request).path_and_query().map_or_else(String::new, |pq| pq.as_str().to_owned());
    let Some(redirect) = redirects.take(&path_and_query) else {
        return next.run(request).await;
    };
    let location = format!("{}{path_and_query}", redirect.to.trim_end_matches('/'));
    let status = StatusCode::from_u16(redirect.status).unwrap_or(StatusCode::TEMPORARY_REDIRECT);
    let mut response =
        (status, Json(json!({ "redirected_to": location, "note": "injected redirect (POST /admin/redirect)" })))
            .into_response();
    match HeaderValue::from_str(&location) {
        Ok(value) => {
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        Err(_) => ApiError::internal("The queued redirect target is not a valid header value.").into_response(),
    }
}

/// The request's URI as it arrived (nested routers see it without their prefix).
fn full_uri(request: &Request) -> &Uri {
    request.extensions().get::<OriginalUri>().map_or(request.uri(), |original| &original.0)
}

/// `POST /admin/redirect`: queues a redirect for the next matching /openai requests.
pub async fn configure(
    Extension(redirects): Extension<Redirects>,
    payload: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let body = admin_input::object(payload)?;
    let to = admin_input::text(&body, "to", 2048)?.unwrap_or_default();
    let to = to.trim().to_owned();
    let scheme_ok = to.starts_with("http://") || to.starts_with("https://");
    if !scheme_ok || to.contains(['?', '#']) || HeaderValue::from_str(&to).is_err() {
        return Err(ApiError::invalid(
            "to",
            "invalid_value",
            "to must be an absolute http(s) URL without query or fragment.",
        ));
    }
    let status = admin_input::integer(&body, "status", 301, 308)?.unwrap_or(307);
    if ![301, 302, 303, 307, 308].contains(&status) {
        return Err(ApiError::invalid("status", "invalid_value", "status must be 301, 302, 303, 307 or 308."));
    }
    let redirect = Redirect {
        to,
        remaining: crate::faults::queued_count(&body)?,
        status: admin_input::narrow(status),
        path_contains: admin_input::text(&body, "path_contains", crate::faults::MAX_PATH_CONTAINS)?,
    };
    let reply = json!({ "queued": true, "redirect": redirect });
    let mut inner = lock(&redirects.0);
    if inner.pending.len() >= MAX_PENDING {
        return Err(crate::routes::admin::too_many("redirects", MAX_PENDING, "DELETE /admin/redirect"));
    }
    inner.pending.push(redirect);
    Ok(Json(reply))
}

/// `GET /admin/redirect`: queued redirects and the requests that reached the landing route.
pub async fn status(Extension(redirects): Extension<Redirects>) -> Json<Value> {
    let inner = lock(&redirects.0);
    Json(json!({ "pending": inner.pending, "landings": inner.landings }))
}

/// `DELETE /admin/redirect`: forgets queued redirects and landings.
pub async fn clear(Extension(redirects): Extension<Redirects>) -> StatusCode {
    redirects.clear();
    StatusCode::NO_CONTENT
}

/// `ANY /admin/redirect/landing/...`: the redirect target; records who came and with what.
pub async fn land(Extension(redirects): Extension<Redirects>, request: Request) -> Json<Value> {
    let headers = request.headers();
    let uri = full_uri(&request);
    let landing = Landing {
        method: request.method().to_string(),
        path: uri.path().to_owned(),
        query: uri.query().map(redact_query),
        origin: headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).map(str::to_owned),
        api_key_present: headers.contains_key("api-key"),
        authorization_present: headers.contains_key(header::AUTHORIZATION),
        at_ms: now_ms(),
    };
    eprintln!(
        "redirect landing: {} {} api_key_present={} authorization_present={}",
        landing.method, landing.path, landing.api_key_present, landing.authorization_present
    );
    let mut inner = lock(&redirects.0);
    if inner.landings.len() >= LANDINGS {
        inner.landings.remove(0);
    }
    inner.landings.push(landing);
    Json(json!({ "landed": true }))
}
