//! Authentication: the resource key in `api-key` or `Authorization`, or a minted bearer token.

use axum::http::HeaderMap;

use crate::errors::ApiError;
use crate::state::AppState;
use crate::sync::lock;

/// Azure's gateway message for a missing or wrong key.
const DENIED: &str = "Access denied due to invalid subscription key or wrong API endpoint. \
Make sure to provide a valid key for an active subscription and use a correct regional API \
endpoint for your resource.";
/// Message for a minted token past its expiry.
const EXPIRED: &str = "Unauthorized. Access token is missing, invalid, audience is incorrect \
(https://cognitiveservices.azure.com), or have expired.";

/// Why a credential was refused, if it was.
enum Check {
    Valid,
    Expired,
    Invalid,
}

/// Accepts the request if any credential it carries is valid.
pub fn authenticate(state: &AppState, headers: &HeaderMap, now_ms: u64) -> Result<(), ApiError> {
    let mut expired = false;
    let api_key = headers.get("api-key").and_then(|v| v.to_str().ok());
    if api_key.is_some_and(|key| key.trim() == state.api_key) {
        return Ok(());
    }
    if let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()) {
        let value = value.trim();
        let credential = match value.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => value,
        };
        match check_credential(state, credential, now_ms) {
            Check::Valid => return Ok(()),
            Check::Expired => expired = true,
            Check::Invalid => {}
        }
    }
    Err(ApiError::unauthorized(if expired { EXPIRED } else { DENIED }))
}

/// Checks a key or token taken from `Authorization`.
fn check_credential(state: &AppState, credential: &str, now_ms: u64) -> Check {
    if credential == state.api_key {
        return Check::Valid;
    }
    match lock(&state.tokens).get(credential) {
        Some(&expires_ms) if now_ms < expires_ms => Check::Valid,
        Some(_) => Check::Expired,
        None => Check::Invalid,
    }
}
