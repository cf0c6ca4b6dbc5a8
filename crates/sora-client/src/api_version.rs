//! The `api-version` values the service documents, and which one a client sends.

use crate::error::Error;

/// The API version sent when none is configured: the operations exist only in the preview API.
pub const DEFAULT_API_VERSION: &str = "preview";

/// Every `api-version` the service's spec lists (`AzureAIFoundryModelsApiVersion`); the client sends no other.
pub const API_VERSIONS: [&str; 2] = ["preview", "v1"];

/// What a person is told about an unknown version.
const ALLOWED: &str = "preview or v1 (the versions the service documents)";

/// `value` as one of [`API_VERSIONS`], if it is one.
pub(crate) fn known(value: &str) -> Option<&'static str> {
    API_VERSIONS.into_iter().find(|v| *v == value)
}

/// A configured version (`ClientOptions::api_version`, JS `apiVersion`), checked.
///
/// # Errors
/// [`Error::Validation`] on field `api_version` naming the allowed versions.
pub(crate) fn configured(value: &str) -> Result<&'static str, Error> {
    known(value).ok_or_else(|| Error::Validation {
        field: "api_version",
        message: ["must be ", ALLOWED, ", not \"", &shortened(value), "\""].concat(),
    })
}

/// The endpoint's message for a pasted `api-version=value` the service does not document.
pub(crate) fn unknown_in_endpoint(value: &str) -> String {
    ["has api-version=", &shortened(value), "; it must be ", ALLOWED].concat()
}

/// The version a client sends: `pasted` (from the endpoint's `?api-version=`) replaces the default;
/// any other `configured` value must agree with it.
///
/// # Errors
/// [`Error::Validation`] on field `api_version` when `configured` is unknown or disagrees with `pasted`.
pub(crate) fn effective(configured: &str, pasted: Option<&'static str>) -> Result<&'static str, Error> {
    let configured = self::configured(configured)?;
    match pasted {
        None => Ok(configured),
        Some(pasted) if configured == pasted || configured == DEFAULT_API_VERSION => Ok(pasted),
        Some(pasted) => Err(Error::Validation {
            field: "api_version",
            message: [
                "is ",
                configured,
                " but the endpoint says api-version=",
                pasted,
                "; make them agree or leave the api version unset",
            ]
            .concat(),
        }),
    }
}

/// At most 40 characters of user text, so a message stays readable whatever was pasted.
fn shortened(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((end, _)) => [&value[..end], "…"].concat(),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_documented_versions_are_sent() {
        assert_eq!(configured("preview"), Ok("preview"));
        assert_eq!(configured("v1"), Ok("v1"));
        for bad in ["", "Preview", " v1", "2024-01-01", "2025-04-01-preview"] {
            let message = configured(bad).unwrap_err().to_string();
            assert!(message.starts_with("api_version: must be preview or v1"), "{bad:?}: {message}");
        }
        assert!(
            configured(&"x".repeat(100)).unwrap_err().to_string().ends_with(&["x".repeat(40), "…\"".into()].concat())
        );
    }

    #[test]
    fn a_pasted_version_replaces_only_the_default() {
        assert_eq!(effective("preview", None), Ok("preview"));
        assert_eq!(effective("v1", None), Ok("v1"));
        assert_eq!(effective("preview", Some("v1")), Ok("v1"));
        assert_eq!(effective("v1", Some("v1")), Ok("v1"));
        assert_eq!(effective("preview", Some("preview")), Ok("preview"));
        let conflict = effective("v1", Some("preview")).unwrap_err().to_string();
        assert!(conflict.contains("is v1 but the endpoint says api-version=preview"), "{conflict}");
        assert!(effective("2024-01-01", Some("v1")).unwrap_err().to_string().contains("preview or v1"));
    }
}
