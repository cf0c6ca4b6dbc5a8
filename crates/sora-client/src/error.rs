//! The one error type of the client, and the service's error answers.

use crate::types::FailureReason;

/// Everything that can go wrong when talking to the service.
///
/// `Display` shows a sentence a user can act on.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// A request was refused before anything was sent.
    Validation { field: &'static str, message: String },
    /// The service answered with an error status.
    Api(Box<ApiError>),
    /// The request never got an HTTP answer (offline, DNS, CORS, connection reset).
    Network(String),
    /// No answer within the configured time (milliseconds).
    Timeout(u64),
    /// The caller aborted the operation.
    Aborted,
    /// The service answered 2xx with a body this client cannot read.
    Decode { message: String, snippet: String },
    /// The job failed (status `failed`): no videos; `reason` says why when the service does.
    JobFailed { job_id: String, reason: Option<FailureReason> },
    /// A Videos API video failed (status `failed`); `code` and `message` are the server's, when sent.
    VideoFailed { video_id: String, code: Option<String>, message: Option<String> },
    /// The job was cancelled (status `cancelled`) before it made videos; submitting it again may work.
    JobCancelled { job_id: String },
    /// The job, generation or video does not exist (any more).
    NotFound { what: &'static str, id: String },
}

impl Error {
    /// The `Display` text, built without `core::fmt` (see [`crate::text`]): the JS binding's
    /// `SoraError.message`.
    pub(crate) fn text(&self) -> String {
        match self {
            Self::Validation { field, message } => [*field, ": ", message.as_str()].concat(),
            Self::Api(api) => api.text(),
            Self::Network(message) => ["network error: ", message.as_str()].concat(),
            Self::Timeout(ms) => ["no answer within ", &ms.to_string(), " ms"].concat(),
            Self::Aborted => "the operation was aborted".into(),
            Self::Decode { message, snippet } => {
                ["unreadable response (", message.as_str(), "); body starts with: ", snippet.as_str()].concat()
            }
            Self::JobFailed { job_id, reason } => {
                ["job ", job_id.as_str(), " failed: ", &describe_failure(reason.as_ref())].concat()
            }
            Self::VideoFailed { video_id, code, message } => {
                let reason = match (message.as_deref().filter(|m| !m.trim().is_empty()), code.as_deref()) {
                    (Some(message), Some(code)) => [message, " (", code, ")"].concat(),
                    (Some(message), None) => message.to_owned(),
                    (None, Some(code)) => ["the service gave the reason '", code, "'"].concat(),
                    (None, None) => "the service gave no reason".into(),
                };
                ["video ", video_id.as_str(), " failed: ", &reason].concat()
            }
            Self::JobCancelled { job_id } => {
                ["job ", job_id.as_str(), " was cancelled on the service before it made a video; submit it again"]
                    .concat()
            }
            // A video's asset: the host may not make that kind at all.
            Self::NotFound { what, id } if what.ends_with(" of video") => [
                "no ",
                what,
                " ",
                id.as_str(),
                " on this host: it does not make them, or the video was deleted or expired",
            ]
            .concat(),
            Self::NotFound { what, id } => [
                *what,
                " ",
                id.as_str(),
                " was not found: it was deleted, or it expired (the service deletes jobs and their videos \
                 24 hours after they finish)",
            ]
            .concat(),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl std::error::Error for Error {}

fn describe_failure(reason: Option<&FailureReason>) -> String {
    match reason {
        Some(FailureReason::InputModeration) => {
            "the prompt or image was rejected by content moderation (input_moderation); rephrase it".into()
        }
        Some(FailureReason::OutputModeration) => {
            "the generated video was rejected by content moderation (output_moderation)".into()
        }
        Some(FailureReason::InternalError) => {
            "the service failed internally (internal_error); submitting again may work".into()
        }
        Some(FailureReason::Other(other)) => ["the service gave the reason '", other.as_str(), "'"].concat(),
        None => "the service gave no reason".into(),
    }
}

/// An error answer of the service, from either error envelope.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    pub code: Option<String>,
    pub message: String,
    /// The request field the error is about, when the service names one.
    pub param: Option<String>,
    pub error_type: Option<String>,
    /// `inner_error.code`, e.g. `ResponsibleAIPolicyViolation`.
    pub inner_code: Option<String>,
    /// `inner_error.revised_prompt`: the prompt the service would accept instead.
    pub revised_prompt: Option<String>,
    /// The `apim-request-id` header: quote it to Azure support.
    pub request_id: Option<String>,
    /// How long the service asked us to wait before trying again.
    pub retry_after_ms: Option<u64>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl ApiError {
    /// The `Display` text: the message, then status, code, parameter and request id, the revised
    /// prompt and the wait asked for.
    fn text(&self) -> String {
        let mut text = [self.message.as_str(), " (HTTP ", &self.status.to_string()].concat();
        for (label, value) in
            [(", code ", &self.code), (", parameter ", &self.param), (", request id ", &self.request_id)]
        {
            if let Some(value) = value {
                text.push_str(label);
                text.push_str(value);
            }
        }
        text.push(')');
        if let Some(revised) = &self.revised_prompt {
            text.push_str("; revised prompt: ");
            text.push_str(revised);
        }
        if let Some(ms) = self.retry_after_ms {
            // Tenths of a second, rounded up.
            let tenths = ms.div_ceil(100);
            text.push_str("; retry after ");
            text.push_str(&(tenths / 10).to_string());
            text.push('.');
            text.push_str(&(tenths % 10).to_string());
            text.push_str(" s");
        }
        text
    }

    /// Build the error for an HTTP error answer from its status, body and headers.
    ///
    /// Accepts the spec's flat envelope, the wrapped `{"error": {...}}` seen on the wire, a bare
    /// `{"error": "text"}`, and bodies that are not JSON at all (gateway HTML pages).
    pub fn from_response(status: u16, body: &[u8], request_id: Option<String>, retry_after_ms: Option<u64>) -> Self {
        let fields = crate::envelope::read(body);
        let message = fields.message.filter(|m| !m.trim().is_empty()).unwrap_or_else(|| fallback_message(status, body));
        Self {
            status,
            code: fields.code,
            message,
            param: fields.param,
            error_type: fields.error_type,
            inner_code: fields.inner_code,
            revised_prompt: fields.revised_prompt,
            request_id,
            retry_after_ms,
        }
    }

    /// Whether the service has no deployment by the name sent as `model` (a create answered 404
    /// "The API deployment … does not exist", or Azure's `DeploymentNotFound` code).
    ///
    /// The fix is the deployment name, not the request: sending it again fails the same way.
    pub fn is_unknown_deployment(&self) -> bool {
        if self.code.as_deref() == Some("DeploymentNotFound") {
            return true;
        }
        let message = self.message.to_ascii_lowercase();
        self.status == 404 && message.contains("api deployment") && message.contains("does not exist")
    }

    /// Whether this is a content-policy rejection (`ResponsibleAIPolicyViolation`).
    pub fn is_content_policy(&self) -> bool {
        self.inner_code.as_deref() == Some("ResponsibleAIPolicyViolation")
            || self.code.as_deref() == Some("content_policy_violation")
            || self.code.as_deref() == Some("contentFilter")
    }
}

fn fallback_message(status: u16, body: &[u8]) -> String {
    let snippet = snippet(body);
    let reason = match status {
        400 => "the service rejected the request",
        401 | 403 => "the service refused the credentials: check the key or token and the endpoint",
        404 => "not found: check the endpoint and the id",
        408 => "the service timed out",
        429 => "too many requests",
        500..=599 => "the service failed",
        _ => "unexpected answer",
    };
    if snippet.is_empty() { reason.to_owned() } else { [reason, ": ", &snippet].concat() }
}

/// The first 200 characters of a body, for error messages.
pub(crate) fn snippet(body: &[u8]) -> String {
    // 200 characters take at most 800 bytes: decode no more than a little beyond that, however
    // large the body.
    let start = body.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(body.len());
    let body = &body[start..body.len().min(start + 1024)];
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    match trimmed.char_indices().nth(200) {
        Some((cut, _)) => [&trimmed[..cut], "…"].concat(),
        None => trimmed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> ApiError {
        ApiError::from_response(400, body.as_bytes(), Some("req-1".into()), None)
    }

    #[test]
    fn wrapped_envelope() {
        let e = parse(
            r#"{"error":{"code":"invalid_size","message":"bad size","param":"width","type":"invalid_request_error"}}"#,
        );
        assert_eq!(e.code.as_deref(), Some("invalid_size"));
        assert_eq!(e.message, "bad size");
        assert_eq!(e.param.as_deref(), Some("width"));
        assert_eq!(e.error_type.as_deref(), Some("invalid_request_error"));
        assert_eq!(e.request_id.as_deref(), Some("req-1"));
    }

    #[test]
    fn flat_envelope_with_inner_error() {
        let e = parse(
            r#"{"code":"content_filter","message":"blocked","inner_error":{"code":"ResponsibleAIPolicyViolation","revised_prompt":"a calm cat","error_details":{"x":1}}}"#,
        );
        assert_eq!(e.code.as_deref(), Some("content_filter"));
        assert_eq!(e.inner_code.as_deref(), Some("ResponsibleAIPolicyViolation"));
        assert_eq!(e.revised_prompt.as_deref(), Some("a calm cat"));
        assert!(e.is_content_policy());
    }

    /// The RAI refusal reads the same from the wrapped envelope (on the wire) and the flat one (the spec).
    #[test]
    fn content_policy_refusal_in_both_envelopes() {
        let inner = r#""inner_error":{"code":"ResponsibleAIPolicyViolation","revised_prompt":"A calm street","error_details":{"x":1}}"#;
        let fields = r#""code":"content_policy_violation","message":"Your request was rejected as a result of our safety system.","param":"prompt","type":"video_generation_user_error""#;
        for body in [format!(r#"{{"error":{{{fields},{inner}}}}}"#), format!(r#"{{{fields},{inner}}}"#)] {
            let e = parse(&body);
            assert_eq!(e.code.as_deref(), Some("content_policy_violation"), "{body}");
            assert_eq!(e.param.as_deref(), Some("prompt"), "{body}");
            assert_eq!(e.inner_code.as_deref(), Some("ResponsibleAIPolicyViolation"), "{body}");
            assert_eq!(e.revised_prompt.as_deref(), Some("A calm street"), "{body}");
            assert!(e.is_content_policy() && !e.is_unknown_deployment(), "{body}");
        }
    }

    #[test]
    fn unknown_deployment_in_every_form() {
        let message = "The API deployment 'nope' for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.";
        let unknown =
            |status, body: String| ApiError::from_response(status, body.as_bytes(), None, None).is_unknown_deployment();
        let wrapped = format!(
            r#"{{"error":{{"message":"{message}","type":"video_generation_user_error","param":null,"code":null}}}}"#
        );
        let flat =
            format!(r#"{{"message":"{message}","type":"video_generation_user_error","param":null,"code":null}}"#);
        assert!(unknown(404, wrapped.clone()) && unknown(404, flat));
        assert!(unknown(404, r#"{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist."}}"#.into()));
        assert!(!unknown(400, wrapped), "another status with that text is something else");
        assert!(!unknown(404, r#"{"error":{"message":"Resource not found"}}"#.into()));
        assert!(!unknown(404, String::new()));
    }

    #[test]
    fn gateway_shapes() {
        let e = parse(r#"{"error":{"code":401,"message":"Access denied","param":null,"type":null}}"#);
        assert_eq!(e.code.as_deref(), Some("401"));
        assert_eq!(e.param, None);
        let e = parse(r#"{"error":"plain text error"}"#);
        assert_eq!(e.message, "plain text error");
        let e = parse("<html><body>Bad Gateway</body></html>");
        assert!(e.message.contains("Bad Gateway"), "{}", e.message);
        let e = parse("");
        assert_eq!(e.message, "the service rejected the request");
        let e = parse(r#"{"error":{"message":{"nested":true},"code":["x"]}}"#);
        assert_eq!(e.code, None);
        assert_eq!(
            e.message,
            "the service rejected the request: {\"error\":{\"message\":{\"nested\":true},\"code\":[\"x\"]}}"
        );
    }

    #[test]
    fn display_is_actionable() {
        let mut e = parse(r#"{"error":{"code":"too_many","message":"Slow down","param":"model"}}"#);
        e.retry_after_ms = Some(1500);
        assert_eq!(
            e.to_string(),
            "Slow down (HTTP 400, code too_many, parameter model, request id req-1); retry after 1.5 s"
        );
        let failed = Error::JobFailed { job_id: "task_1".into(), reason: Some(FailureReason::InputModeration) };
        assert!(failed.to_string().contains("content moderation"));
    }

    #[test]
    fn every_variant_has_its_sentence() {
        let api = ApiError {
            status: 400,
            message: "Blocked".into(),
            revised_prompt: Some("A calm fox".into()),
            retry_after_ms: Some(60_000),
            ..ApiError::default()
        };
        let table = [
            (
                Error::Validation { field: "prompt", message: "describe the video you want".into() },
                "prompt: describe the video you want",
            ),
            (Error::Api(Box::new(api)), "Blocked (HTTP 400); revised prompt: A calm fox; retry after 60.0 s"),
            (Error::Network("TypeError: Failed to fetch".into()), "network error: TypeError: Failed to fetch"),
            (Error::Timeout(90_000), "no answer within 90000 ms"),
            (Error::Aborted, "the operation was aborted"),
            (
                Error::Decode { message: "not JSON".into(), snippet: "<html>".into() },
                "unreadable response (not JSON); body starts with: <html>",
            ),
            (
                Error::JobFailed { job_id: "task_1".into(), reason: Some(FailureReason::Other("gpu_melted".into())) },
                "job task_1 failed: the service gave the reason 'gpu_melted'",
            ),
            (
                Error::JobFailed { job_id: "task_2".into(), reason: None },
                "job task_2 failed: the service gave no reason",
            ),
            (
                Error::JobCancelled { job_id: "task_4".into() },
                "job task_4 was cancelled on the service before it made a video; submit it again",
            ),
            (
                Error::NotFound { what: "job", id: "task_3".into() },
                "job task_3 was not found: it was deleted, or it expired (the service deletes jobs and their \
                 videos 24 hours after they finish)",
            ),
        ];
        for (error, text) in table {
            assert_eq!(error.to_string(), text);
        }
    }

    #[test]
    fn snippet_is_bounded_and_char_safe() {
        let long = "é".repeat(500);
        let s = snippet(long.as_bytes());
        assert_eq!(s.chars().count(), 201);
        assert!(s.ends_with('…'));
    }
}
