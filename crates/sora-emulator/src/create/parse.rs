//! Parse step of a create: the body as fields and uploaded files, by its `Content-Type`.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use serde_json::{Map, Value};

use super::multipart::{self, FileParts};
use super::validate::CreateBody;
use crate::errors::{ApiError, ApiResult};

/// Largest JSON create body.
const JSON_LIMIT: usize = 1024 * 1024;

/// How a create body is read: the largest JSON body and which multipart parts are uploads.
#[derive(Debug, Clone, Copy)]
pub struct BodyRules {
    /// In bytes, a whole number of MiB (the 413 says it in MiB).
    pub json_limit: usize,
    pub uploads: FileParts,
}

/// The jobs API's create: 1 MiB of JSON, `files` uploads.
pub const JOB_BODY: BodyRules = BodyRules { json_limit: JSON_LIMIT, uploads: multipart::JOB_FILES };

/// Reads a JSON (or untyped, assumed JSON) or multipart create body.
pub async fn body(request: Request) -> ApiResult<CreateBody> {
    body_with(request, JOB_BODY).await
}

/// Reads a JSON (or untyped, assumed JSON) or multipart body by `rules`.
pub async fn body_with(request: Request, rules: BodyRules) -> ApiResult<CreateBody> {
    let content_type =
        request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let (fields, files) = multipart::read_with(request, rules.uploads).await?;
        return Ok(CreateBody { fields, files, multipart: true });
    }
    if content_type.is_empty() || is_json(&content_type) {
        let fields = read_json(request.into_body(), content_type.is_empty(), rules.json_limit).await?;
        return Ok(CreateBody { fields, files: Vec::new(), multipart: false });
    }
    Err(ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        format!(
            "Content-Type '{content_type}' is not supported: send application/json, or \
             multipart/form-data for image-to-video."
        ),
    ))
}

/// Whether a content type is JSON (`application/json`, `application/*+json`).
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads a JSON object body of at most `limit` bytes.
async fn read_json(body: Body, guessed: bool, limit: usize) -> ApiResult<Map<String, Value>> {
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        let mib = limit / (1024 * 1024);
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request_too_large",
            format!("The JSON body is larger than {mib} MiB."),
        )
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
