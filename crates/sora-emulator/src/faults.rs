//! Queued fault injections: which of the next /openai requests fail, and how.

use serde_json::{Map, Value};

use crate::admin_input;
use crate::config::Config;
use crate::errors::ApiError;

/// Default `retry-after-ms` of injected 429s.
const DEFAULT_RETRY_AFTER_MS: u64 = 1000;
/// Default delay of a `latency` fault without `latency_ms`.
const DEFAULT_LATENCY_MS: u64 = 1000;
/// Default pace of a `slow_body` fault without `bytes_per_sec`.
const DEFAULT_BYTES_PER_SEC: u64 = 16 * 1024;

/// The kinds of fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    TooManyRequests,
    InternalError,
    Unavailable,
    Reset,
    Malformed,
    Truncate,
    Latency,
    SlowBody,
    /// Like `Truncate`, for any response (a JSON poll too).
    ResetBody,
    /// The operation's own answer (a 200 too) with `retry-after-ms` and `Retry-After` added.
    RetryHint,
    /// The answer after 17 MiB of padding, chunked, as `text/plain`.
    OversizeBody,
}

impl FaultKind {
    /// Parses the admin API's `kind`.
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "429" => Self::TooManyRequests,
            "500" => Self::InternalError,
            "503" => Self::Unavailable,
            "reset" => Self::Reset,
            "malformed" => Self::Malformed,
            "truncate" => Self::Truncate,
            "latency" => Self::Latency,
            "slow_body" => Self::SlowBody,
            "reset_body" => Self::ResetBody,
            "retry_hint" => Self::RetryHint,
            "oversize_body" => Self::OversizeBody,
            _ => return None,
        })
    }

    /// The admin API's name for this kind (what [`FaultKind::parse`] reads).
    pub fn name(self) -> &'static str {
        match self {
            Self::TooManyRequests => "429",
            Self::InternalError => "500",
            Self::Unavailable => "503",
            Self::Reset => "reset",
            Self::Malformed => "malformed",
            Self::Truncate => "truncate",
            Self::Latency => "latency",
            Self::SlowBody => "slow_body",
            Self::ResetBody => "reset_body",
            Self::RetryHint => "retry_hint",
            Self::OversizeBody => "oversize_body",
        }
    }
}

/// One queued fault with how many more requests it applies to.
#[derive(Debug, Clone)]
pub struct Fault {
    pub kind: FaultKind,
    pub remaining: u32,
    pub latency_ms: u64,
    pub path_contains: Option<String>,
    pub retry_after_ms: u64,
    /// Pace of a `slow_body` fault.
    pub bytes_per_sec: u64,
}

/// Most requests one admin-queued behaviour may apply to.
pub const MAX_COUNT: i64 = 1_000_000;
/// Longest `path_contains`.
pub const MAX_PATH_CONTAINS: usize = 1024;

/// How many requests an admin-queued behaviour applies to: 1 by default, 1..=[`MAX_COUNT`].
pub fn queued_count(body: &Map<String, Value>) -> Result<u32, ApiError> {
    let count = admin_input::integer(body, "count", 1, MAX_COUNT)?.unwrap_or(1);
    Ok(admin_input::narrow(count))
}

impl Fault {
    /// Validates a `POST /admin/faults` body into a fault (`kind` may be a string or a status number).
    pub fn from_body(body: &Map<String, Value>) -> Result<Self, ApiError> {
        let kind_text = match body.get("kind") {
            Some(Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        let kind = FaultKind::parse(&kind_text).ok_or_else(|| {
            ApiError::invalid(
                "kind",
                "invalid_value",
                "kind must be one of 429, 500, 503, reset, reset_body, malformed, truncate, latency, \
                 slow_body, retry_hint, oversize_body",
            )
        })?;
        let count = queued_count(body)?;
        let ms = |field: &str, max: i64| admin_input::integer(body, field, 0, max);
        let latency_ms = ms("latency_ms", 600_000)?;
        let retry_after_ms = admin_input::any_unsigned(body, "retry_after_ms")?;
        let bytes_per_sec = admin_input::integer(body, "bytes_per_sec", 1, 1_000_000_000)?;
        let unsigned = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(Self {
            kind,
            remaining: count,
            latency_ms: latency_ms.map_or(DEFAULT_LATENCY_MS, unsigned),
            path_contains: admin_input::text(body, "path_contains", MAX_PATH_CONTAINS)?,
            retry_after_ms: retry_after_ms.unwrap_or(DEFAULT_RETRY_AFTER_MS),
            bytes_per_sec: bytes_per_sec.map_or(DEFAULT_BYTES_PER_SEC, unsigned),
        })
    }

    /// Whether this fault applies to a request for `target` (path and query).
    fn matches(&self, target: &str, is_download: bool) -> bool {
        // A truncated JSON answer would be a different fault (malformed); truncation targets downloads.
        if self.kind == FaultKind::Truncate && !is_download {
            return false;
        }
        self.path_contains.as_deref().is_none_or(|needle| target.contains(needle))
    }
}

/// What the gate must do to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Status(FaultKind, u64),
    Reset,
    Malformed,
    /// Cut the body: a `truncate` or `reset_body` fault.
    Truncate(FaultKind),
    /// Send the body at this many bytes per second.
    SlowBody(u64),
    /// Add these milliseconds as `retry-after-ms` (and `Retry-After` seconds) to the answer.
    RetryHint(u64),
    /// Pad the answer past 16 MiB; its last chunk waits this many milliseconds.
    OversizeBody(u64),
}

/// The queue of faults, applied in insertion order.
#[derive(Debug, Default)]
pub struct FaultQueue {
    faults: Vec<Fault>,
}

impl FaultQueue {
    /// Queues the fault flags of the command line.
    pub fn from_config(config: &Config) -> Self {
        let mut queue = Self::default();
        let flags = [
            (FaultKind::TooManyRequests, config.fail_429),
            (FaultKind::InternalError, config.fail_500),
            (FaultKind::Unavailable, config.fail_503),
            (FaultKind::Reset, config.reset),
            (FaultKind::Malformed, config.malformed),
            (FaultKind::Truncate, config.truncate),
            (FaultKind::SlowBody, config.slow_body),
        ];
        for (kind, count) in flags {
            if count > 0 {
                queue.push(Fault {
                    kind,
                    remaining: count,
                    latency_ms: 0,
                    path_contains: None,
                    retry_after_ms: DEFAULT_RETRY_AFTER_MS,
                    bytes_per_sec: DEFAULT_BYTES_PER_SEC,
                });
            }
        }
        queue
    }

    /// Adds a fault at the end of the queue.
    pub fn push(&mut self, fault: Fault) {
        self.faults.push(fault);
    }

    /// How many faults are queued.
    pub fn len(&self) -> usize {
        self.faults.len()
    }

    /// Whether no fault is queued.
    pub fn is_empty(&self) -> bool {
        self.faults.is_empty()
    }

    /// Removes every fault.
    pub fn clear(&mut self) {
        self.faults.clear();
    }

    /// Consumes the faults matching one request: total added latency and at most one other action.
    pub fn take(&mut self, target: &str, is_download: bool) -> (u64, Option<Action>) {
        let mut latency = 0u64;
        let mut action = None;
        for fault in &mut self.faults {
            if fault.remaining == 0 || !fault.matches(target, is_download) {
                continue;
            }
            match fault.kind {
                FaultKind::Latency => latency = latency.saturating_add(fault.latency_ms),
                _ if action.is_some() => continue,
                FaultKind::Reset => action = Some(Action::Reset),
                FaultKind::Malformed => action = Some(Action::Malformed),
                kind @ (FaultKind::Truncate | FaultKind::ResetBody) => {
                    action = Some(Action::Truncate(kind));
                }
                FaultKind::SlowBody => action = Some(Action::SlowBody(fault.bytes_per_sec)),
                FaultKind::RetryHint => action = Some(Action::RetryHint(fault.retry_after_ms)),
                FaultKind::OversizeBody => action = Some(Action::OversizeBody(fault.latency_ms)),
                kind => action = Some(Action::Status(kind, fault.retry_after_ms)),
            }
            fault.remaining -= 1;
        }
        self.faults.retain(|fault| fault.remaining > 0);
        (latency, action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(kind: FaultKind, remaining: u32, path: Option<&str>) -> Fault {
        Fault {
            kind,
            remaining,
            latency_ms: 5,
            path_contains: path.map(str::to_owned),
            retry_after_ms: 1000,
            bytes_per_sec: 10,
        }
    }

    #[test]
    fn faults_apply_in_order_and_run_out() {
        let mut queue = FaultQueue::default();
        queue.push(fault(FaultKind::InternalError, 1, Some("/jobs")));
        queue.push(fault(FaultKind::Unavailable, 1, None));
        queue.push(fault(FaultKind::Latency, 2, None));
        queue.push(fault(FaultKind::Truncate, 1, None));
        assert_eq!(queue.take("/x", false), (5, Some(Action::Status(FaultKind::Unavailable, 1000))));
        assert_eq!(queue.take("/jobs", false), (5, Some(Action::Status(FaultKind::InternalError, 1000))));
        assert_eq!(queue.take("/jobs", false), (0, None));
        for text in ["429", "500", "503", "reset", "malformed", "truncate", "latency", "slow_body", "reset_body"] {
            assert_eq!(FaultKind::parse(text).map(FaultKind::name), Some(text));
        }
        assert_eq!(queue.take("/content/video", true), (0, Some(Action::Truncate(FaultKind::Truncate))));
    }
}
