//! `GET /video/generations/{generation-id}`.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use crate::clock::now_ms;
use crate::errors::{ApiError, ApiResult};
use crate::state::SharedState;
use crate::sync::lock;

/// Returns one generation of a succeeded job.
pub async fn get(State(state): State<SharedState>, Path(id): Path<String>) -> ApiResult<Response> {
    let skew = state.settings().clock_skew_secs;
    let store = lock(&state.store);
    let (job, generation) = store.generation(&id, now_ms()).ok_or_else(|| generation_not_found(&id))?;
    Ok(Json(job.generation_view(generation, skew)).into_response())
}

/// The 404 for a generation that does not (or no longer, or not yet) exist.
pub fn generation_not_found(id: &str) -> ApiError {
    let hint = if id.starts_with("task_") {
        " Generations are fetched by their own id (generations[i].id), not by the job id."
    } else {
        ""
    };
    ApiError::not_found(format!(
        "The video generation '{id}' does not exist: its job may not have succeeded yet, or it \
         was deleted or has expired.{hint}"
    ))
}
