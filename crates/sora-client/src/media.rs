//! Image-to-video: create requests with uploaded images (`multipart/form-data`).
//!
//! Sent the way the service and every real client do it: one `files` part per image (its file name
//! is what `inpaint_items[].file_name` refers to), `inpaint_items` as a JSON-encoded text part, and
//! the scalar fields as text parts.

use crate::error::Error;
use crate::json::{Json, to_text};
use crate::request::CreateVideoRequest;

/// The part of an image to use, as fractions of its width and height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CropBounds {
    pub left_fraction: f64,
    pub top_fraction: f64,
    pub right_fraction: f64,
    pub bottom_fraction: f64,
}

impl Default for CropBounds {
    fn default() -> Self {
        Self { left_fraction: 0.0, top_fraction: 0.0, right_fraction: 1.0, bottom_fraction: 1.0 }
    }
}

/// An image to place in the video.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaItem {
    /// The name it is uploaded under; unique within a request.
    pub file_name: String,
    /// `image/png`, `image/jpeg`, ...
    pub content_type: String,
    pub bytes: Vec<u8>,
    /// The video frame at which the image appears (never negative; the service judges its range).
    pub frame_index: u32,
    pub crop: CropBounds,
}

/// A create request with images (image-to-video).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateVideoWithMediaRequest {
    pub request: CreateVideoRequest,
    pub media: Vec<MediaItem>,
}

/// A `multipart/form-data` body before encoding: browsers turn it into `FormData`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Multipart {
    pub texts: Vec<(&'static str, String)>,
    /// `(field, file name, content type, bytes)`.
    pub files: Vec<(&'static str, String, String, Vec<u8>)>,
}

/// The largest image accepted, in bytes.
pub const MAX_MEDIA_BYTES: usize = 25 * 1024 * 1024;

impl CreateVideoWithMediaRequest {
    /// Check the service's rules and the media rules.
    ///
    /// `frame_index` is not checked against the video's length: the service's answer decides.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the offending field.
    pub fn validate(&self) -> Result<(), Error> {
        self.request.validate()?;
        let invalid = |field, message: String| Err(Error::Validation { field, message });
        if self.media.is_empty() {
            return invalid("media", "add at least one image".into());
        }
        for (i, item) in self.media.iter().enumerate() {
            let name = &item.file_name;
            let about = |rest: &str| ["'", name.as_str(), "'", rest].concat();
            if !is_usable_file_name(name) {
                return invalid("file_name", about(" is not a usable file name"));
            }
            if self.media[..i].iter().any(|other| other.file_name == *name) {
                return invalid("file_name", about(" is used twice; each image needs its own name"));
            }
            if !matches!(image_type_as_claimed(&item.content_type, &item.bytes), Some("image/png" | "image/jpeg")) {
                return invalid("media", about(" is not a PNG or JPEG image"));
            }
            if item.bytes.len() > MAX_MEDIA_BYTES {
                return invalid("media", about(" is larger than 25 MB"));
            }
            let c = item.crop;
            let fractions = [c.left_fraction, c.top_fraction, c.right_fraction, c.bottom_fraction];
            if fractions.iter().any(|f| !(0.0..=1.0).contains(f)) {
                return invalid("crop_bounds", about(": every crop fraction must be between 0 and 1"));
            }
            if c.left_fraction >= c.right_fraction || c.top_fraction >= c.bottom_fraction {
                return invalid("crop_bounds", about(": left must be less than right and top less than bottom"));
            }
        }
        Ok(())
    }

    /// The multipart body, after validation.
    pub(crate) fn to_multipart(&self) -> Result<Multipart, Error> {
        self.validate()?;
        let r = &self.request;
        let (width, height) = r.size.dimensions();
        let items = self.media.iter().map(|m| {
            let c = m.crop;
            Json::Obj(vec![
                ("frame_index", Json::Num(f64::from(m.frame_index))),
                ("type", Json::Str("image")),
                ("file_name", Json::Str(&m.file_name)),
                (
                    "crop_bounds",
                    Json::Obj(vec![
                        ("left_fraction", Json::Num(c.left_fraction)),
                        ("top_fraction", Json::Num(c.top_fraction)),
                        ("right_fraction", Json::Num(c.right_fraction)),
                        ("bottom_fraction", Json::Num(c.bottom_fraction)),
                    ]),
                ),
            ])
        });
        let texts = vec![
            ("model", r.model.clone()),
            ("prompt", r.prompt.clone()),
            ("width", width.to_string()),
            ("height", height.to_string()),
            ("n_seconds", r.n_seconds.to_string()),
            ("n_variants", r.n_variants.to_string()),
            ("inpaint_items", to_text(&Json::Arr(items.collect()))),
        ];
        let files = self
            .media
            .iter()
            .map(|m| ("files", m.file_name.clone(), m.content_type.clone(), m.bytes.clone()))
            .collect();
        Ok(Multipart { texts, files })
    }
}

/// Whether `name` can be sent as a multipart file name: not blank, no control character, quote or
/// path separator.
pub(crate) fn is_usable_file_name(name: &str) -> bool {
    !name.trim().is_empty() && !name.chars().any(|c| c.is_control() || c == '"' || c == '/' || c == '\\')
}

/// The image's type when its signature agrees with the `content_type` claimed for it (`image/jpg`
/// read as `image/jpeg`); not the claimed type alone.
pub(crate) fn image_type_as_claimed(content_type: &str, bytes: &[u8]) -> Option<&'static str> {
    let claimed = if content_type == "image/jpg" { "image/jpeg" } else { content_type };
    image_type(bytes).filter(|kind| *kind == claimed)
}

/// The image type the bytes' signature shows: `image/png`, `image/jpeg` or `image/webp`.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

impl Multipart {
    /// Encode with `boundary` (for native transports; browsers build `FormData`).
    pub fn encode(&self, boundary: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, value) in &self.texts {
            out.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            );
            out.extend_from_slice(value.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        for (name, file_name, content_type, bytes) in &self.files {
            // Neither the file name nor the content type can end the header line (or the headers).
            let header = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                file_name.replace(['"', '\r', '\n'], "_"),
                content_type.replace(['\r', '\n'], "_")
            );
            out.extend_from_slice(header.as_bytes());
            out.extend_from_slice(bytes);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::size::VideoSize;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\nrest";

    fn request() -> CreateVideoWithMediaRequest {
        CreateVideoWithMediaRequest {
            request: CreateVideoRequest::new("sora", "the dog runs", VideoSize::Square480),
            media: vec![MediaItem {
                file_name: "dog.png".into(),
                content_type: "image/png".into(),
                bytes: PNG.to_vec(),
                frame_index: 0,
                crop: CropBounds::default(),
            }],
        }
    }

    fn field(edit: impl Fn(&mut CreateVideoWithMediaRequest)) -> Option<&'static str> {
        let mut r = request();
        edit(&mut r);
        match r.validate() {
            Ok(()) => None,
            Err(Error::Validation { field, .. }) => Some(field),
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn media_rules() {
        assert_eq!(field(|_| {}), None);
        assert_eq!(field(|r| r.media.clear()), Some("media"));
        assert_eq!(field(|r| r.media[0].file_name = " ".into()), Some("file_name"));
        assert_eq!(field(|r| r.media[0].file_name = "a/b.png".into()), Some("file_name"));
        assert_eq!(field(|r| r.media.push(r.media[0].clone())), Some("file_name"));
        assert_eq!(field(|r| r.media[0].bytes = b"GIF89a".to_vec()), Some("media"));
        assert_eq!(field(|r| r.media[0].content_type = "image/gif".into()), Some("media"));
        assert_eq!(field(|r| r.media[0].crop.left_fraction = -0.1), Some("crop_bounds"));
        assert_eq!(field(|r| r.media[0].crop.bottom_fraction = 1.5), Some("crop_bounds"));
        assert_eq!(field(|r| r.media[0].crop.right_fraction = f64::NAN), Some("crop_bounds"));
        assert_eq!(
            field(|r| (r.media[0].crop.left_fraction, r.media[0].crop.right_fraction) = (0.6, 0.4)),
            Some("crop_bounds")
        );
        assert_eq!(
            field(|r| (r.media[0].crop.top_fraction, r.media[0].crop.bottom_fraction) = (0.5, 0.5)),
            Some("crop_bounds")
        );
        // Any frame is the service's to judge, past the video's end included.
        for frame in [149, 150, 600, u32::MAX] {
            assert_eq!(field(|r| r.media[0].frame_index = frame), None, "{frame}");
        }
        assert_eq!(field(|r| r.request.prompt.clear()), Some("prompt"));
    }

    #[test]
    fn media_messages_name_the_image() {
        let message = |edit: fn(&mut CreateVideoWithMediaRequest)| {
            let mut r = request();
            edit(&mut r);
            r.validate().unwrap_err().to_string()
        };
        assert_eq!(
            message(|r| r.media[0].file_name = "a/b.png".into()),
            "file_name: 'a/b.png' is not a usable file name"
        );
        assert_eq!(
            message(|r| r.media.push(r.media[0].clone())),
            "file_name: 'dog.png' is used twice; each image needs its own name"
        );
        assert_eq!(message(|r| r.media[0].bytes = b"GIF89a".to_vec()), "media: 'dog.png' is not a PNG or JPEG image");
        assert_eq!(
            message(|r| r.media[0].crop.top_fraction = 1.5),
            "crop_bounds: 'dog.png': every crop fraction must be between 0 and 1"
        );
    }

    #[test]
    fn multipart_matches_what_clients_send() {
        let body = request().to_multipart().unwrap();
        let inpaint = &body.texts.iter().find(|(n, _)| *n == "inpaint_items").unwrap().1;
        // Whole numbers as the browser's JSON.stringify writes them, on both platforms.
        assert_eq!(
            inpaint,
            r#"[{"frame_index":0,"type":"image","file_name":"dog.png","crop_bounds":{"left_fraction":0,"top_fraction":0,"right_fraction":1,"bottom_fraction":1}}]"#
        );
        let encoded = String::from_utf8_lossy(&body.encode("XyZ")).into_owned();
        assert!(encoded.starts_with("--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nsora\r\n"));
        assert!(
            encoded.contains("name=\"files\"; filename=\"dog.png\"\r\nContent-Type: image/png\r\n\r\n\u{89}PNG")
                || encoded.contains("filename=\"dog.png\"\r\nContent-Type: image/png")
        );
        assert!(encoded.ends_with("--XyZ--\r\n"));
    }
}
