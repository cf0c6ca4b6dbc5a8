//! The wrapped error envelope `{"error": {code, message, param, type}}` every failure uses.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// `type` of errors the caller can fix by changing the request.
const USER_ERROR: &str = "video_generation_user_error";

/// One error answer: status, envelope fields and optional retry hint.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Option<String>,
    pub message: String,
    pub param: Option<String>,
    pub kind: Option<String>,
    /// Sent as `Retry-After` (whole seconds, rounded up) and `retry-after-ms`.
    pub retry_after_ms: Option<u64>,
}

impl ApiError {
    /// Builds an error with every optional field empty.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: Some(code.to_owned()),
            message: message.into(),
            param: None,
            kind: Some(USER_ERROR.to_owned()),
            retry_after_ms: None,
        }
    }

    /// A 400 about one request parameter.
    pub fn invalid(param: &str, code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message).with_param(param)
    }

    /// A 400 about the request as a whole.
    pub fn bad_request(code: &str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// A 404 for an id that does not exist (or no longer exists).
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// A 500 that names what went wrong.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", message)
            .with_kind("server_error")
    }

    /// A 401 in the shape Azure's gateway uses.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            code: Some("401".into()),
            message: message.into(),
            param: None,
            kind: None,
            retry_after_ms: None,
        }
    }

    /// A 429 that tells the client how long to wait.
    pub fn too_many(code: &str, message: impl Into<String>, retry_after_ms: u64) -> Self {
        Self {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: Some(code.to_owned()),
            message: message.into(),
            param: None,
            kind: Some("rate_limit_error".into()),
            retry_after_ms: Some(retry_after_ms),
        }
    }

    /// Names the offending request parameter.
    pub fn with_param(mut self, param: &str) -> Self {
        self.param = Some(param.to_owned());
        self
    }

    /// Replaces the error `type`.
    pub fn with_kind(mut self, kind: &str) -> Self {
        self.kind = Some(kind.to_owned());
        self
    }

    /// The JSON envelope.
    pub fn body(&self) -> serde_json::Value {
        json!({
            "error": {
                "code": self.code,
                "message": self.message,
                "param": self.param,
                "type": self.kind,
            }
        })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = self.body().to_string();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(ms) = self.retry_after_ms {
            insert_retry_after(headers, ms);
        }
        response
    }
}

/// Sets `Retry-After` (seconds, at least 1) and `retry-after-ms`.
pub fn insert_retry_after(headers: &mut axum::http::HeaderMap, ms: u64) {
    let seconds = ms.div_ceil(1000).max(1);
    headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    headers.insert("retry-after-ms", HeaderValue::from(ms));
}

/// Result alias for handlers.
pub type ApiResult<T> = Result<T, ApiError>;
