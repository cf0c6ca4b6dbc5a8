//! Query-string access and the `api-version` rule.

use axum::extract::Query;
use axum::http::Uri;

use crate::errors::{ApiError, ApiResult};

/// Decoded query pairs, in order.
pub struct QueryPairs(Vec<(String, String)>);

impl QueryPairs {
    /// Decodes the query of `uri` (400 if it cannot be decoded).
    pub fn from_uri(uri: &Uri) -> ApiResult<Self> {
        Query::<Vec<(String, String)>>::try_from_uri(uri)
            .map(|Query(pairs)| Self(pairs))
            .map_err(|e| {
                ApiError::bad_request("invalid_query", format!("Invalid query string: {e}."))
            })
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Accepts `v1`, `preview`, dated versions (`2025-04-01`, `2025-04-01-preview`) or none.
pub fn check_api_version(pairs: &QueryPairs) -> ApiResult<()> {
    let Some(version) = pairs.get("api-version") else {
        return Ok(());
    };
    if is_supported(version) {
        return Ok(());
    }
    Err(ApiError::invalid(
        "api-version",
        "invalid_api_version",
        format!(
            "api-version '{version}' is not supported. Use 'preview' (or 'v1', or a dated version \
             such as '2025-04-01-preview')."
        ),
    ))
}

/// Whether `version` looks like an API version the service would know.
fn is_supported(version: &str) -> bool {
    if matches!(version, "v1" | "preview" | "latest") {
        return true;
    }
    let date = version.strip_suffix("-preview").unwrap_or(version);
    let bytes = date.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::is_supported;

    #[test]
    fn versions() {
        for ok in ["v1", "preview", "2025-04-01-preview", "2024-10-21"] {
            assert!(is_supported(ok), "{ok}");
        }
        for bad in ["", "v2", "2025-04-01-beta", "banana", "2025-4-1"] {
            assert!(!is_supported(bad), "{bad}");
        }
    }
}
