//! Errors as JS `Error` objects with the fields `SoraError` declares.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use sora_client::Error;

/// Turn a client error into a thrown `SoraError`.
pub fn to_js_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name("SoraError");
    let mut fields = Fields::default();
    fields.kind = match error {
        Error::Validation { field, .. } => {
            fields.param = Some((*field).to_owned());
            "validation"
        }
        Error::Api(api) => {
            fields.param = api.param.clone();
            fields.status = Some(api.status);
            fields.code = api.code.clone();
            fields.request_id = api.request_id.clone();
            fields.revised_prompt = api.revised_prompt.clone();
            fields.retry_after_ms = api.retry_after_ms;
            fields.unknown_deployment = api.is_unknown_deployment();
            "api"
        }
        Error::Network(_) => "network",
        Error::Timeout(_) => "timeout",
        Error::Aborted => "aborted",
        Error::Decode { .. } => "decode",
        Error::JobFailed { job_id, reason } => {
            fields.job_id = Some(job_id.clone());
            fields.failure_reason = reason.as_ref().map(|r| r.as_str().to_owned());
            "job_failed"
        }
        Error::VideoFailed { video_id, code, .. } => {
            fields.job_id = Some(video_id.clone());
            fields.video_id = Some(video_id.clone());
            fields.code = code.clone();
            "video_failed"
        }
        Error::JobCancelled { job_id } => {
            fields.job_id = Some(job_id.clone());
            "job_cancelled"
        }
        Error::NotFound { id, .. } => {
            fields.job_id = Some(id.clone());
            "not_found"
        }
        // `Error` is non-exhaustive: a variant the core adds later gets a kind the declarations
        // already have until the binding names it; its message still says what happened.
        _ => "decode",
    };
    fields.apply(&js);
    js.into()
}

#[derive(Default)]
struct Fields {
    kind: &'static str,
    param: Option<String>,
    status: Option<u16>,
    code: Option<String>,
    request_id: Option<String>,
    revised_prompt: Option<String>,
    retry_after_ms: Option<u64>,
    failure_reason: Option<String>,
    job_id: Option<String>,
    video_id: Option<String>,
    unknown_deployment: bool,
}

impl Fields {
    fn apply(self, target: &js_sys::Error) {
        let text = |v: Option<String>| v.map_or(JsValue::NULL, |s| JsValue::from_str(&s));
        let number = |v: Option<f64>| v.map_or(JsValue::NULL, JsValue::from_f64);
        let entries = [
            ("kind", JsValue::from_str(self.kind)),
            ("param", text(self.param)),
            ("status", number(self.status.map(f64::from))),
            ("code", text(self.code)),
            ("requestId", text(self.request_id)),
            ("revisedPrompt", text(self.revised_prompt)),
            ("retryAfterMs", number(self.retry_after_ms.map(|v| v as f64))),
            ("failureReason", text(self.failure_reason)),
            ("jobId", text(self.job_id)),
            ("videoId", text(self.video_id)),
            ("unknownDeployment", JsValue::from_bool(self.unknown_deployment)),
        ];
        for (key, value) in entries {
            // Setting a property on a fresh Error cannot fail.
            let _ = Reflect::set(target, &JsValue::from_str(key), &value);
        }
    }
}

/// A validation error for a malformed JS argument.
pub fn bad_argument(field: &'static str, message: impl Into<String>) -> Error {
    Error::Validation { field, message: message.into() }
}
