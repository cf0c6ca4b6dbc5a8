//! HTTP dates in `Retry-After`: the shared table (`common/http_dates.tsv`), natively.

#![cfg(not(target_arch = "wasm32"))]

#[path = "common/http_dates.rs"]
mod http_dates;

#[test]
fn http_dates_read_as_the_table_says() {
    http_dates::check();
}

/// The obsolete forms RFC 9110 §5.6.7 says recipients must accept: read natively (the browser
/// build reads only the IMF-fixdate, so they are not in the shared table).
#[test]
fn obsolete_forms_are_read_natively() {
    for value in ["Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
        assert_eq!(http_dates::through_header(value), Some(784_111_777_000), "{value}");
    }
    // RFC 850's two-digit years: 70–99 are 19xx, 00–69 are 20xx.
    assert_eq!(http_dates::through_header("Thursday, 01-Jan-70 00:00:00 GMT"), Some(0));
    assert_eq!(http_dates::through_header("Monday, 01-Jan-35 00:00:00 GMT"), Some(2_051_222_400_000));
    for malformed in ["Sunday, 06-Nov-94 08:49:37 PST", "Sun Nov 6 08:49:37 1994", "Sun Nov  6 08:49:37 94"] {
        assert_eq!(http_dates::through_header(malformed), None, "{malformed}");
    }
}
