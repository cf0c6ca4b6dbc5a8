//! Decodes uploaded PNG/JPEG images, crops them and scales them onto the video frame.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use image::{ImageFormat, ImageReader, Limits, RgbImage};

use super::{MediaError, OpeningImage};

/// Largest accepted width or height of an uploaded image, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 8192;

/// Most memory the image decoder may allocate (an 8192x8192 RGBA16 image needs 512 MiB).
const MAX_DECODE_ALLOC: u64 = 512 * 1024 * 1024;

/// Decodes an uploaded PNG or JPEG and crops it to the given fractions (left, top, right, bottom).
pub fn decode_image(bytes: &[u8], crop: [f64; 4], frame_index: u32) -> Result<OpeningImage, MediaError> {
    check_crop(crop)?;
    crop_image(&decode_rgb(bytes)?, crop, frame_index)
}

/// Rejects crop bounds that are not fractions 0..=1 with left < right and top < bottom.
pub fn check_crop(crop: [f64; 4]) -> Result<(), MediaError> {
    let [left, top, right, bottom] = crop;
    if crop.iter().any(|f| !f.is_finite() || !(0.0..=1.0).contains(f)) || left >= right || top >= bottom {
        return Err(MediaError(format!(
            "invalid crop bounds {crop:?}: expected fractions 0..=1 with left < right and top < bottom"
        )));
    }
    Ok(())
}

/// A reader for PNG or JPEG bytes with the size and allocation limits set.
fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, MediaError> {
    let format = match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Png | ImageFormat::Jpeg)) => f,
        Ok(other) => {
            return Err(MediaError(format!("unsupported image format {other:?}: only PNG and JPEG are accepted")));
        }
        Err(_) => {
            return Err(MediaError::new("unrecognised image data: only PNG and JPEG are accepted"));
        }
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    Ok(reader)
}

/// The width and height an image declares, read from its header without decoding the pixels.
pub fn image_dimensions(bytes: &[u8]) -> Result<(u32, u32), MediaError> {
    let reader = reader(bytes)?;
    catch_unwind(AssertUnwindSafe(|| reader.into_dimensions()))
        .map_err(|_| MediaError::new("the image decoder failed on this input"))?
        .map_err(|e| MediaError(format!("cannot read the image header: {e}")))
}

/// Decodes a PNG or JPEG to RGB.
pub fn decode_rgb(bytes: &[u8]) -> Result<RgbImage, MediaError> {
    let reader = reader(bytes)?;
    // The decoders are written not to panic on hostile input; catching anyway keeps a bug there
    // from taking down a server worker.
    let decoded = catch_unwind(AssertUnwindSafe(|| reader.decode()))
        .map_err(|_| MediaError::new("the image decoder failed on this input"))?
        .map_err(|e| MediaError(format!("cannot decode the image: {e}")))?;
    Ok(decoded.into_rgb8())
}

/// Crops a decoded image to the given fractions (left, top, right, bottom).
pub fn crop_image(rgb: &RgbImage, crop: [f64; 4], frame_index: u32) -> Result<OpeningImage, MediaError> {
    check_crop(crop)?;
    let [left, top, right, bottom] = crop;
    let (w, h) = rgb.dimensions();
    if w == 0 || h == 0 {
        return Err(MediaError::new("the image is empty"));
    }

    let span = |lo: f64, hi: f64, size: u32| {
        let start = ((lo * f64::from(size)).floor() as u32).min(size - 1);
        let end = ((hi * f64::from(size)).ceil() as u32).clamp(start + 1, size);
        (start, end)
    };
    let (x0, x1) = span(left, right, w);
    let (y0, y1) = span(top, bottom, h);
    let (cw, ch) = (x1 - x0, y1 - y0);
    let src = rgb.as_raw();
    let mut out = Vec::with_capacity(cw as usize * ch as usize * 3);
    for y in y0..y1 {
        let start = (y as usize * w as usize + x0 as usize) * 3;
        let row = src
            .get(start..start + cw as usize * 3)
            .ok_or_else(|| MediaError::new("decoded image is shorter than its dimensions"))?;
        out.extend_from_slice(row);
    }
    Ok(OpeningImage { width: cw, height: ch, rgb: out.into(), frame_index })
}

/// Scales `img` to cover `width` x `height` (centre crop, bilinear), returning RGB bytes.
pub(crate) fn cover_resize(img: &OpeningImage, width: usize, height: usize) -> Result<Vec<u8>, MediaError> {
    let (iw, ih) = (img.width as usize, img.height as usize);
    if iw == 0 || ih == 0 || img.rgb.len() != iw * ih * 3 {
        return Err(MediaError::new("opening image size does not match its pixel data"));
    }
    let scale = (width as f64 / iw as f64).max(height as f64 / ih as f64);
    // One source axis is cropped evenly on both sides so the image fills the frame.
    let axis = |dst: usize, src: usize| -> Vec<(usize, usize, u32)> {
        let offset = (src as f64 - dst as f64 / scale) / 2.0;
        (0..dst)
            .map(|d| {
                let s = ((d as f64 + 0.5) / scale + offset - 0.5).clamp(0.0, (src - 1) as f64);
                let i0 = s.floor() as usize;
                let i1 = (i0 + 1).min(src - 1);
                (i0, i1, ((s - i0 as f64) * 256.0) as u32)
            })
            .collect()
    };
    let xs = axis(width, iw);
    let ys = axis(height, ih);
    let px = |x: usize, y: usize, c: usize| u32::from(img.rgb[(y * iw + x) * 3 + c]);
    let mut out = Vec::with_capacity(width * height * 3);
    for &(y0, y1, fy) in &ys {
        for &(x0, x1, fx) in &xs {
            for c in 0..3 {
                let top = px(x0, y0, c) * (256 - fx) + px(x1, y0, c) * fx;
                let bottom = px(x0, y1, c) * (256 - fx) + px(x1, y1, c) * fx;
                out.push(((top * (256 - fy) + bottom * fy) >> 16) as u8);
            }
        }
    }
    Ok(out)
}
