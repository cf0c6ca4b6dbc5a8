//! `input_reference`: the image a video starts from, as a multipart file part or a `data:` URL.
//!
//! The image must be JPEG, PNG or WebP (by its bytes, and as its sender claims), at most 20 MB,
//! and exactly the video's size, as Azure requires. JPEG and PNG are decoded and shown at the
//! start of the video; WebP is checked (signature and size, read from its header) and accepted,
//! but its pixels are not used: the emulator's image decoder has no WebP support.

use bytes::Bytes;
use serde_json::Value;

use crate::create::opening::UploadedFile;
use crate::errors::{ApiError, ApiResult};
use crate::media::{self, OpeningImage};

/// Largest reference image, in bytes.
pub const MAX_REFERENCE_BYTES: usize = 20 * 1024 * 1024;

/// The parameter every refusal here names.
const PARAM: &str = "input_reference";

/// The image types accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
}

impl ImageKind {
    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
        }
    }

    /// The kind a MIME type names (`image/jpg` is a common spelling of JPEG).
    fn from_mime(mime: &str) -> Option<Self> {
        match mime.split(';').next().unwrap_or("").trim().to_ascii_lowercase().as_str() {
            "image/jpeg" | "image/jpg" => Some(Self::Jpeg),
            "image/png" => Some(Self::Png),
            "image/webp" => Some(Self::Webp),
            _ => None,
        }
    }

    /// The kind the bytes' signature shows.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }
}

/// A reference image as received, not yet checked.
#[derive(Debug)]
pub struct Reference {
    pub bytes: Bytes,
    /// The type its sender claimed (the part's `Content-Type`, the data URL's media type).
    pub claimed: Option<String>,
    /// How messages name it: `'cat.png'` or `the data: URL`.
    pub label: String,
}

/// What a multipart `input_reference` part without a filename answers: the service wants a real
/// file part, with a name and an image type.
pub fn nameless_part() -> ApiError {
    refused(
        "invalid_value",
        "input_reference must be a file part with a filename and an image Content-Type \
         (image/jpeg, image/png or image/webp).",
    )
}

/// The reference of a multipart file part.
pub fn from_upload(file: UploadedFile) -> Reference {
    Reference { bytes: file.bytes, claimed: file.content_type, label: format!("'{}'", file.name) }
}

/// The reference of a JSON `input_reference`: `{"image_url": "data:..."}` or the URL string itself.
pub fn from_json(value: &Value) -> ApiResult<Reference> {
    let url = match value {
        Value::String(url) => url.as_str(),
        Value::Object(map) => match (map.get("image_url"), map.get("file_id")) {
            (Some(Value::String(url)), _) => url.as_str(),
            (Some(Value::Object(inner)), _) if inner.get("url").is_some_and(Value::is_string) => {
                inner.get("url").and_then(Value::as_str).unwrap_or("")
            }
            (None, Some(_)) => {
                return Err(refused(
                    "invalid_value",
                    "The emulator has no file store: send the image as a multipart file part or a data: URL, not a file_id.",
                ));
            }
            _ => return Err(refused("invalid_type", "input_reference must be an object with an image_url string.")),
        },
        _ => return Err(refused("invalid_type", "input_reference must be an object with an image_url string.")),
    };
    let lower = url.trim_start().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return Err(refused(
            "unsupported_image_url",
            "The emulator cannot fetch image URLs: send the image as a multipart file part \
             (input_reference) or as a data: URL (data:image/png;base64,...).",
        ));
    }
    let (claimed, bytes) = data_url(url.trim())?;
    Ok(Reference { bytes: Bytes::from(bytes), claimed: Some(claimed), label: "the data: URL".to_owned() })
}

/// Checks a reference against the video's size and returns the opening image to render (None for
/// WebP, whose pixels the emulator cannot decode).
pub async fn opening_image(reference: Reference, width: u32, height: u32) -> ApiResult<Option<OpeningImage>> {
    let Reference { bytes, claimed, label } = reference;
    if bytes.len() > MAX_REFERENCE_BYTES {
        return Err(refused(
            "image_too_large",
            format!("{label} is {} bytes; at most 20 MB are accepted.", bytes.len()),
        ));
    }
    let Some(kind) = ImageKind::sniff(&bytes) else {
        return Err(refused("invalid_image_format", format!("{label} is not a JPEG, PNG or WebP image.")));
    };
    match claimed.as_deref().map(|mime| (mime, ImageKind::from_mime(mime))) {
        None | Some((_, None)) => {
            let what = claimed.as_deref().map_or("no type".to_owned(), |mime| format!("the type '{mime}'"));
            return Err(refused(
                "invalid_image_format",
                format!("{label} was sent with {what}: give it its image type (image/jpeg, image/png or image/webp)."),
            ));
        }
        Some((mime, Some(named))) if named != kind => {
            return Err(refused(
                "invalid_image_format",
                format!("{label} was sent as '{mime}' but its bytes are {}.", kind.mime()),
            ));
        }
        Some(_) => {}
    }
    let dimensions = match kind {
        ImageKind::Webp => webp_dimensions(&bytes),
        ImageKind::Jpeg | ImageKind::Png => media::image_dimensions(&bytes).ok(),
    };
    let Some((image_w, image_h)) = dimensions else {
        return Err(refused("invalid_image", format!("{label} has an unreadable {} header.", kind.mime())));
    };
    if (image_w, image_h) != (width, height) {
        return Err(refused(
            "invalid_image_size",
            format!(
                "{label} is {image_w}x{image_h} but the video is {width}x{height}: the reference image \
                 must be exactly the video's size."
            ),
        ));
    }
    if kind == ImageKind::Webp {
        return Ok(None);
    }
    // Decoding is CPU work: keep it off the async workers.
    let decoded = tokio::task::spawn_blocking(move || {
        media::decode_rgb(&bytes).and_then(|rgb| media::crop_image(&rgb, [0.0, 0.0, 1.0, 1.0], 0))
    })
    .await
    .map_err(|e| ApiError::internal(format!("Image decoding crashed: {e}.")))?;
    decoded.map(Some).map_err(|e| refused("invalid_image", format!("{label} could not be decoded: {e}.")))
}

/// A 400 naming `input_reference`.
fn refused(code: &str, message: impl Into<String>) -> ApiError {
    ApiError::invalid(PARAM, code, message)
}

/// Splits `data:<type>;base64,<data>` into its type and decoded bytes.
fn data_url(url: &str) -> ApiResult<(String, Vec<u8>)> {
    let malformed =
        || refused("invalid_value", "input_reference.image_url must be a data: URL like data:image/png;base64,....");
    let rest = url.get(..5).filter(|scheme| scheme.eq_ignore_ascii_case("data:")).map(|_| &url[5..]);
    let (header, data) = rest.and_then(|rest| rest.split_once(',')).ok_or_else(malformed)?;
    let Some(mime) = header.strip_suffix(";base64").or_else(|| header.strip_suffix(";BASE64")) else {
        return Err(refused("invalid_value", "input_reference.image_url must be a base64 data: URL (…;base64,…)."));
    };
    let bytes = base64(data).ok_or_else(|| refused("invalid_value", "The data: URL's base64 data does not decode."))?;
    Ok((mime.to_owned(), bytes))
}

/// Decodes standard or URL-safe base64, padding optional, whitespace ignored.
fn base64(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes().filter(|c| !c.is_ascii_whitespace()).take_while(|c| *c != b'=') {
        buffer = buffer << 6 | u32::from(value(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Width and height from a WebP header (lossy `VP8 `, lossless `VP8L` or extended `VP8X`).
fn webp_dimensions(bytes: &[u8]) -> Option<(u32, u32)> {
    let data = bytes.get(20..)?;
    let le = |at: usize, len: usize| {
        data.get(at..at + len).map(|b| b.iter().rev().fold(0u32, |v, x| v << 8 | u32::from(*x)))
    };
    match bytes.get(12..16)? {
        b"VP8 " if data.get(3..6)? == [0x9D, 0x01, 0x2A] => Some((le(6, 2)? & 0x3FFF, le(8, 2)? & 0x3FFF)),
        b"VP8L" if *data.first()? == 0x2F => {
            let bits = le(1, 4)?;
            Some(((bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1))
        }
        b"VP8X" => Some((le(4, 3)? + 1, le(7, 3)? + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_data_urls() {
        assert_eq!(base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64("aGVs bG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64("+/8=").as_deref(), Some(&[0xFB, 0xFF][..]));
        assert!(base64("a*b").is_none());
        assert_eq!(data_url("data:image/png;base64,aGk=").unwrap(), ("image/png".to_owned(), b"hi".to_vec()));
        assert!(data_url("data:image/png,hi").is_err());
        let error = from_json(&serde_json::json!({"image_url": "https://example.com/a.png"})).unwrap_err();
        assert_eq!(error.param.as_deref(), Some("input_reference"));
        assert!(error.message.contains("cannot fetch"), "{}", error.message);
    }

    #[test]
    fn webp_headers() {
        let mut lossless = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f".to_vec();
        // 720 - 1 = 719 in 14 bits, then 1280 - 1 = 1279 in the next 14.
        lossless.extend_from_slice(&(719u32 | 1279 << 14).to_le_bytes());
        assert_eq!(ImageKind::sniff(&lossless), Some(ImageKind::Webp));
        assert_eq!(webp_dimensions(&lossless), Some((720, 1280)));
        let mut extended = b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0".to_vec();
        extended.extend_from_slice(&[0xFF, 0x04, 0x00, 0xCF, 0x02, 0x00]);
        assert_eq!(webp_dimensions(&extended), Some((1280, 720)));
        let mut lossy = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0\0\0\0\x9d\x01\x2a".to_vec();
        lossy.extend_from_slice(&[0xD0, 0x02, 0x00, 0x05]);
        assert_eq!(webp_dimensions(&lossy), Some((720, 1280)));
    }
}
