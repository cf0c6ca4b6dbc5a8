//! Error answers: `ApiError::from_response` on any status, body and headers; `http_date_ms` on any text.
//!
//! Invariants: never panics; status, request id and retry hint are kept; there is always a
//! non-blank message; the display names the status. Every IMF-fixdate of years 1970 to 9999 parses
//! to its exact instant, and whatever date text is accepted names that same instant.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sora_client::{ApiError, Error, http_date_ms};

/// The input, laid out so seeds can be written by hand: bytes 0-1 the status (big-endian), byte 2
/// flags (1: a request id, 2: a retry hint), bytes 3-10 a little-endian u64 (the retry hint, and
/// the instant to format as an HTTP date), then `request id \n date text \n body`.
struct Input<'a> {
    status: u16,
    request_id: Option<String>,
    retry_after_ms: Option<u64>,
    /// Seconds since 1970, folded into years 1970..=9999, formatted as an HTTP date.
    stamp: u64,
    date: String,
    body: &'a [u8],
}

impl<'a> Input<'a> {
    fn read(data: &'a [u8]) -> Option<Self> {
        let (head, rest) = data.split_at_checked(11)?;
        let number = u64::from_le_bytes(head[3..11].try_into().ok()?);
        let mut lines = rest.splitn(3, |&b| b == b'\n');
        let request_id = String::from_utf8_lossy(lines.next().unwrap_or_default()).into_owned();
        let date = String::from_utf8_lossy(lines.next().unwrap_or_default()).into_owned();
        Some(Self {
            status: u16::from_be_bytes([head[0], head[1]]),
            request_id: (head[2] & 1 != 0).then_some(request_id),
            retry_after_ms: (head[2] & 2 != 0).then_some(number),
            stamp: number,
            date,
            body: lines.next().unwrap_or_default(),
        })
    }
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
/// 10000-01-01T00:00:00Z.
const END_OF_9999: u64 = 253_402_300_800;

/// Year, month (1-12), day of a count of days since 1970-01-01 (Howard Hinnant's inverse algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn format_http_date(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let (year, month, day) = civil_from_days(days);
    let rest = seconds % 86_400;
    format!(
        "{}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[(days % 7) as usize],
        MONTHS[month as usize - 1],
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
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

fn check_dates(input: &Input<'_>) {
    let seconds = input.stamp % END_OF_9999;
    let text = format_http_date(seconds);
    assert_eq!(http_date_ms(&text), Some(seconds * 1000), "{text}");

    if let Some(ms) = http_date_ms(&input.date) {
        assert_eq!(ms % 1000, 0);
        // What was accepted must name the instant it was parsed to (for real calendar dates).
        let fields: Vec<&str> = input.date.split_whitespace().collect();
        let number = |s: &str| s.parse::<i64>().ok();
        let (Some(day), Some(year)) = (number(fields[1]), number(fields[3])) else { return };
        let month = MONTHS.iter().position(|m| *m == fields[2]).unwrap() as u32 + 1;
        let clock: Vec<i64> = fields[4].split(':').filter_map(number).collect();
        let (y, m, d) = civil_from_days((ms / 1000 / 86_400) as i64);
        let rest = (ms / 1000 % 86_400) as i64;
        let days_in_month = [
            31,
            if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        if day <= days_in_month[month as usize - 1] && clock[2] < 60 {
            assert_eq!((y, m, i64::from(d)), (year, month, day), "{}", input.date);
            assert_eq!(rest, clock[0] * 3600 + clock[1] * 60 + clock[2], "{}", input.date);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::read(data) else { return };
    check_error(&input);
    check_dates(&input);
});
