//! Parse step of a create: the body as fields and uploaded files, by its `Content-Type`.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use serde_json::{Map, Value};

use super::multipart;
use super::validate::CreateBody;
use crate::errors::{ApiError, ApiResult};

/// Largest JSON create body.
const JSON_LIMIT: usize = 1024 * 1024;

/// Reads a JSON (or untyped, assumed JSON) or multipart create body.
pub async fn body(request: Request) -> ApiResult<CreateBody> {
    let content_type =
        request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let (fields, files) = multipart::read(request).await?;
        return Ok(CreateBody { fields, files, multipart: true });
    }
    if content_type.is_empty() || is_json(&content_type) {
        let fields = read_json(request.into_body(), content_type.is_empty()).await?;
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
