//! The platform natively: the `url`, `httpdate` and `percent-encoding` crates.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use std::time::UNIX_EPOCH;

use super::Url;

/// Everything but RFC 3986 unreserved characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

pub fn parse_url(text: &str) -> Option<Url> {
    let url = url::Url::parse(text).ok()?;
    Some(Url {
        scheme: url.scheme().to_owned(),
        host: url.host_str().unwrap_or_default().to_owned(),
        port: url.port(),
        path: url.path().to_owned(),
        query: url.query_pairs().map(|(name, value)| (name.into_owned(), value.into_owned())).collect(),
        has_credentials: !url.username().is_empty() || url.password().is_some_and(|p| !p.is_empty()),
        has_fragment: url.fragment().is_some(),
    })
}

pub fn http_date_ms(value: &str) -> Option<u64> {
    let since_epoch = httpdate::parse_http_date(value).ok()?.duration_since(UNIX_EPOCH).ok()?;
    u64::try_from(since_epoch.as_millis()).ok()
}

pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}
