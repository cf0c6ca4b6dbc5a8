//! Per-request bookkeeping: request ids, CORP, the stderr log line and `/admin/requests`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;

use crate::clock::{http_date, now_ms, skewed};
use crate::ids;
use crate::state::SharedState;
use crate::sync::lock;

/// How many requests `/admin/requests` remembers.
const CAPACITY: usize = 200;
/// Query parameters whose values never reach logs.
const SECRET_PARAMS: [&str; 7] = ["api-key", "api_key", "key", "token", "access_token", "sig", "subscription-key"];

/// One remembered request (no secrets: only whether auth headers were present).
#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// 0 when the connection was dropped without a response.
    pub status: u16,
    pub at_ms: u64,
    pub duration_ms: u64,
    pub api_key_present: bool,
    pub authorization_present: bool,
    pub request_id: String,
    /// The injected fault served to this request (the admin API's `kind`), so tests can prove it fired.
    pub fault: Option<&'static str>,
}

/// The ring of recent /openai requests.
#[derive(Debug, Default)]
pub struct RequestLog {
    records: VecDeque<RequestRecord>,
}

impl RequestLog {
    /// Remembers a request, forgetting the oldest beyond capacity.
    pub fn push(&mut self, record: RequestRecord) {
        if self.records.len() >= CAPACITY {
            self.records.pop_front();
        }
        self.records.push_back(record);
    }

    /// The remembered requests, oldest first.
    pub fn snapshot(&self) -> Vec<RequestRecord> {
        self.records.iter().cloned().collect()
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.records.clear();
    }
}

/// Where the gate notes the injected fault it served, for the request's record (a request extension).
#[derive(Debug, Clone, Default)]
pub struct FaultNote(Arc<Mutex<Option<&'static str>>>);

impl FaultNote {
    /// Notes that the fault `kind` was served to this request.
    pub fn set(&self, kind: &'static str) {
        *lock(&self.0) = Some(kind);
    }

    /// The fault served, if any.
    fn get(&self) -> Option<&'static str> {
        *lock(&self.0)
    }
}

/// The request id of the current request (also in `apim-request-id`).
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Replaces the values of secret-looking query parameters with `REDACTED`.
pub fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if SECRET_PARAMS.contains(&key.to_ascii_lowercase().as_str()) => {
                format!("{key}=REDACTED")
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Records and logs a request when dropped, with status 0 if no response was produced.
struct Recorder {
    state: SharedState,
    record: Option<RequestRecord>,
    remember: bool,
    started: Instant,
    fault: FaultNote,
}

impl Recorder {
    fn finish(&mut self, status: u16) {
        let Some(mut record) = self.record.take() else {
            return;
        };
        record.status = status;
        record.fault = self.fault.get();
        record.duration_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let query = record.query.as_deref().map(|q| format!("?{q}")).unwrap_or_default();
        let mut outcome = if status == 0 { "dropped".to_owned() } else { status.to_string() };
        if let Some(fault) = record.fault {
            outcome.push_str(&format!(" (injected {fault})"));
        }
        eprintln!(
            "{} {}{} {} {}ms apim-request-id={}",
            record.method, record.path, query, outcome, record.duration_ms, record.request_id
        );
        if self.remember {
            lock(&self.state.requests).push(record);
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.finish(0);
    }
}

/// Outermost middleware: assigns `apim-request-id`, sets CORP on every response, logs and records.
pub async fn track(State(state): State<SharedState>, mut request: Request, next: Next) -> Response {
    let request_id = ids::request_id();
    let path = request.uri().path().to_owned();
    let headers = request.headers();
    // The API's requests (both shapes: /openai and the Videos API's /v1) are worth remembering for
    // client tests; static files and admin calls are not.
    let remember = path.starts_with("/openai") || path == "/v1" || path.starts_with("/v1/");
    let record = RequestRecord {
        method: request.method().to_string(),
        query: request.uri().query().map(redact_query),
        path,
        status: 0,
        at_ms: now_ms(),
        duration_ms: 0,
        api_key_present: headers.contains_key("api-key"),
        authorization_present: headers.contains_key("authorization"),
        request_id: request_id.clone(),
        fault: None,
    };
    let fault = FaultNote::default();
    let mut recorder =
        Recorder { state, record: Some(record), remember, started: Instant::now(), fault: fault.clone() };
    let extensions = request.extensions_mut();
    extensions.insert(RequestId(request_id.clone()));
    extensions.insert(fault);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        headers.insert("apim-request-id", value);
    }
    headers.insert("cross-origin-resource-policy", HeaderValue::from_static("cross-origin"));
    // hyper writes `Date` itself unless one is present; a skewed server clock writes its own.
    let skew = recorder.state.settings().clock_skew_secs;
    if skew != 0
        && let Ok(value) = HeaderValue::from_str(&http_date(skewed(now_ms() / 1000, skew)))
    {
        headers.insert(axum::http::header::DATE, value);
    }
    recorder.finish(response.status().as_u16());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(redact_query("api-version=preview&api-key=abc&x=1"), "api-version=preview&api-key=REDACTED&x=1");
    }
}
