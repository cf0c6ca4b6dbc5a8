//! Pure helpers: labels, counts, durations, file names and readable error messages.

use sora_client::{ApiError, Error, FailureReason, JobStatus, MAX_PROMPT_CHARS, Orientation, Protocol, VideoSize};

/// The columns and rows of a spritesheet `sheet` pixels large whose tiles have the aspect of a
/// `video` frame: the fewest columns that give a whole number of rows (`None` when none do).
pub fn sheet_grid(sheet: (u32, u32), video: (u32, u32)) -> Option<(u32, u32)> {
    if sheet.0 == 0 || sheet.1 == 0 || video.0 == 0 || video.1 == 0 {
        return None;
    }
    (1..=32u32).find_map(|columns| {
        let tile_height = f64::from(sheet.0) / f64::from(columns) * f64::from(video.1) / f64::from(video.0);
        let rows = f64::from(sheet.1) / tile_height;
        ((rows - rows.round()).abs() < 0.05 && rows.round() >= 1.0).then_some((columns, rows.round() as u32))
    })
}

/// "720×1280 · 8 s · 2 variants · remix of video_… · Azure Sora 2 (Videos API)": a card's detail
/// line (0 is the server's default).
pub fn request_detail(r: &crate::state::Summary, backend: Option<&str>) -> String {
    let mut parts = Vec::new();
    if r.width > 0 {
        parts.push(format!("{}×{}", r.width, r.height));
    }
    if r.seconds > 0 {
        parts.push(format!("{} s", r.seconds));
    }
    if r.variants > 1 {
        parts.push(format!("{} variants", r.variants));
    }
    if let Some(parent) = &r.remix_of {
        parts.push(format!("remix of {parent}"));
    }
    parts.extend(backend.filter(|b| !b.starts_with("Azure OpenAI jobs")).map(str::to_owned));
    parts.join(" · ")
}

/// The API a connection speaks, as the connection panel and the cards name it.
pub fn protocol_label(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::AzureJobs => "Azure OpenAI jobs API",
        Protocol::AzureVideos => "Azure Sora 2 (Videos API)",
        Protocol::OpenAiVideos => "OpenAI-compatible gateway (Videos API)",
    }
}

/// "Landscape · 480p (854×480)": what a person picks, not a raw pixel string.
pub fn size_label(size: VideoSize) -> String {
    let orientation = match size.orientation() {
        Orientation::Landscape => "Landscape",
        Orientation::Portrait => "Portrait",
        Orientation::Square => "Square",
    };
    let (w, h) = size.dimensions();
    format!("{orientation} · {}p ({w}×{h})", size.resolution())
}

/// The prompt's length as the service counts it (Unicode scalar values, like `validate_prompt`).
pub fn prompt_chars(prompt: &str) -> usize {
    prompt.chars().count()
}

/// "12 / 4000 characters", the live counter under the prompt.
pub fn prompt_counter(prompt: &str) -> String {
    format!("{} / {MAX_PROMPT_CHARS} characters", prompt_chars(prompt))
}

/// A short duration for people: "45 s", "3 min 05 s", "2 h 10 min".
pub fn duration(ms: f64) -> String {
    let total = (ms.max(0.0) / 1000.0).round() as u64;
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
    if h > 0 {
        format!("{h} h {m:02} min")
    } else if m > 0 {
        format!("{m} min {s:02} s")
    } else {
        format!("{s} s")
    }
}

/// What the status chip says.
pub fn status_label(status: &JobStatus) -> String {
    match status {
        JobStatus::Preprocessing => "Preparing".into(),
        JobStatus::Queued => "Queued".into(),
        JobStatus::Running | JobStatus::InProgress => "Running".into(),
        JobStatus::Processing => "Finishing".into(),
        JobStatus::Succeeded | JobStatus::Completed => "Done".into(),
        JobStatus::Failed => "Failed".into(),
        JobStatus::Cancelled => "Cancelled".into(),
        JobStatus::Other(other) => other.clone(),
    }
}

/// A rough share of the job done, from its status, for the progress bar when there is no estimate.
///
/// `queued` and `preprocessing` share one value: the service may report them in either order, and
/// the bar must not run backwards.
pub fn status_fraction(status: &JobStatus) -> f64 {
    match status {
        JobStatus::Preprocessing | JobStatus::Queued => 0.15,
        JobStatus::Running | JobStatus::InProgress => 0.5,
        JobStatus::Processing => 0.85,
        JobStatus::Succeeded | JobStatus::Completed | JobStatus::Failed | JobStatus::Cancelled => 1.0,
        JobStatus::Other(_) => 0.3,
    }
}

/// A safe download name: `a-red-fox-in-snow_854x480_v1.mp4` (ASCII words from the prompt, at most 40 chars).
pub fn video_file_name(prompt: &str, width: u32, height: u32, variant: usize) -> String {
    let mut slug = String::new();
    for c in prompt.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_matches('-');
    let slug = if slug.is_empty() { "video" } else { slug };
    format!("{slug}_{width}x{height}_v{variant}.mp4")
}

/// A readable account of an error, with what can be done about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// One line: what happened.
    pub title: String,
    /// What to do, and the service's own words.
    pub detail: String,
    /// The prompt the service would accept instead.
    pub revised_prompt: Option<String>,
    /// When the service said to try again (ms to wait), for 429s.
    pub retry_after_ms: Option<u64>,
}

impl Problem {
    /// A problem with only a title and a detail.
    pub fn new(title: impl Into<String>, detail: impl Into<String>) -> Self {
        Self { title: title.into(), detail: detail.into(), revised_prompt: None, retry_after_ms: None }
    }
}

/// Turn any client error into words a person can act on.
pub fn describe(error: &Error) -> Problem {
    match error {
        Error::Validation { field, message } => Problem::new(format!("Check {}", field_name(field)), message.clone()),
        Error::Api(api) => describe_api(api),
        Error::Network(message) => Problem::new(
            "The service could not be reached",
            format!(
                "Check the endpoint and your connection. If the endpoint is right, the service may not allow \
                 requests from this page (CORS). ({message})"
            ),
        ),
        Error::Timeout(ms) => {
            Problem::new("No answer in time", format!("The service did not answer within {}.", duration(*ms as f64)))
        }
        Error::Aborted => Problem::new("Stopped", "You stopped watching this job; it may still run on the service."),
        Error::Decode { message, .. } => Problem::new(
            "The service answered something unreadable",
            format!("Is this an Azure OpenAI endpoint? ({message})"),
        ),
        Error::JobFailed { reason, .. } => describe_failure(reason.as_ref()),
        Error::JobCancelled { .. } => describe_cancelled(),
        Error::NotFound { what, .. } => Problem::new(
            format!("The {what} is gone from the service"),
            "It was deleted, or it expired (the service deletes jobs and videos 24 hours after they finish).",
        ),
        other => Problem::new("Something went wrong", other.to_string()),
    }
}

/// Why a job failed, in words, with what to do next.
pub fn describe_failure(reason: Option<&FailureReason>) -> Problem {
    match reason {
        Some(FailureReason::InputModeration) => Problem::new(
            "Blocked by content moderation",
            "The service's content filter rejected the prompt or image (input_moderation). Edit the prompt, then create the video again.",
        ),
        Some(FailureReason::OutputModeration) => Problem::new(
            "The video was blocked by content moderation",
            "The generated video was rejected by the content filter (output_moderation). Try again (another video may pass), or edit the prompt.",
        ),
        Some(FailureReason::InternalError) => Problem::new(
            "The service failed",
            "The service had an internal error (internal_error). Try again: a new job may well succeed.",
        ),
        Some(FailureReason::Other(other)) => Problem::new(
            "The job failed",
            format!("The service gave the reason '{other}'. Try again, or edit the prompt."),
        ),
        None => Problem::new("The job failed", "The service gave no reason. Try again, or edit the prompt."),
    }
}

/// A job cancelled on the service, in words, with what to do next.
pub fn describe_cancelled() -> Problem {
    Problem::new(
        "Cancelled",
        "The job was cancelled on the service before it made a video. Try again to create it anew, or delete it.",
    )
}

/// What a card says about a job that ended without videos (`None` while running or once succeeded).
pub fn describe_ended(status: &JobStatus, reason: Option<&FailureReason>) -> Option<Problem> {
    match status {
        JobStatus::Failed => Some(describe_failure(reason)),
        JobStatus::Cancelled => Some(describe_cancelled()),
        _ => None,
    }
}

/// What a card offers for a job that ended without videos, besides Delete: (Try again, Edit prompt).
///
/// Trying the same prompt again is pointless when the prompt itself was refused; editing it is
/// pointless when the service failed on its own.
pub fn ended_actions(status: &JobStatus, reason: Option<&FailureReason>) -> (bool, bool) {
    match (status, reason) {
        (JobStatus::Cancelled, _) | (JobStatus::Failed, Some(FailureReason::InternalError)) => (true, false),
        (JobStatus::Failed, Some(FailureReason::InputModeration)) => (false, true),
        (JobStatus::Failed, _) => (true, true),
        _ => (false, false),
    }
}

/// A create refused because the resource has no deployment named `deployment` (the service's own
/// message may not name it).
pub fn unknown_deployment(deployment: &str, api: &ApiError) -> Problem {
    Problem { title: deployment_message(deployment), ..describe_api(api) }
}

/// The message next to the deployment field when the service does not know that name.
pub fn deployment_message(deployment: &str) -> String {
    format!("No deployment named '{deployment}' on this resource")
}

fn describe_api(api: &ApiError) -> Problem {
    let title = match api.status {
        401 | 403 => "The service refused the key or token".to_owned(),
        404 if api.is_unknown_deployment() => "No deployment by that name on this resource".to_owned(),
        404 => "Nothing found at this endpoint".to_owned(),
        429 => "The service is busy (too many requests)".to_owned(),
        400 if api.is_content_policy() => "Blocked by the content policy".to_owned(),
        400 => "The service rejected the request".to_owned(),
        500..=599 => "The service failed".to_owned(),
        status => format!("The service answered HTTP {status}"),
    };
    let hint = match api.status {
        401 | 403 => " Check the key (or token) and the authentication mode.",
        404 if api.is_unknown_deployment() => {
            " Correct the deployment name under Connection, then create the video again."
        }
        404 => " Check the endpoint (https://<resource>.openai.azure.com) and the deployment name.",
        429 => " The studio tries again by itself.",
        400 if api.is_content_policy() && api.revised_prompt.is_some() => {
            " Edit the prompt, or use the one the service suggests."
        }
        400 if api.is_content_policy() => " Edit the prompt, then create the video again.",
        _ => "",
    };
    // The service's words and ids; the revised prompt and the wait are shown on their own.
    let mut detail = format!("{} (HTTP {}", api.message.trim_end_matches('.'), api.status);
    if let Some(code) = &api.code {
        detail.push_str(&format!(", code {code}"));
    }
    if let Some(param) = &api.param {
        detail.push_str(&format!(", parameter {param}"));
    }
    if let Some(id) = &api.request_id {
        detail.push_str(&format!(", request id {id}"));
    }
    detail.push_str(").");
    detail.push_str(hint);
    Problem { title, detail, revised_prompt: api.revised_prompt.clone(), retry_after_ms: api.retry_after_ms }
}

/// Readable names of request fields.
pub fn field_name(field: &str) -> &str {
    match field {
        "model" => "the deployment name",
        "prompt" => "the prompt",
        "n_seconds" => "the duration",
        "n_variants" => "the number of variants",
        "api_key" => "the key",
        "token" => "the token",
        "endpoint" => "the endpoint",
        "crop_bounds" => "the crop",
        "frame_index" => "the frame",
        "media" | "file_name" => "the image",
        other => other,
    }
}

/// "expires in 23 h 59 min" / "expired", from the job's `expires_at` (Unix seconds) and now (ms).
pub fn expiry(expires_at: Option<i64>, now_ms: f64) -> Option<String> {
    let at = expires_at? as f64 * 1000.0;
    Some(if at <= now_ms {
        "Expired on the service".into()
    } else {
        format!("Service deletes it in {}", duration(at - now_ms))
    })
}

/// "1.2 MB": byte counts for the library.
pub fn bytes(n: f64) -> String {
    let n = if n.is_finite() && n > 0.0 { n.round() as u64 } else { 0 };
    let (scale, unit) = match n {
        1_000_000_000.. => (1_000_000_000, "GB"),
        1_000_000.. => (1_000_000, "MB"),
        1000.. => (1000, "kB"),
        _ => return format!("{n} B"),
    };
    if scale == 1000 {
        return format!("{} {unit}", (n + scale / 2) / scale);
    }
    // Past 1.8 exabytes the count is capped rather than overflowing: no file comes near.
    let tenths = (n.min(u64::MAX / 10 - scale) * 10 + scale / 2) / scale;
    format!("{}.{} {unit}", tenths / 10, tenths % 10)
}

/// A decimal number as a person types it ("0.25", ".5", "-1", "2e-1"); `None` when it is not one.
///
/// Read by the browser: `Number` rejects trailing text ("1.2.3"), `parseFloat` hex and other bases
/// ("0x10"), so a decimal is what both read alike.
pub fn decimal(text: &str) -> Option<f64> {
    let text = text.trim();
    // Digits only: both also read "Infinity", which no field takes.
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    if !unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    // `+text` in JS: what `Number(text)` reads.
    let number = wasm_bindgen::JsValue::from_str(text).unchecked_into_f64();
    // NaN equals nothing, so text neither reads is `None` too.
    (number == js_sys::Number::parse_float(text)).then_some(number)
}

/// The message of the core's rule for one field.
fn field_error(checked: Result<(), Error>) -> Option<String> {
    checked.err().map(|error| match error {
        Error::Validation { message, .. } => message,
        other => other.to_string(),
    })
}

/// The core's prompt rule: 1 to 4,000 characters, not only white space.
pub fn prompt_error(prompt: &str) -> Option<String> {
    field_error(sora_client::validate_prompt(prompt))
}

/// The core's duration rule: 1 to 20 seconds.
pub fn seconds_error(n_seconds: u32) -> Option<String> {
    field_error(sora_client::validate_seconds(n_seconds))
}

/// The core's variants rule: 1 to the size's maximum.
pub fn variants_error(size: VideoSize, n_variants: u32) -> Option<String> {
    field_error(sora_client::validate_variants(size, n_variants))
}

/// The connection's requests-per-minute budget read from its field: a whole number from 1 to
/// 10,000, or the message to show next to the field.
pub fn requests_per_minute(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(n) if (1..=crate::api::MAX_REQUESTS_PER_MINUTE).contains(&n) => Ok(n),
        _ => Err(format!("Requests per minute must be a whole number from 1 to 10,000 (got “{}”).", text.trim())),
    }
}
