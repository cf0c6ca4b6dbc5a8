//! The service's clock as seen from this device, so elapsed times and countdowns stay right when
//! the two clocks disagree.
//!
//! Job timestamps are the service's; "now" is this device's. The core client learns how far apart
//! the clocks are from each job it creates ([`sora_client::Client::server_clock_offset_ms`]); the
//! studio keeps that offset per service origin in localStorage, so a reload or another tab uses it too.

use std::cell::RefCell;

use crate::storage;

/// Offsets smaller than this are rounding (timestamps are whole seconds) and network time: ignored.
const NOISE_MS: f64 = 1_500.0;

thread_local! {
    /// Offsets by origin, read from localStorage on first use (a page talks to one or two services).
    static OFFSETS: RefCell<Vec<(String, f64)>> = const { RefCell::new(Vec::new()) };
}

fn storage_key(origin: &str) -> String {
    format!("sora-studio.clock-offset.{origin}")
}

/// The origin (`scheme://host:port`) of an endpoint or request URL; the text itself if unparsable.
pub fn origin_of(url: &str) -> String {
    web_sys::Url::new(url).map(|u| u.origin()).unwrap_or_else(|_| url.to_owned())
}

/// Note the offset the core client measured at its last create on `endpoint` (this device's clock
/// minus the service's, ms; the service's `created_at` is whole seconds).
pub fn observe(endpoint: &str, measured_ms: Option<i64>) {
    let Some(measured) = measured_ms else { return };
    // The service's clock was somewhere in [created_at, created_at + 1 s) when it answered.
    let measured = measured as f64 - 500.0;
    let offset = if measured.abs() < NOISE_MS { 0.0 } else { measured };
    let origin = origin_of(endpoint);
    let changed = remember(&origin, offset) != Some(offset);
    if changed {
        let text = format!("{}", offset.round() as i64);
        storage::local_set(&storage_key(&origin), (offset != 0.0).then_some(text.as_str()));
    }
}

/// How far this device's clock is ahead of the service at `endpoint` (ms; 0 when unknown).
pub fn offset_ms(endpoint: &str) -> f64 {
    let origin = origin_of(endpoint);
    if let Some(known) = OFFSETS.with(|o| o.borrow().iter().find(|(k, _)| *k == origin).map(|(_, v)| *v)) {
        return known;
    }
    // Saved as whole milliseconds (see `observe`).
    let saved = storage::local_get(&storage_key(&origin))
        .and_then(|t| t.trim().parse::<i64>().ok())
        .map_or(0.0, |ms| ms as f64);
    remember(&origin, saved);
    saved
}

/// Set the offset of `origin`; returns the one it replaces.
fn remember(origin: &str, offset: f64) -> Option<f64> {
    OFFSETS.with(|o| {
        let mut offsets = o.borrow_mut();
        match offsets.iter_mut().find(|(k, _)| k == origin) {
            Some((_, known)) => Some(std::mem::replace(known, offset)),
            None => {
                offsets.push((origin.to_owned(), offset));
                None
            }
        }
    })
}

/// A service timestamp (Unix seconds) on this device's clock (ms).
pub fn local_ms(endpoint: &str, service_s: i64) -> f64 {
    service_s as f64 * 1000.0 + offset_ms(endpoint)
}

/// This device's time `now_ms` on the service's clock (ms), for countdowns to service timestamps.
pub fn service_now_ms(endpoint: &str, now_ms: f64) -> f64 {
    now_ms - offset_ms(endpoint)
}
