//! The maintained implementations of web standards the client needs: URL parsing (WHATWG URL),
//! HTTP dates (RFC 9110) and percent-encoding. On wasm32 the browser's own (`URL`, `Date`,
//! `encodeURIComponent`); natively the `url`, `httpdate` and `percent-encoding` crates.

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
use native as imp;

#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "wasm32")]
use wasm as imp;

/// A URL as the WHATWG URL standard parses it: every part in its serialised (normalised) form.
#[derive(Debug)]
pub struct Url {
    /// The scheme, lower case, without `:`.
    pub scheme: String,
    /// The host: lower case, IDNA-mapped to ASCII, an IPv4 address in dotted form, an IPv6 one in brackets.
    pub host: String,
    /// The port, unless it is absent or the scheme's default.
    pub port: Option<u16>,
    /// The path, percent-encoded, dot segments resolved.
    pub path: String,
    /// The query's name–value pairs, decoded (`application/x-www-form-urlencoded`).
    pub query: Vec<(String, String)>,
    /// Whether a user name or password is present.
    pub has_credentials: bool,
    /// Whether a fragment (`#`, even empty) is present.
    pub has_fragment: bool,
}

/// Parse an absolute URL; `None` when the standard refuses it.
pub fn parse_url(text: &str) -> Option<Url> {
    imp::parse_url(text)
}

/// 10000-01-01T00:00:00Z in Unix milliseconds: HTTP dates have four-digit years.
const END_OF_9999_MS: u64 = 253_402_300_800_000;

/// Read an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`) as Unix milliseconds; `None` for anything
/// else, for dates before 1970 and after 9999.
///
/// Natively all three forms RFC 9110 §5.6.7 names (IMF-fixdate, RFC 850, asctime); in the browser
/// only the IMF-fixdate, the one form senders may generate.
pub fn http_date_ms(value: &str) -> Option<u64> {
    imp::http_date_ms(value).filter(|&ms| ms < END_OF_9999_MS)
}

/// Percent-encode everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`), so a value
/// can never leave its path segment or query value.
pub fn encode_component(value: &str) -> String {
    imp::encode_component(value)
}
