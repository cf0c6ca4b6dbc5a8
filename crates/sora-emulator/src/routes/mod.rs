//! The router: /openai/v1 API (jobs and videos), /v1 videos, /admin controls, /healthz and the
//! optional static app.

pub mod admin;
pub mod content;
pub mod generations;
pub mod jobs;
pub mod redirect;
pub mod videos;

use std::any::Any;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Extension, Router};
use tower::ServiceExt;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::{ServeDir, ServeFile};

use crate::admin_access;
use crate::cors;
use crate::errors::{self, ApiError};
use crate::gate;
use crate::request_log;
use crate::state::SharedState;
use crate::videos::models::Shape;

/// Largest create body (multipart uploads).
const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// Builds the whole application.
pub fn router(state: SharedState) -> Router {
    let redirects = redirect::Redirects::default();
    let api = Router::new()
        .route("/video/generations/jobs", post(jobs::create).get(jobs::list))
        .route("/video/generations/jobs/{job_id}", get(jobs::get).delete(jobs::delete))
        .route("/video/generations/{generation_id}", get(generations::get))
        .route("/video/generations/{generation_id}/content/thumbnail", get(content::thumbnail))
        .route("/video/generations/{generation_id}/content/video", get(content::video).head(content::video))
        .fallback(not_found)
        .layer(middleware::from_fn(plain_errors_as_json))
        .layer(middleware::from_fn_with_state(state.flat_errors, errors::flatten))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), gate::gate))
        .layer(middleware::from_fn_with_state(redirects.clone(), redirect::answer))
        // The Videos API in Azure's shape, next to the jobs API (api's fallback covers both).
        .merge(videos_api(videos::routes(), &state, &redirects, Shape::Azure));
    // The Videos API in OpenAI's shape: /v1 is API-only, so its unknown paths are API 404s too.
    let openai = videos_api(videos::routes().fallback(not_found), &state, &redirects, Shape::OpenAi);
    let controls = Router::new()
        .route("/faults", post(admin::add_fault).delete(admin::clear_faults))
        .route("/config", post(admin::configure).get(admin::current_config))
        .route("/reset", post(admin::reset))
        .route("/tokens", post(admin::mint_token))
        .route("/requests", get(admin::requests))
        .route("/redirect", post(redirect::configure).get(redirect::status).delete(redirect::clear))
        .fallback(not_found)
        .layer(middleware::from_fn(plain_errors_as_json))
        .layer(middleware::from_fn_with_state(state.clone(), admin_access::check_token));
    let mut admin_app = Router::new().nest("/admin", controls);
    if let Some(cors) = cors::admin_layer(&state.admin_origins, state.private_network_access) {
        admin_app = admin_app.layer(cors);
    }
    let admin_app = admin_app
        .layer(middleware::from_fn_with_state(state.clone(), admin_access::check_origin))
        .with_state(state.clone());
    // The landing is a redirect target for clients under test, not an admin action: open, any-origin CORS.
    let landing = Router::new()
        .route("/redirect/landing", any(redirect::land))
        .route("/redirect/landing/{*rest}", any(redirect::land))
        .layer(middleware::from_fn(plain_errors_as_json));
    let mut app = Router::new()
        .nest("/openai/v1", api)
        .nest("/v1", openai)
        // Anything else under /openai is an API 404, never the static app.
        .route("/openai", any(not_found))
        .route("/openai/{*rest}", any(not_found))
        .nest("/admin", landing)
        .route("/healthz", get(|| async { "ok" }));
    app = match &state.static_dir {
        Some(dir) => app.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(dir.join("index.html")))),
        None => app.fallback(not_found),
    };
    app.layer(cors::layer(state.private_network_access))
        // Admin controls bypass the API's any-origin CORS: their own app has its own rules.
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            let admin_app = admin_app.clone();
            async move {
                if admin_access::is_admin_control(request.uri().path()) {
                    admin_app.oneshot(request).await.into_response()
                } else {
                    next.run(request).await
                }
            }
        }))
        .layer(Extension(redirects))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn_with_state(state.clone(), request_log::track))
        .layer(middleware::from_fn_with_state(state.flat_errors, errors::flatten))
        .with_state(state)
}

/// The Videos API's `routes` in one `shape`, behind the same layers as the jobs API (with the
/// gate that accepts any api-version).
fn videos_api(
    routes: Router<SharedState>,
    state: &SharedState,
    redirects: &redirect::Redirects,
    shape: Shape,
) -> Router<SharedState> {
    routes
        .layer(Extension(shape))
        .layer(middleware::from_fn(plain_errors_as_json))
        .layer(middleware::from_fn_with_state(state.flat_errors, errors::flatten))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), gate::videos_gate))
        .layer(middleware::from_fn_with_state(redirects.clone(), redirect::answer))
}

/// The wrapped 404 for unknown paths.
async fn not_found(request: Request) -> ApiError {
    ApiError::not_found(format!("Resource not found: {} {}.", request.method(), request.uri().path()))
}

/// Gives axum's own plain-text errors (405 with its `Allow`, extractor rejections) the wrapped body.
async fn plain_errors_as_json(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map(|bytes| String::from_utf8_lossy(&bytes).trim().to_owned())
        .unwrap_or_default();
    let (code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            ("method_not_allowed", format!("The method {method} is not allowed on this resource."))
        }
        _ if text.is_empty() => ("invalid_request", format!("The request failed with status {status}.")),
        _ => ("invalid_request", text),
    };
    let mut error = ApiError::new(status, code, message).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            error.headers_mut().insert(name.clone(), value.clone());
        }
    }
    error
}

/// Turns a handler panic into a wrapped 500 (the server keeps running).
fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    eprintln!("handler panicked: {detail}");
    ApiError::internal("The emulator hit an internal bug while handling this request.").into_response()
}
