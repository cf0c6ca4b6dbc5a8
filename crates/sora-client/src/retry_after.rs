//! Reading the service's "wait this long" headers.

use crate::platform;
use crate::transport::HttpResponse;

/// The wait an answer asks for (`retry-after-ms`, else `Retry-After`), never more than `cap_ms`.
///
/// Every hint the client acts on goes through here, whatever the answer's status: a server can
/// ask for any number, up to `u64::MAX` milliseconds.
pub fn requested_wait_ms(response: &HttpResponse, now_ms: u64, cap_ms: u64) -> Option<u64> {
    parse(response.retry_after_ms.as_deref(), response.retry_after.as_deref(), now_ms).map(|ms| ms.min(cap_ms))
}

/// The wait between polls a Videos API answer suggests (`openai-poll-after-ms`), never more than `cap_ms`.
pub fn poll_hint_ms(response: &HttpResponse, cap_ms: u64) -> Option<u64> {
    response.poll_after_ms.as_deref().and_then(parse_millis).map(|ms| ms.min(cap_ms))
}

/// The delay asked for by `retry-after-ms` (milliseconds), else `Retry-After` (seconds or HTTP date).
///
/// `now_ms` (Unix milliseconds) turns an HTTP date into a delay; a date in the past means no wait.
pub fn parse(retry_after_ms: Option<&str>, retry_after: Option<&str>, now_ms: u64) -> Option<u64> {
    if let Some(ms) = retry_after_ms.and_then(parse_millis) {
        return Some(ms);
    }
    let value = retry_after?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(seconds.saturating_mul(1000));
    }
    platform::http_date_ms(value).map(|at| at.saturating_sub(now_ms))
}

/// Parse a non-negative decimal number of milliseconds, rounding a fraction up (`"12.2"` is 13).
fn parse_millis(value: &str) -> Option<u64> {
    let (whole, fraction) = value.trim().split_once('.').unwrap_or((value.trim(), ""));
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let ms: u64 = whole.parse().ok()?;
    Some(if fraction.bytes().any(|b| b != b'0') { ms.saturating_add(1) } else { ms })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefers_milliseconds_then_seconds_then_dates() {
        assert_eq!(parse(Some("1500"), Some("9"), 0), Some(1500));
        assert_eq!(parse(Some("12.2"), None, 0), Some(13));
        assert_eq!(parse(None, Some("3"), 0), Some(3000));
        assert_eq!(parse(Some("soon"), Some("2"), 0), Some(2000));
        assert_eq!(parse(Some("-5"), None, 0), None);
        assert_eq!(parse(None, None, 0), None);
        let at = 1_445_412_480_000;
        assert_eq!(parse(None, Some("Wed, 21 Oct 2015 07:28:00 GMT"), at - 2_500), Some(2_500));
        assert_eq!(parse(None, Some("Wed, 21 Oct 2015 07:28:00 GMT"), at + 10), Some(0));
    }

    #[test]
    fn every_form_of_hint_is_capped() {
        let cap = |retry_after_ms: Option<&str>, retry_after: Option<&str>| {
            let response = HttpResponse {
                retry_after_ms: retry_after_ms.map(Into::into),
                retry_after: retry_after.map(Into::into),
                ..Default::default()
            };
            requested_wait_ms(&response, 0, 60_000)
        };
        assert_eq!(cap(Some("18446744073709551615"), None), Some(60_000));
        assert_eq!(cap(Some("18446744073709551615.5"), None), Some(60_000));
        assert_eq!(cap(None, Some("18446744073709551615")), Some(60_000));
        assert_eq!(cap(None, Some("Fri, 31 Dec 9999 23:59:59 GMT")), Some(60_000));
        assert_eq!(cap(Some("1500"), None), Some(1_500), "a hint under the cap is kept");
    }
}
