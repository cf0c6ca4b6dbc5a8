//! Reading a multipart create request: `files` parts, `inpaint_items` JSON and text scalars.

use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request};
use serde_json::{Map, Value};

use super::opening::UploadedFile;
use crate::errors::{ApiError, ApiResult};

/// Which parts of a multipart body are uploads, and what a part of theirs without a filename answers.
#[derive(Debug, Clone, Copy)]
pub struct FileParts {
    /// The part name of uploads (`files` for jobs, `input_reference` for the Videos API).
    pub field: &'static str,
    pub nameless: fn() -> ApiError,
}

/// The jobs API's uploads: `files` parts, each named (inpaint_items refer to them by name).
pub const JOB_FILES: FileParts = FileParts { field: "files", nameless: nameless_job_file };

fn nameless_job_file() -> ApiError {
    ApiError::invalid(
        "files",
        "invalid_value",
        "Every 'files' part needs a filename (referenced by inpaint_items[].file_name).",
    )
}

/// Splits a multipart body into text fields (as JSON strings) and uploaded `files`.
pub async fn read(request: Request) -> ApiResult<(Map<String, Value>, Vec<UploadedFile>)> {
    read_with(request, JOB_FILES).await
}

/// Splits a multipart body into text fields (as JSON strings) and the uploads `uploads` names.
pub async fn read_with(request: Request, uploads: FileParts) -> ApiResult<(Map<String, Value>, Vec<UploadedFile>)> {
    let mut multipart = Multipart::from_request(request, &()).await.map_err(|rejection| {
        ApiError::bad_request("invalid_multipart", format!("Invalid multipart body: {rejection}."))
    })?;
    let mut fields = Map::new();
    let mut files = Vec::new();
    let mut inpaint_parts = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().trim_end_matches("[]").to_owned();
        match name.as_str() {
            _ if name == uploads.field => {
                let Some(file_name) = field.file_name().map(str::to_owned) else {
                    return Err((uploads.nameless)());
                };
                let content_type = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(multipart_error)?;
                files.push(UploadedFile { name: file_name, content_type, bytes });
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
