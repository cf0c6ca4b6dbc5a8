//! Job operations: create, list, get, delete.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::clock::now_ms;
use crate::errors::{ApiError, ApiResult};
use crate::ids;
use crate::job::{Job, JobView};
use crate::lifecycle;
use crate::moderation;
use crate::multipart;
use crate::opening;
use crate::query::QueryPairs;
use crate::state::{SharedState, lock};
use crate::validate;

/// Largest JSON create body.
const JSON_LIMIT: usize = 1024 * 1024;
/// The job statuses a list can filter by.
const STATUSES: [&str; 7] = ["preprocessing", "queued", "running", "processing", "cancelled", "succeeded", "failed"];
/// Largest list page.
const MAX_LIMIT: i64 = 100;

/// `POST /video/generations/jobs` (JSON or multipart).
pub async fn create(State(state): State<SharedState>, request: Request) -> ApiResult<Response> {
    let content_type =
        request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    let multipart = content_type.starts_with("multipart/form-data");
    let (fields, files) = if multipart {
        multipart::read(request).await?
    } else if content_type.is_empty() || is_json(&content_type) {
        (read_json(request.into_body(), content_type.is_empty()).await?, Vec::new())
    } else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "Content-Type '{content_type}' is not supported: send application/json, or \
                 multipart/form-data for image-to-video."
            ),
        ));
    };
    check_deployment(&state, &fields)?;
    if multipart && files.is_empty() {
        return Err(ApiError::invalid(
            "files",
            "missing_required_parameter",
            "A multipart create needs at least one 'files' part (use JSON for text-to-video).",
        ));
    }
    let mut job_request = validate::create_request(&fields)?;
    if let Some(refusal) = moderation::refusal(&job_request.prompt, &state.blocklist) {
        return Err(refusal);
    }
    let opening_image = opening::resolve(&mut job_request, files).await?;
    let job = lifecycle::create_job(&state, job_request, opening_image)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], job).into_response())
}

/// Answers 404 when `model` names no known deployment, as the service does (DIGEST §6.1).
///
/// A missing, non-string or blank `model` is left to validation (a 400 naming `model`).
fn check_deployment(state: &SharedState, fields: &Map<String, Value>) -> ApiResult<()> {
    let Some(Value::String(model)) = fields.get("model") else {
        return Ok(());
    };
    if model.trim().is_empty() || state.deployments.iter().any(|known| known == model) {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        "",
        format!(
            "The API deployment '{model}' for this resource does not exist. If you created the \
             deployment within the last 5 minutes, please wait a moment and try again."
        ),
    )
    .without_code())
}

/// Whether a content type is JSON (`application/json`, `application/*+json`).
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads a JSON object body of at most 1 MiB.
async fn read_json(body: Body, guessed: bool) -> ApiResult<Map<String, Value>> {
    let bytes = axum::body::to_bytes(body, JSON_LIMIT).await.map_err(|_| {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "request_too_large", "The JSON body is larger than 1 MiB.")
    })?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            "missing_body",
            "The request needs a JSON body (Content-Type: application/json).",
        ));
    }
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        let hint = if guessed { " (no Content-Type was sent; JSON was assumed)" } else { "" };
        ApiError::bad_request("invalid_json", format!("The body is not valid JSON{hint}: {e}."))
    })?;
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::bad_request("invalid_json", "The JSON body must be an object.")),
    }
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
    let job = store.get(&id, now_ms()).ok_or_else(|| job_not_found(&id))?;
    Ok(Json(job.view(skew)).into_response())
}

/// `DELETE /video/generations/jobs/{job-id}`: 204; a job still in progress is cancelled.
pub async fn delete(State(state): State<SharedState>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    let mut store = lock(&state.store);
    if store.get(&id, now_ms()).is_none() {
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
