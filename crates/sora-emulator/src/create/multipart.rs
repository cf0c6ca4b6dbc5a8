//! Reading a multipart create request: `files` parts, `inpaint_items` JSON and text scalars.

use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request};
use serde_json::{Map, Value};

use super::opening::UploadedFile;
use crate::errors::{ApiError, ApiResult};

/// Splits a multipart body into text fields (as JSON strings) and uploaded files.
pub async fn read(request: Request) -> ApiResult<(Map<String, Value>, Vec<UploadedFile>)> {
    let mut multipart = Multipart::from_request(request, &()).await.map_err(|rejection| {
        ApiError::bad_request("invalid_multipart", format!("Invalid multipart body: {rejection}."))
    })?;
    let mut fields = Map::new();
    let mut files = Vec::new();
    let mut inpaint_parts = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().trim_end_matches("[]").to_owned();
        match name.as_str() {
            "files" => {
                let Some(file_name) = field.file_name().map(str::to_owned) else {
                    return Err(ApiError::invalid(
                        "files",
                        "invalid_value",
                        "Every 'files' part needs a filename (referenced by inpaint_items[].file_name).",
                    ));
                };
                let bytes = field.bytes().await.map_err(multipart_error)?;
                files.push(UploadedFile { name: file_name, bytes });
            }
            "inpaint_items" => {
                let text = field.text().await.map_err(multipart_error)?;
                inpaint_parts.push(text);
            }
            _ => {
                let text = field.text().await.map_err(multipart_error)?;
                fields.insert(name, Value::String(text));
            }
        }
    }
    if let Some(items) = inpaint_items(inpaint_parts)? {
        fields.insert("inpaint_items".into(), items);
    }
    Ok((fields, files))
}

/// Joins `inpaint_items` parts: one JSON array, or one JSON object per part.
fn inpaint_items(parts: Vec<String>) -> ApiResult<Option<Value>> {
    if parts.is_empty() {
        return Ok(None);
    }
    let mut items = Vec::new();
    for part in parts {
        let value: Value = serde_json::from_str(&part).map_err(|e| {
            ApiError::invalid(
                "inpaint_items",
                "invalid_json",
                format!("inpaint_items must be JSON (an array of inpainting items): {e}."),
            )
        })?;
        match value {
            Value::Array(values) => items.extend(values),
            other => items.push(other),
        }
    }
    Ok(Some(Value::Array(items)))
}

/// Maps a multipart stream error, keeping 413 for bodies over the limit.
fn multipart_error(error: MultipartError) -> ApiError {
    let status = error.status();
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(status, "request_too_large", "The multipart body is larger than 64 MiB.")
    } else {
        ApiError::bad_request("invalid_multipart", format!("Invalid multipart body: {}.", error.body_text()))
    }
}
