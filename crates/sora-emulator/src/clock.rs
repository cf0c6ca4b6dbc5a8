//! Wall-clock helpers (unix milliseconds and HTTP dates).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the unix epoch (0 if the clock is before 1970).
pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)).unwrap_or(0)
}

/// The last second an HTTP date can show (9999-12-31T23:59:59Z); `httpdate` panics beyond it.
const LAST_HTTP_DATE: u64 = 253_402_300_799;

/// Formats whole unix seconds as an IMF-fixdate (`Last-Modified`), clamped to year 9999.
pub fn http_date(unix_seconds: u64) -> String {
    httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(unix_seconds.min(LAST_HTTP_DATE)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_beyond_year_9999_do_not_panic() {
        assert_eq!(http_date(u64::MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }
}
