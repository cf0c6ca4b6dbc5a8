//! Turning uploaded files and inpainting items into the video's opening image.

use crate::errors::{ApiError, ApiResult};
use crate::job::{InpaintItem, JobRequest};
use crate::media::{self, OpeningImage};
use crate::multipart::UploadedFile;

/// Checks every item names an uploaded file that decodes, and returns the opening image.
///
/// The first inpainting item becomes the opening image; with files but no items, the first file
/// is used uncropped at frame 0.
pub async fn resolve(
    request: &mut JobRequest,
    files: Vec<UploadedFile>,
) -> ApiResult<Option<OpeningImage>> {
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
    let mut jobs = Vec::new();
    for (index, item) in request.inpaint_items.iter().enumerate() {
        let Some(file) = files.iter().find(|file| file.name == item.file_name) else {
            let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
            return Err(ApiError::invalid(
                &format!("inpaint_items[{index}].file_name"),
                "invalid_value",
                format!(
                    "file_name '{}' does not match any uploaded file (uploaded: {}).",
                    item.file_name,
                    if names.is_empty() {
                        "none".to_owned()
                    } else {
                        names.join(", ")
                    }
                ),
            ));
        };
        // Indices count the service's frames; the emulator renders fewer per second.
        let rendered_frame = item.frame_index * media::FRAME_RATE / crate::validate::FPS;
        jobs.push((index, file.clone(), item.crop, rendered_frame));
    }
    // Decoding is CPU work: keep it off the async workers.
    let decoded = tokio::task::spawn_blocking(move || {
        jobs.into_iter()
            .map(|(index, file, crop, frame)| {
                media::decode_image(&file.bytes, crop, frame).map_err(|e| (index, file.name, e))
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| ApiError::internal(format!("Image decoding crashed: {e}.")))?;
    match decoded {
        Ok(images) => Ok(images.into_iter().next()),
        Err((_index, name, error)) => Err(ApiError::invalid(
            "files",
            "invalid_image",
            format!(
                "The file '{name}' could not be used as an image (PNG or JPEG required): {error}."
            ),
        )),
    }
}
