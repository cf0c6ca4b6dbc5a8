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
            .map_err(|e| ApiError::bad_request("invalid_query", format!("Invalid query string: {e}.")))
    }

    /// Every value of `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.0.iter().filter(move |(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

/// The api-versions served: the spec's `AzureAIFoundryModelsApiVersion` enum.
pub const API_VERSIONS: [&str; 2] = ["preview", "v1"];

/// Accepts `preview`, `v1` or no api-version (every value, if repeated); anything else is a 400
/// naming `api-version`.
pub fn check_api_version(pairs: &QueryPairs) -> ApiResult<()> {
    match pairs.all("api-version").find(|version| !API_VERSIONS.contains(version)) {
        None => Ok(()),
        Some(version) => Err(ApiError::invalid(
            "api-version",
            "BadRequest",
            format!("Unsupported api-version '{version}'. Use preview or v1, or leave it out."),
        )
        .with_kind("invalid_request_error")),
    }
}
