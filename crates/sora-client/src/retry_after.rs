//! Reading the service's "wait this long" headers.

use crate::transport::HttpResponse;

/// The wait an answer asks for (`retry-after-ms`, else `Retry-After`), never more than `cap_ms`.
///
/// Every hint the client acts on goes through here, whatever the answer's status: a server can
/// ask for any number, up to `u64::MAX` milliseconds.
pub fn requested_wait_ms(response: &HttpResponse, now_ms: u64, cap_ms: u64) -> Option<u64> {
    parse(response.retry_after_ms.as_deref(), response.retry_after.as_deref(), now_ms).map(|ms| ms.min(cap_ms))
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
    http_date_ms(value).map(|at| at.saturating_sub(now_ms))
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

/// Parse an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into Unix milliseconds.
pub fn http_date_ms(value: &str) -> Option<u64> {
    let mut parts = value.split_whitespace();
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day: u32 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (clock.next()??, clock.next()??, clock.next()??);
    // Exactly `hh:mm:ss GMT` at the end, and a four-digit year (larger ones overflowed the arithmetic).
    if clock.next().is_some() || parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    if !(0..=9999).contains(&year) || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days.checked_mul(86_400)?.checked_add((h * 3600 + m * 60 + s) as i64)?;
    u64::try_from(seconds).ok()?.checked_mul(1000)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
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
        let at = http_date_ms("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(at, 1_445_412_480_000);
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

    #[test]
    fn rejects_malformed_dates() {
        assert_eq!(http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777_000));
        for bad in [
            "",
            "tomorrow",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 06 Nov 19946655555 08:49:37 GMT",
            "Sun, 06 Nov -1 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37:99 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
        ] {
            assert_eq!(http_date_ms(bad), None, "{bad}");
        }
    }
}
