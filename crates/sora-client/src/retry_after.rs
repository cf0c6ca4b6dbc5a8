//! Reading the service's "wait this long" headers.

/// The delay asked for by `retry-after-ms` (milliseconds) or else `Retry-After` (whole seconds).
///
/// HTTP-date forms of `Retry-After` are not understood yet and give `None`.
pub fn parse(retry_after_ms: Option<&str>, retry_after: Option<&str>) -> Option<u64> {
    let from_ms = retry_after_ms.and_then(|v| v.trim().parse::<f64>().ok()).filter(|v| v.is_finite() && *v >= 0.0);
    if let Some(ms) = from_ms {
        return Some(ms.ceil() as u64);
    }
    retry_after.and_then(|v| v.trim().parse::<u64>().ok()).map(|s| s.saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn prefers_milliseconds() {
        assert_eq!(parse(Some("1500"), Some("9")), Some(1500));
        assert_eq!(parse(Some("12.2"), None), Some(13));
        assert_eq!(parse(None, Some("3")), Some(3000));
        assert_eq!(parse(Some("soon"), Some("2")), Some(2000));
        assert_eq!(parse(Some("-5"), None), None);
        assert_eq!(parse(None, Some("Wed, 21 Oct 2015 07:28:00 GMT")), None);
        assert_eq!(parse(None, None), None);
    }
}
