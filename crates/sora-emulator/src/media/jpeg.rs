//! Encodes thumbnails as baseline JPEG.

use jpeg_encoder::{ColorType, Encoder};

use super::MediaError;

/// JPEG quality of thumbnails: small files that still look clean.
const QUALITY: u8 = 85;

/// Encodes a `width` x `height` RGB frame as a JPEG file.
pub(crate) fn encode(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, MediaError> {
    let too_big = || MediaError(format!("thumbnail size {width}x{height} exceeds the JPEG limit of 65535"));
    let w = u16::try_from(width).map_err(|_| too_big())?;
    let h = u16::try_from(height).map_err(|_| too_big())?;
    let mut out = Vec::new();
    Encoder::new(&mut out, QUALITY)
        .encode(rgb, w, h, ColorType::Rgb)
        .map_err(|e| MediaError(format!("cannot encode thumbnail: {e}")))?;
    Ok(out)
}
