//! Test-control endpoints outside /openai: faults, live config, reset, tokens, request log.

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::clock::now_ms;
use crate::errors::{ApiError, ApiResult};
use crate::faults::{Fault, FaultRequest};
use crate::ids;
use crate::request_log::RequestRecord;
use crate::routes::redirect::Redirects;
use crate::state::{SharedState, lock};

/// Turns a JSON body rejection into the wrapped 400.
fn body<T>(payload: Result<Json<T>, JsonRejection>) -> ApiResult<T> {
    payload.map(|Json(value)| value).map_err(|e| {
        ApiError::bad_request(
            "invalid_json",
            format!("Invalid admin request: {}.", e.body_text()),
        )
    })
}

/// `POST /admin/faults`: queues a fault for the next matching /openai requests.
pub async fn add_fault(
    State(state): State<SharedState>,
    payload: Result<Json<FaultRequest>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let fault = Fault::from_request(body(payload)?)?;
    let reply = json!({
        "queued": true,
        "count": fault.remaining,
        "path_contains": fault.path_contains,
    });
    lock(&state.faults).push(fault);
    Ok(Json(reply))
}

/// `DELETE /admin/faults`: clears every queued fault.
pub async fn clear_faults(State(state): State<SharedState>) -> StatusCode {
    lock(&state.faults).clear();
    StatusCode::NO_CONTENT
}

/// `POST /admin/config` body: any subset of the live settings.
#[derive(Debug, Deserialize)]
pub struct ConfigChange {
    pub rpm: Option<u32>,
    pub max_running: Option<u32>,
    pub speed: Option<f64>,
    pub ttl_seconds: Option<u64>,
    pub latency_ms: Option<u64>,
    pub clock_skew_secs: Option<i64>,
}

/// `POST /admin/config`: changes settings live (speed applies to jobs created afterwards).
pub async fn configure(
    State(state): State<SharedState>,
    payload: Result<Json<ConfigChange>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let change = body(payload)?;
    if change.speed.is_some_and(|s| !(s.is_finite() && s > 0.0)) {
        return Err(ApiError::invalid(
            "speed",
            "invalid_value",
            "speed must be a positive number.",
        ));
    }
    let mut settings = lock(&state.settings);
    if let Some(rpm) = change.rpm {
        settings.rpm = rpm;
    }
    if let Some(max_running) = change.max_running {
        settings.max_running = max_running;
    }
    if let Some(speed) = change.speed {
        settings.speed = speed;
    }
    if let Some(ttl) = change.ttl_seconds {
        settings.ttl_seconds = ttl;
    }
    if let Some(latency) = change.latency_ms {
        settings.latency_ms = latency;
    }
    if let Some(skew) = change.clock_skew_secs {
        settings.clock_skew_secs = skew;
    }
    Ok(Json(json!(*settings)))
}

/// `GET /admin/config`: the live settings.
pub async fn current_config(State(state): State<SharedState>) -> Json<Value> {
    Json(json!(state.settings()))
}

/// `POST /admin/reset`: forgets jobs, faults, tokens, rate windows and the request log.
pub async fn reset(
    State(state): State<SharedState>,
    Extension(redirects): Extension<Redirects>,
) -> Json<Value> {
    redirects.clear();
    lock(&state.store).clear();
    lock(&state.faults).clear();
    lock(&state.rate).clear();
    lock(&state.tokens).clear();
    lock(&state.requests).clear();
    state.persist();
    let mut settings = lock(&state.settings);
    *settings = state.startup.clone();
    Json(json!(*settings))
}

/// `POST /admin/tokens` body.
#[derive(Debug, Deserialize)]
pub struct TokenRequest {
    pub ttl_seconds: Option<f64>,
}

/// `POST /admin/tokens`: mints a bearer token valid for `ttl_seconds` (default 3600).
pub async fn mint_token(
    State(state): State<SharedState>,
    payload: Result<Json<TokenRequest>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let ttl = body(payload)?.ttl_seconds.unwrap_or(3600.0);
    if !(0.0..=1e9).contains(&ttl) {
        return Err(ApiError::invalid(
            "ttl_seconds",
            "invalid_value",
            "ttl_seconds must be between 0 and 1e9.",
        ));
    }
    let now = now_ms();
    let expires_ms = now.saturating_add((ttl * 1000.0) as u64);
    let token = ids::token();
    let mut tokens = lock(&state.tokens);
    tokens.retain(|_, &mut expiry| expiry + 3_600_000 > now);
    tokens.insert(token.clone(), expires_ms);
    Ok(Json(
        json!({ "token": token, "expires_at": expires_ms / 1000, "expires_at_ms": expires_ms }),
    ))
}

/// `GET /admin/requests`: the last 200 /openai requests, oldest first.
pub async fn requests(State(state): State<SharedState>) -> Json<Vec<RequestRecord>> {
    Json(lock(&state.requests).snapshot())
}
