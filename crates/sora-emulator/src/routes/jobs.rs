//! Job operations: create, list, get, delete.

use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::clock::now_ms;
use crate::create::{admit, parse, planning, validate};
use crate::errors::{ApiError, ApiResult};
use crate::ids;
use crate::job::{Job, JobView};
use crate::query::QueryPairs;
use crate::state::SharedState;
use crate::sync::lock;

/// The job statuses a list can filter by.
const STATUSES: [&str; 7] = ["preprocessing", "queued", "running", "processing", "cancelled", "succeeded", "failed"];
/// Largest list page.
const MAX_LIMIT: i64 = 100;

/// `POST /video/generations/jobs` (JSON or multipart): request, validate, plan, store, respond.
pub async fn create(State(state): State<SharedState>, request: Request) -> ApiResult<Response> {
    let body = parse::body(request).await?;
    let (job_request, opening_image) = validate::request(body, &state.deployments, &state.blocklist).await?;
    let settings = state.settings();
    let job = planning::job(job_request, opening_image, &state.timing, &state.ids, settings.speed);
    let created = admit::store(&state, job, &settings)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], created).into_response())
}

/// `GET /video/generations/jobs`: newest first, with `before`/`after` cursors.
///
/// Cursors are job ids compared by creation order, so a deleted or expired job still works as a
/// cursor; a string that is not shaped like a job id is a 400.
pub async fn list(State(state): State<SharedState>, uri: Uri) -> ApiResult<Response> {
    let query = QueryPairs::from_uri(&uri)?;
    let limit = match query.get("limit") {
        None => 10,
        Some(text) => text.trim().parse::<i64>().map_err(|_| {
            ApiError::invalid("limit", "invalid_type", format!("limit must be an integer; got '{text}'."))
        })?,
    };
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            "invalid_value",
            format!("limit must be between 1 and {MAX_LIMIT}; got {limit}."),
        ));
    }
    let after = cursor(&query, "after")?;
    let before = cursor(&query, "before")?;
    let statuses = statuses(&query)?;
    let now = now_ms();
    let skew = state.settings().clock_skew_secs;
    let store = lock(&state.store);
    let matching: Vec<&Job> = store
        .newest_first(now)
        .filter(|job| !job.is_video())
        .filter(|job| after.is_none_or(|a| job.id.as_str() < a))
        .filter(|job| before.is_none_or(|b| job.id.as_str() > b))
        .filter(|job| statuses.as_ref().is_none_or(|s| s.contains(&job.status())))
        .collect();
    let limit = usize::try_from(limit).unwrap_or(10);
    // With only `before`, the page is the one right before the cursor (walking towards newer jobs).
    let page = if before.is_some() && after.is_none() {
        &matching[matching.len().saturating_sub(limit)..]
    } else {
        &matching[..limit.min(matching.len())]
    };
    let body = JobList {
        object: "list",
        data: page.iter().map(|job| job.view(skew)).collect(),
        has_more: matching.len() > page.len(),
        first_id: page.first().map(|job| job.id.as_str()),
        last_id: page.last().map(|job| job.id.as_str()),
    };
    Ok(Json(body).into_response())
}

/// `VideoGenerationJobList`; `first_id`/`last_id` are omitted for an empty page.
#[derive(Serialize)]
struct JobList<'a> {
    object: &'static str,
    data: Vec<JobView<'a>>,
    has_more: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_id: Option<&'a str>,
}

/// A `before`/`after` cursor, which must look like a job id.
fn cursor<'a>(query: &'a QueryPairs, name: &str) -> ApiResult<Option<&'a str>> {
    match query.get(name) {
        None | Some("") => Ok(None),
        Some(id) if ids::is_well_formed(id, "task_") => Ok(Some(id)),
        Some(id) => {
            Err(ApiError::invalid(name, "invalid_value", format!("{name} must be a job id (task_...); got '{id}'.")))
        }
    }
}

/// The `statuses` filter: comma-separated (`statuses=queued,running`, the spec's form), repeated
/// keys (`statuses=queued&statuses=running`), or both; every item must be a known status.
fn statuses(query: &QueryPairs) -> ApiResult<Option<Vec<&'static str>>> {
    let mut given = query.all("statuses").peekable();
    if given.peek().is_none() {
        return Ok(None);
    }
    given
        .flat_map(|text| text.split(','))
        .map(|part| {
            STATUSES.iter().copied().find(|status| *status == part.trim()).ok_or_else(|| {
                ApiError::invalid(
                    "statuses",
                    "invalid_value",
                    format!("Unknown status '{part}'. Known statuses: {}.", STATUSES.join(", ")),
                )
            })
        })
        .collect::<ApiResult<Vec<_>>>()
        .map(Some)
}

/// `GET /video/generations/jobs/{job-id}`.
pub async fn get(State(state): State<SharedState>, Path(id): Path<String>) -> ApiResult<Response> {
    let skew = state.settings().clock_skew_secs;
    let store = lock(&state.store);
    let job = store.job(&id, now_ms()).ok_or_else(|| job_not_found(&id))?;
    Ok(Json(job.view(skew)).into_response())
}

/// `DELETE /video/generations/jobs/{job-id}`: 204; a job still in progress is cancelled.
pub async fn delete(State(state): State<SharedState>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let mut store = lock(&state.store);
    if store.job(&id, now_ms()).is_none() {
        return Err(job_not_found(&id));
    }
    store.remove(&id);
    drop(store);
    state.persist();
    Ok(StatusCode::NO_CONTENT)
}

/// The 404 for an unknown, deleted or expired job.
fn job_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!(
        "The video generation job '{id}' does not exist (it may have been deleted or have expired)."
    ))
}
