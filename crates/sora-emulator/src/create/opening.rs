//! Turning uploaded files and inpainting items into the video's opening image.

use bytes::Bytes;

use crate::errors::{ApiError, ApiResult};
use crate::job::{InpaintItem, JobRequest};
use crate::media::{self, OpeningImage};

/// Frame rate the emulator assumes `frame_index` values count in, to place the opening image in its
/// own `media::FRAME_RATE` video. No document gives the service's rate, so indices are not capped.
pub const FPS: u32 = 30;

/// Most pixels the uploaded images of one request may declare in total (each file once).
pub const MAX_DECODED_PIXELS: u64 = 2 * 8192 * 8192;

/// One uploaded file part.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    /// The part's filename, referenced by `inpaint_items[].file_name`.
    pub name: String,
    /// The part's `Content-Type`, if it had one.
    pub content_type: Option<String>,
    pub bytes: Bytes,
}

/// Checks every item names an uploaded file that decodes, and returns the opening image.
///
/// The first inpainting item becomes the opening image; with files but no items, the first file
/// is used uncropped at frame 0.
pub async fn resolve(request: &mut JobRequest, files: Vec<UploadedFile>) -> ApiResult<Option<OpeningImage>> {
    if request.inpaint_items.is_empty() {
        let Some(first) = files.first() else {
            return Ok(None);
        };
        request.inpaint_items.push(InpaintItem {
            frame_index: 0,
            file_name: first.name.clone(),
            crop: [0.0, 0.0, 1.0, 1.0],
        });
    }
    let mut items = Vec::new();
    for (index, item) in request.inpaint_items.iter().enumerate() {
        let Some(file) = files.iter().find(|file| file.name == item.file_name) else {
            let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
            return Err(ApiError::invalid(
                &format!("inpaint_items[{index}].file_name"),
                "invalid_value",
                format!(
                    "file_name '{}' does not match any uploaded file (uploaded: {}).",
                    item.file_name,
                    if names.is_empty() { "none".to_owned() } else { names.join(", ") }
                ),
            ));
        };
        // Indices count the service's frames; the emulator renders fewer per second. An index past
        // the end is shown from the last frame (the scene clamps it).
        let rendered_frame = item.frame_index.saturating_mul(u64::from(media::FRAME_RATE)) / u64::from(FPS);
        let rendered_frame = u32::try_from(rendered_frame).unwrap_or(u32::MAX);
        items.push((file.clone(), item.crop, rendered_frame));
    }
    check_pixels(&items)?;
    // Decoding is CPU work: keep it off the async workers.
    let decoded = tokio::task::spawn_blocking(move || decode_each_file_once(&items))
        .await
        .map_err(|e| ApiError::internal(format!("Image decoding crashed: {e}.")))?;
    match decoded {
        Ok(image) => Ok(image),
        Err((name, error)) => Err(ApiError::invalid(
            "files",
            "invalid_image",
            format!("The file '{name}' could not be used as an image (PNG or JPEG required): {error}."),
        )),
    }
}

/// Refuses a request whose files together declare more than [`MAX_DECODED_PIXELS`] (each file
/// counted once), reading only their headers.
fn check_pixels(items: &[(UploadedFile, [f64; 4], u32)]) -> ApiResult<()> {
    let mut seen: Vec<&str> = Vec::new();
    let mut total: u64 = 0;
    for (file, _, _) in items {
        if seen.contains(&file.name.as_str()) {
            continue;
        }
        seen.push(&file.name);
        // Unreadable headers are reported by the decode below, with the file's name.
        if let Ok((width, height)) = media::image_dimensions(&file.bytes) {
            total = total.saturating_add(u64::from(width) * u64::from(height));
        }
    }
    if total > MAX_DECODED_PIXELS {
        return Err(ApiError::invalid(
            "inpaint_items",
            "too_many_pixels",
            format!(
                "The images of inpaint_items add up to {total} pixels; at most {MAX_DECODED_PIXELS} \
                 (two 8192x8192 images) may be decoded per request."
            ),
        ));
    }
    Ok(())
}

/// Decodes each distinct file once, checks every item's crop on it, and keeps only the first
/// item's image (the opening image), so at most one full decode is held at a time.
fn decode_each_file_once(
    items: &[(UploadedFile, [f64; 4], u32)],
) -> Result<Option<OpeningImage>, (String, media::MediaError)> {
    let mut opening = None;
    let mut done: Vec<&str> = Vec::new();
    for (file, _, _) in items {
        if done.contains(&file.name.as_str()) {
            continue;
        }
        done.push(&file.name);
        let fail = |e| (file.name.clone(), e);
        let rgb = media::decode_rgb(&file.bytes).map_err(fail)?;
        for (_, crop, frame) in items.iter().filter(|(f, _, _)| f.name == file.name) {
            let image = media::crop_image(&rgb, *crop, *frame).map_err(fail)?;
            // Items are in request order, so the first crop of the first file is item 0's.
            if opening.is_none() {
                opening = Some(image);
            }
        }
    }
    Ok(opening)
}
