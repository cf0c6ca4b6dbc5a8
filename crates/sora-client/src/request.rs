//! Create-job requests and their validation against the service's rules.

use crate::error::Error;
use crate::json::{Json, to_text};
use crate::size::VideoSize;

/// The longest prompt the service accepts, in Unicode scalar values (Rust `char`s).
pub const MAX_PROMPT_CHARS: usize = 4000;
/// The shortest and longest video, in seconds.
pub const SECONDS_RANGE: std::ops::RangeInclusive<u32> = 1..=20;

/// A request to create a video generation job (text to video).
#[derive(Debug, Clone, PartialEq)]
pub struct CreateVideoRequest {
    /// Deployment name of the Sora model.
    pub model: String,
    pub prompt: String,
    pub size: VideoSize,
    /// Length in seconds, 1 to 20.
    pub n_seconds: u32,
    /// How many videos to make, 1 to [`VideoSize::max_variants`].
    pub n_variants: u32,
}

impl CreateVideoRequest {
    /// A request for one 5-second video, the service's defaults.
    pub fn new(model: impl Into<String>, prompt: impl Into<String>, size: VideoSize) -> Self {
        Self { model: model.into(), prompt: prompt.into(), size, n_seconds: 5, n_variants: 1 }
    }

    /// Check every rule the service enforces, so that nothing invalid is ever sent.
    ///
    /// # Errors
    /// [`Error::Validation`] naming the first offending field and what is allowed.
    pub fn validate(&self) -> Result<(), Error> {
        validate_model(&self.model)?;
        validate_prompt(&self.prompt)?;
        validate_seconds(self.n_seconds)?;
        validate_variants(self.size, self.n_variants)
    }

    /// The JSON body, after validation.
    pub(crate) fn to_json(&self) -> Result<String, Error> {
        self.validate()?;
        let (width, height) = self.size.dimensions();
        // Integers as JSON numbers, always (be strict in what we send).
        Ok(to_text(&Json::Obj(vec![
            ("model", Json::Str(&self.model)),
            ("prompt", Json::Str(&self.prompt)),
            ("width", Json::Num(f64::from(width))),
            ("height", Json::Num(f64::from(height))),
            ("n_seconds", Json::Num(f64::from(self.n_seconds))),
            ("n_variants", Json::Num(f64::from(self.n_variants))),
        ])))
    }
}

fn invalid(field: &'static str, message: impl Into<String>) -> Error {
    Error::Validation { field, message: message.into() }
}

/// Require a deployment name.
pub fn validate_model(model: &str) -> Result<(), Error> {
    if model.trim().is_empty() {
        return Err(invalid("model", "enter the deployment name of your Sora model"));
    }
    if model.len() > 256 || model.chars().any(char::is_control) {
        return Err(invalid("model", "must be a deployment name of at most 256 characters"));
    }
    Ok(())
}

/// Require a prompt of 1 to 4,000 characters that is not only white space.
pub fn validate_prompt(prompt: &str) -> Result<(), Error> {
    if prompt.trim().is_empty() {
        return Err(invalid("prompt", "describe the video you want"));
    }
    let count = prompt.chars().count();
    if count > MAX_PROMPT_CHARS {
        return Err(invalid(
            "prompt",
            [
                "is ",
                &count.to_string(),
                " characters long; the service accepts at most ",
                &MAX_PROMPT_CHARS.to_string(),
            ]
            .concat(),
        ));
    }
    Ok(())
}

/// Require a duration of 1 to 20 seconds.
pub fn validate_seconds(n_seconds: u32) -> Result<(), Error> {
    if SECONDS_RANGE.contains(&n_seconds) {
        Ok(())
    } else {
        Err(invalid("n_seconds", ["must be between 1 and 20 seconds, not ", &n_seconds.to_string()].concat()))
    }
}

/// Require 1 to the size's maximum number of variants.
pub fn validate_variants(size: VideoSize, n_variants: u32) -> Result<(), Error> {
    let max = size.max_variants();
    if (1..=max).contains(&n_variants) {
        return Ok(());
    }
    let allowed =
        if max == 1 { "only 1 variant".to_owned() } else { ["1 to ", &max.to_string(), " variants"].concat() };
    Err(invalid("n_variants", [&size.name(), " allows ", &allowed, ", not ", &n_variants.to_string()].concat()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> CreateVideoRequest {
        CreateVideoRequest::new("sora", "A cat playing piano", VideoSize::Square480)
    }

    fn field_of(r: &CreateVideoRequest) -> Option<&'static str> {
        match r.validate() {
            Ok(()) => None,
            Err(Error::Validation { field, .. }) => Some(field),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn rules_table() {
        type Edit = fn(&mut CreateVideoRequest);
        let cases: &[(&str, Edit, Option<&str>)] = &[
            ("defaults are valid", |_| {}, None),
            ("empty model", |r| r.model.clear(), Some("model")),
            ("blank model", |r| r.model = "  ".into(), Some("model")),
            ("empty prompt", |r| r.prompt.clear(), Some("prompt")),
            ("white-space prompt", |r| r.prompt = " \n\t ".into(), Some("prompt")),
            ("4000 chars", |r| r.prompt = "a".repeat(4000), None),
            ("4001 chars", |r| r.prompt = "a".repeat(4001), Some("prompt")),
            ("4000 multibyte chars", |r| r.prompt = "猫".repeat(4000), None),
            ("4001 multibyte chars", |r| r.prompt = "猫".repeat(4001), Some("prompt")),
            ("0 s", |r| r.n_seconds = 0, Some("n_seconds")),
            ("1 s", |r| r.n_seconds = 1, None),
            ("20 s", |r| r.n_seconds = 20, None),
            ("21 s", |r| r.n_seconds = 21, Some("n_seconds")),
            ("0 variants", |r| r.n_variants = 0, Some("n_variants")),
            ("4 variants at 480p", |r| r.n_variants = 4, None),
            ("5 variants at 480p", |r| r.n_variants = 5, Some("n_variants")),
            ("2 variants at 720p", |r| (r.size, r.n_variants) = (VideoSize::Landscape720, 2), None),
            ("3 variants at 720p", |r| (r.size, r.n_variants) = (VideoSize::Portrait720, 3), Some("n_variants")),
            ("1 variant at 1080p", |r| r.size = VideoSize::Landscape1080, None),
            ("2 variants at 1080p", |r| (r.size, r.n_variants) = (VideoSize::Square1080, 2), Some("n_variants")),
        ];
        for (name, edit, expected) in cases {
            let mut r = request();
            edit(&mut r);
            assert_eq!(field_of(&r), *expected, "{name}");
        }
    }

    #[test]
    fn messages_say_what_is_allowed() {
        let mut r = request();
        r.size = VideoSize::Square1080;
        r.n_variants = 2;
        assert_eq!(r.validate().unwrap_err().to_string(), "n_variants: 1080x1080 allows only 1 variant, not 2");
        r.prompt = "x".repeat(4001);
        assert!(r.validate().unwrap_err().to_string().contains("4001 characters"));
    }

    #[test]
    fn body_uses_numbers() {
        let json = request().to_json().unwrap();
        assert_eq!(
            json,
            r#"{"model":"sora","prompt":"A cat playing piano","width":480,"height":480,"n_seconds":5,"n_variants":1}"#
        );
    }
}
