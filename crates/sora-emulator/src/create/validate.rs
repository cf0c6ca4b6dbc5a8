//! Validate step of a create: the request checked the way the service checks it (400 naming `param`).

use axum::http::StatusCode;
use serde_json::{Map, Value};

use super::opening::{self, UploadedFile};
use crate::errors::{ApiError, ApiResult};
use crate::job::{InpaintItem, JobRequest};
use crate::media::OpeningImage;
use crate::moderation;

/// Longest prompt, counted in Unicode scalar values (Rust `char`s).
pub const MAX_PROMPT_CHARS: usize = 4000;
/// Shortest and longest video, for every size (the docs say 1-20; PyRIT's 10 s cap at 1080p is not enforced).
pub const SECONDS_RANGE: (i64, i64) = (1, 20);

/// The supported sizes with the most variants each allows.
const SIZES: [(u32, u32, u32); 9] = [
    (480, 480, 4),
    (854, 480, 4),
    (480, 854, 4),
    (720, 720, 2),
    (1280, 720, 2),
    (720, 1280, 2),
    (1080, 1080, 1),
    (1920, 1080, 1),
    (1080, 1920, 1),
];

/// Human-readable list of the supported sizes.
const SIZE_LIST: &str = "480x480, 854x480, 480x854, 720x720, 1280x720, 720x1280, 1080x1080, 1920x1080, 1080x1920";

/// A create body as read: its fields (JSON object or multipart text parts) and uploaded files.
#[derive(Debug)]
pub struct CreateBody {
    pub fields: Map<String, Value>,
    pub files: Vec<UploadedFile>,
    /// Whether it came as multipart/form-data (which must carry a file).
    pub multipart: bool,
}

/// Checks a create body: its deployment, fields, prompt and uploaded images; returns the job
/// request and its opening image.
pub async fn request(
    body: CreateBody,
    deployments: &[String],
    blocklist: &[String],
) -> ApiResult<(JobRequest, Option<OpeningImage>)> {
    check_deployment(deployments, &body.fields)?;
    if body.multipart && body.files.is_empty() {
        return Err(ApiError::invalid(
            "files",
            "missing_required_parameter",
            "A multipart create needs at least one 'files' part (use JSON for text-to-video).",
        ));
    }
    let mut request = create_request(&body.fields)?;
    if let Some(refusal) = moderation::refusal(&request.prompt, blocklist) {
        return Err(refusal);
    }
    let opening_image = opening::resolve(&mut request, body.files).await?;
    Ok((request, opening_image))
}

/// Answers 404 when `model` names no known deployment, as the service does (DIGEST §6.1).
///
/// A missing, non-string or blank `model` is left to validation (a 400 naming `model`).
fn check_deployment(deployments: &[String], fields: &Map<String, Value>) -> ApiResult<()> {
    let Some(Value::String(model)) = fields.get("model") else {
        return Ok(());
    };
    if model.trim().is_empty() || deployments.iter().any(|known| known == model) {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::NOT_FOUND,
        "",
        format!(
            "The API deployment '{model}' for this resource does not exist. If you created the \
             deployment within the last 5 minutes, please wait a moment and try again."
        ),
    )
    .without_code())
}

/// Validates a create request's fields (JSON object or multipart text fields).
fn create_request(fields: &Map<String, Value>) -> ApiResult<JobRequest> {
    let prompt = required_string(fields, "prompt")?;
    if prompt.trim().is_empty() {
        return Err(ApiError::invalid("prompt", "invalid_value", "prompt must not be empty."));
    }
    let prompt_chars = prompt.chars().count();
    if prompt_chars > MAX_PROMPT_CHARS {
        return Err(ApiError::invalid(
            "prompt",
            "string_above_max_length",
            format!("prompt is {prompt_chars} characters long; at most {MAX_PROMPT_CHARS} are allowed."),
        ));
    }
    let model = required_string(fields, "model")?;
    if model.trim().is_empty() {
        return Err(ApiError::invalid("model", "invalid_value", "model must not be empty."));
    }
    let width = integer(fields, "width")?.ok_or_else(|| missing("width"))?;
    let height = integer(fields, "height")?.ok_or_else(|| missing("height"))?;
    let (width, height, max_variants) = size(width, height)?;
    let n_seconds = integer(fields, "n_seconds")?.unwrap_or(5);
    if !(SECONDS_RANGE.0..=SECONDS_RANGE.1).contains(&n_seconds) {
        return Err(ApiError::invalid(
            "n_seconds",
            "invalid_value",
            format!("n_seconds must be between 1 and 20; got {n_seconds}."),
        ));
    }
    let n_variants = integer(fields, "n_variants")?.unwrap_or(1);
    if !(1..=i64::from(max_variants)).contains(&n_variants) {
        return Err(ApiError::invalid(
            "n_variants",
            "invalid_value",
            format!(
                "n_variants must be between 1 and {max_variants} for {width}x{height} videos \
                 (4 at 480p sizes, 2 at 720p sizes, 1 at 1080p sizes); got {n_variants}."
            ),
        ));
    }
    let n_seconds = u32::try_from(n_seconds).unwrap_or(5);
    let inpaint_items = match fields.get("inpaint_items") {
        None | Some(Value::Null) => Vec::new(),
        Some(value) => inpaint_items(value)?,
    };
    Ok(JobRequest {
        prompt: prompt.to_owned(),
        model: model.to_owned(),
        width,
        height,
        n_seconds,
        n_variants: u32::try_from(n_variants).unwrap_or(1),
        inpaint_items,
    })
}

/// A 400 for a required parameter that is absent.
fn missing(param: &str) -> ApiError {
    ApiError::invalid(param, "missing_required_parameter", format!("Missing required parameter: '{param}'."))
}

/// A 400 for a parameter of the wrong type.
fn wrong_type(param: &str, expected: &str) -> ApiError {
    ApiError::invalid(param, "invalid_type", format!("'{param}' must be {expected}."))
}

/// A required string field.
fn required_string<'a>(fields: &'a Map<String, Value>, name: &str) -> ApiResult<&'a str> {
    match fields.get(name) {
        None => Err(missing(name)),
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(wrong_type(name, "a string")),
    }
}

/// An optional integer field; integer JSON numbers and decimal strings ("5") are accepted.
fn integer(fields: &Map<String, Value>, name: &str) -> ApiResult<Option<i64>> {
    match fields.get(name) {
        None => Ok(None),
        Some(value) => as_integer(value).map(Some).ok_or_else(|| wrong_type(name, "an integer")),
    }
}

/// Reads an integer from an integer JSON number or a decimal string (floats such as 5.0 are refused,
/// as JSON Schema's `integer` type does).
fn as_integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

/// Checks the size is one of the supported ones; returns it with the variant cap.
fn size(width: i64, height: i64) -> ApiResult<(u32, u32, u32)> {
    let found = SIZES.iter().find(|&&(w, h, _)| i64::from(w) == width && i64::from(h) == height).copied();
    if let Some(size) = found {
        return Ok(size);
    }
    // Blame height only when the width alone could be valid.
    let param = if SIZES.iter().any(|&(w, _, _)| i64::from(w) == width) { "height" } else { "width" };
    Err(ApiError::invalid(
        param,
        "unsupported_size",
        format!("The size {width}x{height} is not supported. Supported sizes: {SIZE_LIST}."),
    ))
}

/// Most inpainting items one request may carry (each names an image to decode).
pub const MAX_INPAINT_ITEMS: usize = 10;

/// Validates the inpainting items (an array, or a JSON-encoded string of one).
fn inpaint_items(value: &Value) -> ApiResult<Vec<InpaintItem>> {
    let parsed;
    let value = match value {
        Value::String(text) => {
            parsed = serde_json::from_str::<Value>(text).map_err(|e| {
                ApiError::invalid("inpaint_items", "invalid_json", format!("inpaint_items is not valid JSON: {e}."))
            })?;
            &parsed
        }
        other => other,
    };
    let items = match value {
        Value::Array(items) => items.as_slice(),
        Value::Object(_) => std::slice::from_ref(value),
        _ => return Err(wrong_type("inpaint_items", "an array of inpainting items")),
    };
    if items.len() > MAX_INPAINT_ITEMS {
        return Err(ApiError::invalid(
            "inpaint_items",
            "invalid_value",
            format!("inpaint_items may hold at most {MAX_INPAINT_ITEMS} items; got {}.", items.len()),
        ));
    }
    items.iter().enumerate().map(|(index, item)| inpaint_item(item, index)).collect()
}

/// Validates one inpainting item.
fn inpaint_item(value: &Value, index: usize) -> ApiResult<InpaintItem> {
    let param = |field: &str| format!("inpaint_items[{index}].{field}");
    let bad = |field: &str, code: &str, message: String| ApiError::invalid(&param(field), code, message);
    let Value::Object(item) = value else {
        return Err(wrong_type(&format!("inpaint_items[{index}]"), "an object"));
    };
    let frame_index = match item.get("frame_index") {
        None => return Err(missing(&param("frame_index"))),
        Some(value) => as_integer(value).ok_or_else(|| wrong_type(&param("frame_index"), "an integer"))?,
    };
    let frame_index = u64::try_from(frame_index).map_err(|_| {
        bad("frame_index", "invalid_value", format!("frame_index must not be negative; got {frame_index}."))
    })?;
    match item.get("type") {
        None => return Err(missing(&param("type"))),
        Some(Value::String(kind)) if kind == "image" => {}
        Some(Value::String(kind)) if kind == "video" => {
            return Err(bad(
                "type",
                "unsupported_media_type",
                "Only 'image' inpainting items are supported; 'video' items are not.".into(),
            ));
        }
        Some(_) => {
            return Err(bad("type", "invalid_value", "type must be 'image'.".into()));
        }
    }
    let file_name = match item.get("file_name") {
        None => return Err(missing(&param("file_name"))),
        Some(Value::String(name)) if !name.is_empty() => name.clone(),
        Some(_) => return Err(wrong_type(&param("file_name"), "a non-empty string")),
    };
    let crop = match item.get("crop_bounds") {
        None | Some(Value::Null) => [0.0, 0.0, 1.0, 1.0],
        Some(Value::Object(bounds)) => crop_bounds(bounds, &param("crop_bounds"))?,
        Some(_) => return Err(wrong_type(&param("crop_bounds"), "an object")),
    };
    Ok(InpaintItem { frame_index, file_name, crop })
}

/// Validates crop fractions: each in 0..=1, left < right, top < bottom.
fn crop_bounds(bounds: &Map<String, Value>, param: &str) -> ApiResult<[f64; 4]> {
    let names = ["left_fraction", "top_fraction", "right_fraction", "bottom_fraction"];
    let defaults = [0.0, 0.0, 1.0, 1.0];
    let mut crop = defaults;
    for (slot, (name, default)) in crop.iter_mut().zip(names.iter().zip(defaults)) {
        let field = format!("{param}.{name}");
        *slot = match bounds.get(*name) {
            None | Some(Value::Null) => default,
            Some(value) => {
                let number = value.as_f64().ok_or_else(|| wrong_type(&field, "a number"))?;
                if !(0.0..=1.0).contains(&number) {
                    return Err(ApiError::invalid(
                        &field,
                        "invalid_value",
                        format!("{name} must be between 0.0 and 1.0; got {number}."),
                    ));
                }
                number
            }
        };
    }
    let [left, top, right, bottom] = crop;
    if left >= right {
        return Err(ApiError::invalid(
            &format!("{param}.right_fraction"),
            "invalid_value",
            format!("right_fraction ({right}) must be greater than left_fraction ({left})."),
        ));
    }
    if top >= bottom {
        return Err(ApiError::invalid(
            &format!("{param}.bottom_fraction"),
            "invalid_value",
            format!("bottom_fraction ({bottom}) must be greater than top_fraction ({top})."),
        ));
    }
    Ok(crop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn accepts_numeric_strings_and_defaults() {
        let request = create_request(&fields(json!({
            "prompt": "cat", "model": "sora", "width": "1920", "height": 1080
        })))
        .expect("valid");
        assert_eq!((request.width, request.height, request.n_seconds, request.n_variants), (1920, 1080, 5, 1));
    }

    #[test]
    fn names_the_param() {
        let base = json!({"prompt": "cat", "model": "sora", "width": 480, "height": 480});
        let cases = [
            ("prompt", json!(null)),
            ("prompt", json!("")),
            ("width", json!("wide")),
            ("height", json!(481)),
            ("height", json!(480.0)),
            ("n_seconds", json!(21)),
            ("n_variants", json!(5)),
        ];
        for (param, value) in cases {
            let mut body = fields(base.clone());
            body.insert(param.into(), value);
            let error = create_request(&body).expect_err(param);
            assert_eq!(error.param.as_deref(), Some(param));
        }
        let long = "é".repeat(4001);
        let mut body = fields(base.clone());
        body.insert("prompt".into(), json!(long));
        assert!(create_request(&body).is_err());
        body.insert("prompt".into(), json!("é".repeat(4000)));
        assert!(create_request(&body).is_ok());
    }

    #[test]
    fn inpaint_items_from_a_json_string() {
        let body = fields(json!({
            "prompt": "cat", "model": "sora", "width": 480, "height": 480, "n_seconds": 1,
            "inpaint_items": "[{\"frame_index\": 29, \"type\": \"image\", \"file_name\": \"a.png\"}]"
        }));
        let request = create_request(&body).expect("valid");
        assert_eq!(request.inpaint_items.len(), 1);
        let mut late = body.clone();
        late.insert("inpaint_items".into(), json!([{"frame_index": 1_000_000, "type": "image", "file_name": "a.png"}]));
        let request = create_request(&late).expect("no upper limit");
        assert_eq!(request.inpaint_items[0].frame_index, 1_000_000);
        for frame in [json!(-1), json!(1.5), json!("x")] {
            let mut bad = body.clone();
            bad.insert("inpaint_items".into(), json!([{"frame_index": frame, "type": "image", "file_name": "a.png"}]));
            assert_eq!(create_request(&bad).expect_err("frame").param.as_deref(), Some("inpaint_items[0].frame_index"));
        }
    }
}
