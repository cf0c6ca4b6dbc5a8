//! Checking Videos API request bodies: create, remix, edit and extension (400s name `param`).

use serde_json::{Map, Value};

use super::models::{self, DEFAULT_MODEL, DEFAULT_SECONDS, DEFAULT_SIZE, ModelRules, SORA_2_PRO, Shape};
use crate::create::validate::MAX_PROMPT_CHARS;
use crate::errors::{ApiError, ApiResult};
use crate::job::JobRequest;

/// The lengths an extension may add, in seconds (the OpenAI SDK's "length of the newly generated
/// extension segment").
pub const EXTENSION_SECONDS: std::ops::RangeInclusive<u32> = 4..=20;

/// A checked video request.
#[derive(Debug, Clone)]
pub struct VideoRequest {
    pub model: String,
    pub prompt: String,
    pub width: u32,
    pub height: u32,
    pub seconds: u32,
}

impl VideoRequest {
    /// The job request that renders it (one variant, no inpainting items).
    pub fn into_job_request(self) -> JobRequest {
        JobRequest {
            prompt: self.prompt,
            model: self.model,
            width: self.width,
            height: self.height,
            n_seconds: self.seconds,
            n_variants: 1,
            inpaint_items: Vec::new(),
        }
    }

    /// A request like `source`'s (model, size, length) with a new prompt.
    pub fn like(source: &JobRequest, prompt: String) -> Self {
        Self {
            model: source.model.clone(),
            prompt,
            width: source.width,
            height: source.height,
            seconds: source.n_seconds,
        }
    }
}

/// Checks a create's fields (JSON members or multipart text parts); `input_reference` is checked
/// separately, once the video's size is known.
pub fn create(fields: &Map<String, Value>, shape: Shape, deployments: &[String]) -> ApiResult<VideoRequest> {
    let model = match fields.get("model") {
        None | Some(Value::Null) => DEFAULT_MODEL,
        Some(Value::String(model)) if !model.trim().is_empty() => model.as_str(),
        Some(_) => return Err(ApiError::invalid("model", "invalid_value", "model must be a non-empty string.")),
    };
    let rules = models::rules(model, shape, deployments)?;
    let prompt = prompt(fields)?;
    let seconds = match fields.get("seconds") {
        None | Some(Value::Null) => DEFAULT_SECONDS,
        Some(value) => whole_seconds(value)?,
    };
    if !rules.seconds.contains(&seconds) {
        return Err(ApiError::invalid(
            "seconds",
            "invalid_value",
            format!("seconds must be {} for {model}; got {seconds}.", rules.seconds_list()),
        ));
    }
    let (width, height) = size(fields, rules, model)?;
    Ok(VideoRequest { model: model.to_owned(), prompt, width, height, seconds })
}

/// The required, non-blank `prompt` of at most 4,000 characters.
pub fn prompt(fields: &Map<String, Value>) -> ApiResult<String> {
    let prompt = match fields.get("prompt") {
        None | Some(Value::Null) => {
            return Err(ApiError::invalid(
                "prompt",
                "missing_required_parameter",
                "Missing required parameter: 'prompt'.",
            ));
        }
        Some(Value::String(prompt)) => prompt,
        Some(_) => return Err(ApiError::invalid("prompt", "invalid_type", "prompt must be a string.")),
    };
    if prompt.trim().is_empty() {
        return Err(ApiError::invalid("prompt", "invalid_value", "prompt must not be empty."));
    }
    let chars = prompt.chars().count();
    if chars > MAX_PROMPT_CHARS {
        return Err(ApiError::invalid(
            "prompt",
            "string_above_max_length",
            format!("prompt is {chars} characters long; at most {MAX_PROMPT_CHARS} are allowed."),
        ));
    }
    Ok(prompt.clone())
}

/// The source video of an edit or extension: `{"video": {"id": ...}}`, or (liberally) the id as
/// `video` or `video_id` text, as a multipart form can only send it.
pub fn source_id(fields: &Map<String, Value>) -> ApiResult<String> {
    let id = match (fields.get("video"), fields.get("video_id")) {
        (Some(Value::Object(video)), _) => video.get("id").and_then(Value::as_str),
        (Some(Value::String(text)), _) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(video)) => {
                return source_id(&Map::from_iter([("video".to_owned(), Value::Object(video))]));
            }
            _ => Some(text.as_str()),
        },
        (None, Some(Value::String(id))) => Some(id.as_str()),
        (None, None) => {
            return Err(ApiError::invalid(
                "video",
                "missing_required_parameter",
                "Missing required parameter: 'video' ({\"id\": \"video_...\"}).",
            ));
        }
        _ => None,
    };
    match id.map(str::trim) {
        Some(id) if !id.is_empty() => Ok(id.to_owned()),
        _ => Err(ApiError::invalid(
            "video",
            "invalid_value",
            "video must be an object with the id of a completed video ({\"id\": \"video_...\"}), or an MP4 uploaded as a file part.",
        )),
    }
}

/// An extension's `seconds`: the length of the segment it adds, 4 to 20 (the answer's `seconds`
/// is the stitched total).
pub fn extension_seconds(fields: &Map<String, Value>) -> ApiResult<u32> {
    let added = match fields.get("seconds") {
        None | Some(Value::Null) => {
            return Err(ApiError::invalid(
                "seconds",
                "missing_required_parameter",
                "Missing required parameter: 'seconds' (the length of the segment to add).",
            ));
        }
        Some(value) => whole_seconds(value)?,
    };
    if !EXTENSION_SECONDS.contains(&added) {
        return Err(ApiError::invalid(
            "seconds",
            "invalid_value",
            format!(
                "seconds is the length of the segment to add: {} to {} seconds; got {added}.",
                EXTENSION_SECONDS.start(),
                EXTENSION_SECONDS.end()
            ),
        ));
    }
    Ok(added)
}

/// The video of an uploaded MP4 (an edit's or extension's `video` file part): its size and
/// length, so the new video matches it.
///
/// # Errors
/// A 400 on `video` when the upload is not an MP4 with a video track, or is not of a size and
/// length the service makes (what the emulator would have to render is bounded by them); its bytes
/// are never echoed.
pub fn uploaded_video(bytes: &[u8], prompt: String) -> ApiResult<VideoRequest> {
    let refused = |message: &str| ApiError::invalid("video", "invalid_value", message.to_owned());
    let unreadable = || refused("The uploaded video is not an MP4 file with a video track.");
    let reader =
        mp4::Mp4Reader::read_header(std::io::Cursor::new(bytes), bytes.len() as u64).map_err(|_| unreadable())?;
    let track = reader.tracks().values().find(|t| t.width() > 0 && t.height() > 0).ok_or_else(unreadable)?;
    let (width, height) = (u32::from(track.width()), u32::from(track.height()));
    if !SORA_2_PRO.sizes.contains(&(width, height)) {
        return Err(refused(&format!(
            "The uploaded video is {width}x{height}; videos of {} can be edited or extended.",
            SORA_2_PRO.size_list()
        )));
    }
    // Read here, not with `Mp4Reader::duration`, which divides by a timescale the file may give as 0.
    let mvhd = &reader.moov.mvhd;
    let seconds = (mvhd.duration as f64 / f64::from(mvhd.timescale)).round();
    if !(1.0..=f64::from(*EXTENSION_SECONDS.end())).contains(&seconds) {
        return Err(refused("The uploaded video must be 1 to 20 seconds long."));
    }
    Ok(VideoRequest { model: DEFAULT_MODEL.to_owned(), prompt, width, height, seconds: seconds as u32 })
}

/// A whole number of seconds, as a string (`"8"`, the documented form) or a number.
fn whole_seconds(value: &Value) -> ApiResult<u32> {
    let parsed = match value {
        Value::String(text) => text.trim().parse::<u32>().ok(),
        Value::Number(number) => number.as_u64().and_then(|n| u32::try_from(n).ok()),
        _ => None,
    };
    parsed.ok_or_else(|| {
        ApiError::invalid(
            "seconds",
            "invalid_type",
            format!("seconds must be a whole number such as \"8\"; got {value}."),
        )
    })
}

/// The `size` (`WIDTHxHEIGHT`, default 720x1280), one of the model's sizes.
fn size(fields: &Map<String, Value>, rules: &ModelRules, model: &str) -> ApiResult<(u32, u32)> {
    let text = match fields.get("size") {
        None | Some(Value::Null) => return Ok(DEFAULT_SIZE),
        Some(Value::String(text)) => text.trim(),
        Some(other) => {
            return Err(ApiError::invalid(
                "size",
                "invalid_type",
                format!("size must be a string like \"1280x720\"; got {other}."),
            ));
        }
    };
    let parsed = text.split_once(['x', 'X']).and_then(|(w, h)| Some((w.trim().parse().ok()?, h.trim().parse().ok()?)));
    match parsed {
        Some(size) if rules.sizes.contains(&size) => Ok(size),
        _ => Err(ApiError::invalid(
            "size",
            "invalid_value",
            format!("size must be {} for {model}; got '{text}'.", rules.size_list()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn fields(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn defaults_and_refusals() {
        let request = create(&fields(json!({"prompt": "a cat"})), Shape::OpenAi, &[]).unwrap();
        assert_eq!((request.model.as_str(), request.width, request.height, request.seconds), ("sora-2", 720, 1280, 4));
        let pro = json!({"prompt": "a", "model": "sora-2-pro", "size": "1792x1024", "seconds": 12});
        assert_eq!(create(&fields(pro), Shape::OpenAi, &[]).unwrap().width, 1792);
        for (field, value) in
            [("size", json!("1792x1024")), ("seconds", json!("10")), ("seconds", json!(4.5)), ("prompt", json!(" "))]
        {
            let mut body = fields(json!({"prompt": "a", "model": "sora-2"}));
            body.insert(field.into(), value);
            let error = create(&body, Shape::OpenAi, &[]).unwrap_err();
            assert_eq!(error.param.as_deref(), Some(field), "{}", error.message);
        }
    }

    #[test]
    fn sources_and_extensions() {
        assert_eq!(source_id(&fields(json!({"video": {"id": "video_1"}}))).unwrap(), "video_1");
        assert_eq!(source_id(&fields(json!({"video": "{\"id\": \"video_2\"}"}))).unwrap(), "video_2");
        assert_eq!(source_id(&fields(json!({"video_id": "video_3"}))).unwrap(), "video_3");
        assert_eq!(source_id(&fields(json!({}))).unwrap_err().param.as_deref(), Some("video"));
        assert_eq!(extension_seconds(&fields(json!({"seconds": "4"}))).unwrap(), 4);
        assert_eq!(extension_seconds(&fields(json!({"seconds": 20}))).unwrap(), 20);
        for seconds in [json!(3), json!(21), json!("4.5"), json!(null)] {
            let error = extension_seconds(&fields(json!({"seconds": seconds}))).unwrap_err();
            assert_eq!(error.param.as_deref(), Some("seconds"));
        }
        let refused = uploaded_video(b"not an mp4", "p".into()).unwrap_err();
        assert_eq!(refused.param.as_deref(), Some("video"));
    }

    #[test]
    fn an_upload_is_bounded_by_the_sizes_and_lengths_the_service_makes() {
        use crate::media::{Quality, VideoSpec, render_video};
        let mp4 = |width, height| {
            let spec = VideoSpec {
                width,
                height,
                seconds: 1,
                prompt: "p".into(),
                variant: 0,
                opening_image: None,
                caption: None,
            };
            render_video(&spec, Quality::Low).expect("renders")
        };
        let taken = uploaded_video(&mp4(720, 1280), "p".into()).unwrap();
        assert_eq!((taken.width, taken.height, taken.seconds), (720, 1280, 1));
        let refused = uploaded_video(&mp4(640, 480), "p".into()).unwrap_err();
        assert_eq!(refused.param.as_deref(), Some("video"));
        assert!(refused.message.contains("640x480"), "{}", refused.message);
    }
}
