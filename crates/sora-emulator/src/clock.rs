//! Wall-clock helpers (unix milliseconds and HTTP dates).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the unix epoch (0 if the clock is before 1970).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Formats whole unix seconds as an IMF-fixdate (`Last-Modified`).
pub fn http_date(unix_seconds: u64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(unix_seconds))
}

/// Parses an HTTP date into unix seconds.
pub fn parse_http_date(text: &str) -> Option<u64> {
    let time = httpdate::parse_http_date(text).ok()?;
    time.duration_since(UNIX_EPOCH).ok().map(|d| d.as_secs())
}

/// Unix seconds as the (possibly skewed) server clock reports them.
pub fn skewed(unix_seconds: u64, skew_secs: i64) -> u64 {
    unix_seconds.saturating_add_signed(skew_secs)
}
