//! The table of HTTP dates (`http_dates.tsv`), checked by the native and the Chromium tests.

use sora_client::{HttpResponse, requested_wait_ms};

/// Read every row's value as a `Retry-After` header at Unix time 0 (so the wait is the instant
/// itself); panics listing every row that came out otherwise.
pub fn check() {
    let mut rows = 0;
    let mut wrong = Vec::new();
    for (index, line) in include_str!("http_dates.tsv").lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (value, expected) =
            line.split_once('\t').unwrap_or_else(|| panic!("line {}: not two tab-separated columns", index + 1));
        let expected = (expected != "none")
            .then(|| expected.parse::<u64>().unwrap_or_else(|e| panic!("line {}: {expected:?}: {e}", index + 1)));
        let got = through_header(value);
        if got != expected {
            wrong.push(format!("line {}: {value:?}: expected {expected:?}, got {got:?}", index + 1));
        }
        rows += 1;
    }
    assert!(rows >= 30, "the table has only {rows} rows");
    assert!(wrong.is_empty(), "{} of {rows} dates came out wrong:\n{}", wrong.len(), wrong.join("\n"));
}

/// The instant a `Retry-After: value` answer names, read at Unix time 0 with no cap.
pub fn through_header(value: &str) -> Option<u64> {
    let response = HttpResponse { retry_after: Some(value.to_owned()), ..Default::default() };
    requested_wait_ms(&response, 0, u64::MAX)
}
