//! A create request of the Videos API: checked against the model table, written as multipart or JSON.

use super::model::{ModelRules, REFERENCE_TYPES};
use crate::error::Error;
use crate::json::{Json, to_text};
use crate::media::{Multipart, image_type_as_claimed, is_usable_file_name};
use crate::request::{validate_model, validate_prompt};
use crate::size::dimensions_name;
use crate::transport::Body;

/// The largest reference image accepted, in bytes (Azure's limit for an image by URL).
pub const MAX_REFERENCE_BYTES: usize = 20 * 1024 * 1024;

/// An image the video starts from (`input_reference`).
#[derive(Debug, Clone, PartialEq)]
pub enum ReferenceImage {
    /// An image file, sent as a multipart file part with its name and type.
    File {
        file_name: String,
        /// `image/jpeg`, `image/png` or `image/webp`.
        content_type: String,
        bytes: Vec<u8>,
        /// Its width and height when the caller knows them (a browser reads them when it shows
        /// the image): checked against the video's size where the model requires them to match.
        dimensions: Option<(u32, u32)>,
    },
    /// An image the server fetches, sent as `{"image_url": …}` in a JSON body.
    Url(String),
}

/// A request to create a video.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateVideo {
    /// A model or deployment name: `sora-2`, `sora-2-pro`, or whatever a gateway is configured with.
    pub model: String,
    pub prompt: String,
    /// Seconds of video; `None` leaves the server's default (4 for Sora 2).
    pub seconds: Option<u32>,
    /// `(width, height)`; `None` leaves the server's default (720x1280 for Sora 2).
    pub size: Option<(u32, u32)>,
    pub input_reference: Option<ReferenceImage>,
}

fn invalid(field: &'static str, message: String) -> Error {
    Error::Validation { field, message }
}

impl CreateVideo {
    /// A request for `model` with `prompt`, the server's default size and duration, no reference.
    pub fn new(model: impl Into<String>, prompt: impl Into<String>) -> Self {
        Self { model: model.into(), prompt: prompt.into(), seconds: None, size: None, input_reference: None }
    }

    /// Check the request before sending: always the prompt, the model name and the reference
    /// image's type; sizes, durations and the reference image's size where [`ModelRules`] knows
    /// the model.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the field: `prompt`, `model`, `seconds`, `size` or `input_reference`.
    pub fn validate(&self) -> Result<(), Error> {
        validate_prompt(&self.prompt)?;
        validate_model(&self.model)?;
        let rules = ModelRules::of(&self.model);
        if let Some(seconds) = self.seconds {
            let allowed = rules.map_or(seconds >= 1, |r| r.seconds.contains(&seconds));
            if !allowed {
                let names = rules.map(|r| one_of(r.seconds.iter().map(u32::to_string).collect()));
                return Err(invalid(
                    "seconds",
                    about_model(&self.model, names.as_deref(), " seconds", "1 second", &seconds.to_string()),
                ));
            }
        }
        if let Some(size) = self.size {
            let allowed = rules.map_or(size.0 >= 1 && size.1 >= 1, |r| r.sizes.contains(&size));
            if !allowed {
                let names = rules.map(|r| one_of(r.sizes.iter().map(|s| dimensions_name(*s)).collect()));
                return Err(invalid(
                    "size",
                    about_model(&self.model, names.as_deref(), "", "1x1", &dimensions_name(size)),
                ));
            }
        }
        match &self.input_reference {
            Some(ReferenceImage::File { file_name, content_type, bytes, dimensions }) => {
                self.check_file(rules, file_name, content_type, bytes, *dimensions)
            }
            Some(ReferenceImage::Url(url)) if url.trim().is_empty() || url.chars().any(char::is_whitespace) => {
                Err(invalid("input_reference", "the image URL must be a URL without spaces".into()))
            }
            _ => Ok(()),
        }
    }

    fn check_file(
        &self,
        rules: Option<&ModelRules>,
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
        dimensions: Option<(u32, u32)>,
    ) -> Result<(), Error> {
        let about = |rest: &str| invalid("input_reference", ["'", file_name, "'", rest].concat());
        if !is_usable_file_name(file_name) {
            return Err(about(" is not a usable file name"));
        }
        let allowed = rules.map_or(&REFERENCE_TYPES[..], |r| r.reference_types);
        if !image_type_as_claimed(content_type, bytes).is_some_and(|kind| allowed.contains(&kind)) {
            return Err(about(" is not a JPEG, PNG or WebP image"));
        }
        if bytes.len() > MAX_REFERENCE_BYTES {
            return Err(about(" is larger than 20 MB"));
        }
        // The server's default size is the model's first.
        let video = self.size.or_else(|| rules.and_then(|r| r.sizes.first().copied()));
        if let (Some(rules), Some(image), Some(video)) = (rules, dimensions, video)
            && rules.reference_matches_size
            && image != video
        {
            let sizes = [dimensions_name(image), dimensions_name(video)];
            return Err(about(
                &[" is ", &sizes[0], "; ", rules.model, " needs an image of exactly the video's size, ", &sizes[1]]
                    .concat(),
            ));
        }
        Ok(())
    }

    /// The body to send, after [`CreateVideo::validate`]: multipart (the documented form, with the
    /// reference image as a real file part), or JSON when the reference is an image URL.
    ///
    /// # Errors
    /// As [`CreateVideo::validate`].
    pub fn to_body(&self) -> Result<Body, Error> {
        self.validate()?;
        let seconds = self.seconds.map(|s| s.to_string());
        let size = self.size.map(dimensions_name);
        if let Some(ReferenceImage::Url(url)) = &self.input_reference {
            let mut fields = vec![("model", Json::Str(&self.model)), ("prompt", Json::Str(&self.prompt))];
            fields.extend(seconds.as_deref().map(|s| ("seconds", Json::Str(s))));
            fields.extend(size.as_deref().map(|s| ("size", Json::Str(s))));
            fields.push(("input_reference", Json::Obj(vec![("image_url", Json::Str(url))])));
            return Ok(Body::Json(to_text(&Json::Obj(fields))));
        }
        let mut texts = vec![("model", self.model.clone()), ("prompt", self.prompt.clone())];
        texts.extend(seconds.map(|s| ("seconds", s)));
        texts.extend(size.map(|s| ("size", s)));
        let files = match &self.input_reference {
            Some(ReferenceImage::File { file_name, content_type, bytes, .. }) => {
                vec![("input_reference", file_name.clone(), content_type.clone(), bytes.clone())]
            }
            _ => Vec::new(),
        };
        Ok(Body::Multipart(Multipart { texts, files }))
    }
}

/// What a refused value should have been: one of `model`'s `names` (then `unit`), or, for a
/// model the table does not know, at least `least`.
fn about_model(model: &str, names: Option<&str>, unit: &str, least: &str, got: &str) -> String {
    match names {
        Some(names) => ["must be ", names, unit, " for ", model, ", not ", got].concat(),
        None => ["must be at least ", least, ", not ", got].concat(),
    }
}

/// `4, 8 or 12`: names as a sentence lists them.
pub fn one_of(names: Vec<String>) -> String {
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => [rest.join(", "), last.clone()].join(" or "),
        _ => names.concat(),
    }
}
