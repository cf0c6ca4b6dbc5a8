//! Test-control endpoints outside /openai: faults, live config, reset, tokens, request log.

use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde_json::{Value, json};

use crate::admin_input::{self, narrow};
use crate::clock::now_ms;
use crate::config::bounds;
use crate::errors::{ApiError, ApiResult};
use crate::faults::Fault;
use crate::ids;
use crate::request_log::RequestRecord;
use crate::routes::redirect::Redirects;
use crate::state::SharedState;
use crate::sync::lock;

/// How many faults may be queued at once.
pub const MAX_FAULTS: usize = 1000;
/// How many minted tokens may be live at once.
pub const MAX_TOKENS: usize = 10_000;

/// `POST /admin/faults`: queues a fault for the next matching /openai requests.
pub async fn add_fault(
    State(state): State<SharedState>,
    payload: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let fault = Fault::from_body(&admin_input::object(payload)?)?;
    let reply = json!({
        "queued": true,
        "count": fault.remaining,
        "path_contains": fault.path_contains,
    });
    let mut faults = lock(&state.faults);
    if faults.len() >= MAX_FAULTS {
        return Err(too_many("faults", MAX_FAULTS, "DELETE /admin/faults"));
    }
    faults.push(fault);
    Ok(Json(reply))
}

/// The 429 for a full admin list.
pub fn too_many(what: &str, cap: usize, remedy: &str) -> ApiError {
    ApiError::too_many(
        &format!("too_many_{what}"),
        format!("At most {cap} {what} may be queued at once; {remedy} clears them."),
        1000,
    )
}

/// `DELETE /admin/faults`: clears every queued fault.
pub async fn clear_faults(State(state): State<SharedState>) -> StatusCode {
    lock(&state.faults).clear();
    StatusCode::NO_CONTENT
}

/// `POST /admin/config`: changes settings live (speed applies to jobs created afterwards).
///
/// Every field is checked against its range (see `config::bounds`) before any is applied.
pub async fn configure(
    State(state): State<SharedState>,
    payload: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let body = admin_input::object(payload)?;
    let int = |field: &str, max: i64| admin_input::integer(&body, field, 0, max);
    let rpm = int("rpm", bounds::RPM.into())?;
    let max_running = int("max_running", bounds::MAX_RUNNING.into())?;
    // Both bounds are far below i64::MAX.
    let ttl = int("ttl_seconds", bounds::TTL_SECONDS as i64)?;
    let latency = int("latency_ms", bounds::LATENCY_MS as i64)?;
    let skew = admin_input::integer(&body, "clock_skew_secs", -bounds::CLOCK_SKEW_SECS, bounds::CLOCK_SKEW_SECS)?;
    let (min_speed, max_speed) = bounds::SPEED;
    let speed = admin_input::number(&body, "speed", min_speed, max_speed)?;
    let poll_hint = admin_input::boolean(&body, "poll_hint")?;
    let spritesheets = admin_input::boolean(&body, "spritesheets")?;
    let mut settings = lock(&state.settings);
    if let Some(rpm) = rpm {
        settings.rpm = narrow(rpm);
    }
    if let Some(max_running) = max_running {
        settings.max_running = narrow(max_running);
    }
    if let Some(speed) = speed {
        settings.speed = speed;
    }
    if let Some(ttl) = ttl {
        settings.ttl_seconds = narrow(ttl);
    }
    if let Some(latency) = latency {
        settings.latency_ms = narrow(latency);
    }
    if let Some(skew) = skew {
        settings.clock_skew_secs = skew;
    }
    if let Some(poll_hint) = poll_hint {
        settings.poll_hint = poll_hint;
    }
    if let Some(spritesheets) = spritesheets {
        settings.spritesheets = spritesheets;
    }
    Ok(Json(json!(*settings)))
}

/// `GET /admin/config`: the live settings.
pub async fn current_config(State(state): State<SharedState>) -> Json<Value> {
    Json(json!(state.settings()))
}

/// `POST /admin/reset`: forgets jobs, faults, tokens, rate windows and the request log.
pub async fn reset(State(state): State<SharedState>, Extension(redirects): Extension<Redirects>) -> Json<Value> {
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

/// `POST /admin/tokens`: mints a bearer token valid for `ttl_seconds` (default 3600).
pub async fn mint_token(
    State(state): State<SharedState>,
    payload: Result<Json<Value>, JsonRejection>,
) -> ApiResult<Json<Value>> {
    let body = admin_input::object(payload)?;
    let ttl = admin_input::number(&body, "ttl_seconds", 0.0, 1e9)?.unwrap_or(3600.0);
    let now = now_ms();
    let expires_ms = now.saturating_add((ttl * 1000.0) as u64);
    let token = ids::token();
    let mut tokens = lock(&state.tokens);
    tokens.retain(|_, &mut expiry| expiry.saturating_add(3_600_000) > now);
    if tokens.len() >= MAX_TOKENS {
        return Err(too_many("tokens", MAX_TOKENS, "POST /admin/reset"));
    }
    tokens.insert(token.clone(), expires_ms);
    Ok(Json(json!({ "token": token, "expires_at": expires_ms / 1000, "expires_at_ms": expires_ms })))
}

/// `GET /admin/requests`: the last 200 /openai requests, oldest first.
pub async fn requests(State(state): State<SharedState>) -> Json<Vec<RequestRecord>> {
    Json(lock(&state.requests).snapshot())
}
