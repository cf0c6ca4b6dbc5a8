//! The error envelope every failure uses: wrapped `{"error": {code, message, param, type}}`, or
//! with `--flat-errors` the spec's flat `AzureOpenAIVideoGenerationErrorResponse`.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// `type` of errors the caller can fix by changing the request.
const USER_ERROR: &str = "video_generation_user_error";

/// One error answer: status, envelope fields and optional retry hint.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Option<String>,
    pub message: String,
    pub param: Option<String>,
    pub kind: Option<&'static str>,
    /// Sent as `Retry-After` (whole seconds, rounded up) and `retry-after-ms`.
    pub retry_after_ms: Option<u64>,
    /// The spec's `inner_error` (content filter results), sent only when set (boxed: it is rare
    /// and errors travel in `Result`s).
    pub inner_error: Option<Box<Value>>,
}

impl ApiError {
    /// Builds an error with every optional field empty.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: Some(code.to_owned()),
            message: message.into(),
            param: None,
            kind: Some(USER_ERROR),
            retry_after_ms: None,
            inner_error: None,
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
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", message).with_kind("server_error")
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
            inner_error: None,
        }
    }

    /// A 429 that tells the client how long to wait.
    pub fn too_many(code: &str, message: impl Into<String>, retry_after_ms: u64) -> Self {
        Self {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: Some(code.to_owned()),
            message: message.into(),
            param: None,
            kind: Some("rate_limit_error"),
            retry_after_ms: Some(retry_after_ms),
            inner_error: None,
        }
    }

    /// Names the offending request parameter.
    pub fn with_param(mut self, param: &str) -> Self {
        self.param = Some(param.to_owned());
        self
    }

    /// Replaces the error `type`.
    pub fn with_kind(mut self, kind: &'static str) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Sends `code: null` (as the service does for a missing deployment).
    pub fn without_code(mut self) -> Self {
        self.code = None;
        self
    }

    /// Attaches the spec's `inner_error`.
    pub fn with_inner_error(mut self, inner_error: Value) -> Self {
        self.inner_error = Some(Box::new(inner_error));
        self
    }

    /// The flat error object (the spec's `AzureOpenAIVideoGenerationErrorResponse`).
    pub fn flat(&self) -> Value {
        let mut error = json!({
            "code": self.code,
            "message": self.message,
            "param": self.param,
            "type": self.kind,
        });
        if let Some(inner) = &self.inner_error {
            error["inner_error"] = (**inner).clone();
        }
        error
    }

    /// The wrapped JSON envelope `{"error": <flat object>}`.
    pub fn body(&self) -> Value {
        json!({ "error": self.flat() })
    }
}

/// Marks a response whose body is a wrapped error, carrying the flat form for `--flat-errors`.
#[derive(Debug, Clone)]
struct FlatForm(String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let flat = self.flat();
        let body = json!({ "error": flat }).to_string();
        let mut response = (self.status, body).into_response();
        response.extensions_mut().insert(FlatForm(flat.to_string()));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(ms) = self.retry_after_ms {
            insert_retry_after(headers, ms);
        }
        response
    }
}

/// Middleware: under `--flat-errors`, sends error bodies unwrapped.
///
/// Layered twice: inside the API's fault gate (so body faults cut the body actually sent) and
/// around the whole app (for errors made elsewhere); the first pass removes the mark.
pub async fn flatten(State(flat_errors): State<bool>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let Some(FlatForm(flat)) = response.extensions_mut().remove::<FlatForm>() else {
        return response;
    };
    if !flat_errors {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(flat))
}

/// Sets `Retry-After` (seconds, at least 1) and `retry-after-ms`.
pub fn insert_retry_after(headers: &mut axum::http::HeaderMap, ms: u64) {
    let seconds = ms.div_ceil(1000).max(1);
    headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    headers.insert("retry-after-ms", HeaderValue::from(ms));
}

/// Result alias for handlers.
pub type ApiResult<T> = Result<T, ApiError>;
