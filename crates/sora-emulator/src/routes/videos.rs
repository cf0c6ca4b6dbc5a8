//! Videos API operations (`/videos`): create, list, get, delete, content, remix, edits, extensions.
//!
//! Mounted under `/openai/v1` (Azure's shape) and `/v1` (OpenAI's); the [`Shape`] extension says
//! which. Videos live in the jobs' store and go through the same gate, limits and lifecycle.

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde_json::Value;

use crate::clock::{now_ms, skewed};
use crate::create::multipart::FileParts;
use crate::create::parse::{self, BodyRules};
use crate::create::validate::CreateBody;
use crate::create::{admit, planning};
use crate::errors::{ApiError, ApiResult};
use crate::ids;
use crate::job::{Job, JobRequest, Outcome};
use crate::lifecycle::{self, Rendition};
use crate::media::OpeningImage;
use crate::moderation;
use crate::query::QueryPairs;
use crate::routes::content::respond;
use crate::state::SharedState;
use crate::sync::lock;
use crate::videos::models::Shape;
use crate::videos::request::{self, VideoRequest};
use crate::videos::view::{self, Deleted, POLL_HEADER, VideoList};
use crate::videos::{Origin, VideoMeta, reference};

/// A create's body: JSON up to 32 MiB (a 20 MB image as a base64 data: URL is 27 MB), multipart
/// with the image as an `input_reference` file part.
const VIDEO_BODY: BodyRules = BodyRules {
    json_limit: 32 * 1024 * 1024,
    uploads: FileParts { field: "input_reference", nameless: reference::nameless_part },
};
/// An edit's or extension's body: JSON naming the source, or multipart with it uploaded as `video`.
const SOURCE_BODY: BodyRules =
    BodyRules { json_limit: 1024 * 1024, uploads: FileParts { field: "video", nameless: reference::nameless_part } };
/// Default and largest list page.
const LIST_LIMIT: (i64, i64) = (20, 100);

/// The Videos API's routes (relative to the base they are mounted under).
pub fn routes() -> Router<SharedState> {
    Router::new()
        .route("/videos", post(create).get(list))
        .route("/videos/edits", post(edit))
        .route("/videos/extensions", post(extend))
        .route("/videos/{video_id}", get(get_video).delete(delete))
        .route("/videos/{video_id}/content", get(content).head(content))
        .route("/videos/{video_id}/remix", post(remix))
}

/// `POST /videos` (multipart or JSON): check, decode the reference image, plan, store, answer.
pub async fn create(
    State(state): State<SharedState>,
    Extension(shape): Extension<Shape>,
    request: Request,
) -> ApiResult<Response> {
    let body = parse::body_with(request, VIDEO_BODY).await?;
    let video = request::create(&body.fields, shape, &state.deployments)?;
    let reference = match body.files.into_iter().next() {
        Some(file) => Some(reference::from_upload(file)),
        None => match body.fields.get("input_reference") {
            None | Some(Value::Null) => None,
            Some(value) => Some(reference::from_json(value)?),
        },
    };
    let opening = match reference {
        Some(reference) => reference::opening_image(reference, video.width, video.height).await?,
        None => None,
    };
    store(&state, video, opening, Origin::Create, None)
}

/// `POST /videos/{id}/remix` `{"prompt"}`: a new video like a completed one, with a new prompt.
pub async fn remix(State(state): State<SharedState>, Path(id): Path<String>, request: Request) -> ApiResult<Response> {
    let body = parse::body(request).await?;
    let source = completed_source(&state, &id, None, "remixed")?;
    let prompt = request::prompt(&body.fields)?;
    store(&state, VideoRequest::like(&source, prompt), None, Origin::Remix, Some(id))
}

/// `POST /videos/edits` `{"prompt", "video": {"id"}}` (or `video` uploaded): a new video from a
/// completed or uploaded one.
pub async fn edit(State(state): State<SharedState>, request: Request) -> ApiResult<Response> {
    let body = parse::body_with(request, SOURCE_BODY).await?;
    let (source, video) = source_of(&state, body, "edited")?;
    store(&state, video, None, Origin::Edit, Some(source))
}

/// `POST /videos/extensions` `{"prompt", "seconds", "video": {"id"}}` (or `video` uploaded): a
/// video `seconds` longer (4 to 20 added); the answer's `seconds` is the stitched total.
pub async fn extend(State(state): State<SharedState>, request: Request) -> ApiResult<Response> {
    let body = parse::body_with(request, SOURCE_BODY).await?;
    let added = request::extension_seconds(&body.fields)?;
    let (source, video) = source_of(&state, body, "extended")?;
    let video = VideoRequest { seconds: video.seconds + added, ..video };
    store(&state, video, None, Origin::Extension, Some(source))
}

/// The source a body names (a completed video by id) or carries (an uploaded MP4) as the frames'
/// caption shows it, and a request like it with the body's prompt.
fn source_of(state: &SharedState, body: CreateBody, done: &str) -> ApiResult<(String, VideoRequest)> {
    let prompt = request::prompt(&body.fields)?;
    if let Some(upload) = body.files.into_iter().next() {
        let video = request::uploaded_video(&upload.bytes, prompt)?;
        return Ok((format!("the uploaded '{}'", upload.name), video));
    }
    let id = request::source_id(&body.fields)?;
    let source = completed_source(state, &id, Some("video"), done)?;
    Ok((id, VideoRequest::like(&source, prompt)))
}

/// The request of a live, completed video (404 if there is none, 400 if it is not completed).
fn completed_source(state: &SharedState, id: &str, param: Option<&str>, done: &str) -> ApiResult<JobRequest> {
    let store = lock(&state.store);
    let job = store.video(id, now_ms()).ok_or_else(|| video_not_found(id))?;
    if !matches!(job.outcome, Outcome::Succeeded { .. }) {
        let error = ApiError::bad_request(
            "invalid_request",
            format!(
                "The video '{id}' is not completed (its status is {}): only a completed video can be {done}.",
                view::status(job)
            ),
        );
        return Err(match param {
            Some(param) => error.with_param(param),
            None => error,
        });
    }
    Ok(job.request.clone())
}

/// Plans a video, stores it under the running-jobs limit and answers it as created.
fn store(
    state: &SharedState,
    video: VideoRequest,
    opening: Option<OpeningImage>,
    origin: Origin,
    source: Option<String>,
) -> ApiResult<Response> {
    let settings = state.settings();
    let meta = VideoMeta { origin, source, blocked: moderation::blocked(&video.prompt, &state.blocklist) };
    let verdict = meta.verdict(&video.prompt);
    let plan = state.timing.plan(video.width, video.height, video.seconds, 1, settings.speed);
    let now = now_ms();
    let id = state.ids.next_hex("video_", now);
    let mut job = planning::pending(id, video.into_job_request(), opening, plan, verdict, now);
    job.video = Some(meta);
    let hint = view::poll_after_ms(&job).filter(|_| settings.poll_hint);
    let skew = settings.clock_skew_secs;
    let body = admit::store_with(state, job, &settings, |job| {
        serde_json::to_string(&view::created(job, skew)).unwrap_or_default()
    })?;
    Ok(json(body, hint))
}

/// `GET /videos`: newest first by default, `after` an id, `limit` 1..=100, `order` asc|desc.
pub async fn list(State(state): State<SharedState>, uri: Uri) -> ApiResult<Response> {
    let query = QueryPairs::from_uri(&uri)?;
    let limit = match query.get("limit") {
        None | Some("") => LIST_LIMIT.0,
        Some(text) => text.trim().parse::<i64>().map_err(|_| {
            ApiError::invalid("limit", "invalid_type", format!("limit must be an integer; got '{text}'."))
        })?,
    };
    if !(1..=LIST_LIMIT.1).contains(&limit) {
        return Err(ApiError::invalid(
            "limit",
            "invalid_value",
            format!("limit must be between 1 and {}; got {limit}.", LIST_LIMIT.1),
        ));
    }
    let ascending = match query.get("order") {
        None | Some("" | "desc") => false,
        Some("asc") => true,
        Some(other) => {
            return Err(ApiError::invalid(
                "order",
                "invalid_value",
                format!("order must be asc or desc; got '{other}'."),
            ));
        }
    };
    // Ids sort by creation, so a deleted or expired video still works as a cursor.
    let after = match query.get("after") {
        None | Some("") => None,
        Some(id) if ids::is_hex_id(id, "video_") => Some(id),
        Some(id) => {
            return Err(ApiError::invalid(
                "after",
                "invalid_value",
                format!("after must be a video id (video_...); got '{id}'."),
            ));
        }
    };
    let skew = state.settings().clock_skew_secs;
    let store = lock(&state.store);
    let mut matching: Vec<&Job> = store.newest_first(now_ms()).filter(|job| job.is_video()).collect();
    if ascending {
        matching.reverse();
    }
    matching.retain(|job| {
        after.is_none_or(|after| if ascending { job.id.as_str() > after } else { job.id.as_str() < after })
    });
    let page = &matching[..usize::try_from(limit).unwrap_or(20).min(matching.len())];
    let body = VideoList {
        object: "list",
        data: page.iter().map(|job| view::view(job, skew)).collect(),
        first_id: page.first().map(|job| job.id.as_str()),
        last_id: page.last().map(|job| job.id.as_str()),
        has_more: matching.len() > page.len(),
    };
    Ok(json(serde_json::to_string(&body).unwrap_or_default(), None))
}

/// `GET /videos/{id}`, with the poll hint while it is unfinished.
pub async fn get_video(State(state): State<SharedState>, Path(id): Path<String>) -> ApiResult<Response> {
    let settings = state.settings();
    let store = lock(&state.store);
    let job = store.video(&id, now_ms()).ok_or_else(|| video_not_found(&id))?;
    let body = serde_json::to_string(&view::view(job, settings.clock_skew_secs)).unwrap_or_default();
    Ok(json(body, view::poll_after_ms(job).filter(|_| settings.poll_hint)))
}

/// `DELETE /videos/{id}`: forgets the video (stopping it if unfinished).
pub async fn delete(State(state): State<SharedState>, Path(id): Path<String>) -> ApiResult<Response> {
    let mut store = lock(&state.store);
    if store.video(&id, now_ms()).is_none() {
        return Err(video_not_found(&id));
    }
    store.remove(&id);
    drop(store);
    state.persist();
    let body = serde_json::to_string(&Deleted { id: &id, object: "video.deleted", deleted: true }).unwrap_or_default();
    Ok(json(body, None))
}

/// `GET`/`HEAD /videos/{id}/content?variant=video|thumbnail|spritesheet` of a completed video.
pub async fn content(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let query = QueryPairs::from_uri(&uri)?;
    let (which, content_type) = match query.get("variant") {
        None | Some("video") => (Rendition::High, "video/mp4"),
        Some("thumbnail") => (Rendition::Thumbnail, "image/jpeg"),
        Some("spritesheet") => (Rendition::Spritesheet, "image/jpeg"),
        Some(other) => {
            return Err(ApiError::invalid(
                "variant",
                "invalid_value",
                format!("variant must be video, thumbnail or spritesheet; got '{other}'."),
            ));
        }
    };
    let settings = state.settings();
    let (content, modified) = {
        let store = lock(&state.store);
        let job = store.video(&id, now_ms()).ok_or_else(|| video_not_found(&id))?;
        if which == Rendition::Spritesheet && !settings.spritesheets {
            return Err(ApiError::not_found(format!("This host has no spritesheet for the video '{id}'.")));
        }
        let Some(generation) = job.generations().first() else {
            return Err(ApiError::bad_request(
                "video_not_ready",
                format!(
                    "The video '{id}' is not ready: its status is {} (content can be downloaded once it is completed).",
                    view::status(job)
                ),
            ));
        };
        (generation.content.clone(), skewed(job.finished_at().unwrap_or(0), settings.clock_skew_secs))
    };
    let bytes = lifecycle::rendition(&state, &content, which).await?;
    Ok(respond(bytes, content_type, modified, &method, &headers))
}

/// The 404 for an unknown, deleted or expired video.
fn video_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("The video '{id}' does not exist (it may have been deleted or have expired)."))
}

/// A JSON answer, with the poll hint header when given.
fn json(body: String, poll_after_ms: Option<u64>) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "application/json")], body).into_response();
    if let Some(ms) = poll_after_ms {
        response.headers_mut().insert(POLL_HEADER, HeaderValue::from(ms));
    }
    response
}
