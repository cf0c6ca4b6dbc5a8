//! Error answers: `ApiError::from_response` on any status, body and headers.
//!
//! Invariants: never panics; status, request id and retry hint are kept; there is always a
//! non-blank message; the display names the status.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sora_client::{ApiError, Error};

/// The input, laid out so seeds can be written by hand: bytes 0-1 the status (big-endian), byte 2
/// flags (1: a request id, 2: a retry hint), bytes 3-10 a little-endian u64 (the retry hint), then
/// `request id \n body`.
struct Input<'a> {
    status: u16,
    request_id: Option<String>,
    retry_after_ms: Option<u64>,
    body: &'a [u8],
}

impl<'a> Input<'a> {
    fn read(data: &'a [u8]) -> Option<Self> {
        let (head, rest) = data.split_at_checked(11)?;
        let number = u64::from_le_bytes(head[3..11].try_into().ok()?);
        let mut lines = rest.splitn(2, |&b| b == b'\n');
        let request_id = String::from_utf8_lossy(lines.next().unwrap_or_default()).into_owned();
        Some(Self {
            status: u16::from_be_bytes([head[0], head[1]]),
            request_id: (head[2] & 1 != 0).then_some(request_id),
            retry_after_ms: (head[2] & 2 != 0).then_some(number),
            body: lines.next().unwrap_or_default(),
        })
    }
}

fn check_error(input: &Input<'_>) {
    let error = ApiError::from_response(input.status, input.body, input.request_id.clone(), input.retry_after_ms);
    assert_eq!(error.status, input.status);
    assert_eq!(error.request_id, input.request_id);
    assert_eq!(error.retry_after_ms, input.retry_after_ms);
    assert!(!error.message.trim().is_empty(), "blank message");
    let _ = error.is_content_policy();
    let shown = error.to_string();
    assert!(shown.contains(&format!("(HTTP {}", input.status)), "{shown}");
    let _ = Error::Api(Box::new(error)).to_string();
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::read(data) else { return };
    check_error(&input);
});
