//! When to try a failed request again, and how long to wait first.

use crate::error::Error;

/// How failed requests are retried.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2).
    pub max_retries: u32,
    /// First backoff step when the service gives no hint (default 500 ms); doubles each retry.
    pub base_delay_ms: u64,
    /// No wait is longer than this, whatever the service asks (default 60 s).
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self { max_retries: 2, base_delay_ms: 500, max_delay_ms: 60_000 }
    }
}

/// Whether a request may be repeated without changing what happens on the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Reads and deletes: safe to repeat after any transient failure.
    Idempotent,
    /// Create: repeating after the service may have seen it could start (and bill) a second job.
    Create,
}

impl RetryPolicy {
    /// The delay before retry number `retry` (1-based) after `error`, or `None` to give up.
    ///
    /// `jitter` is a random number in `[0, 1)`; it spreads clients' backoff (not the service's hints).
    pub fn delay_ms(&self, retry: u32, error: &Error, idempotency: Idempotency, jitter: f64) -> Option<u64> {
        if retry > self.max_retries || !is_retryable(error, idempotency) {
            return None;
        }
        if let Error::Api(api) = error
            && let Some(hint) = api.retry_after_ms
        {
            return Some(hint.min(self.max_delay_ms));
        }
        let exponent = retry.saturating_sub(1).min(30);
        let ceiling = self.base_delay_ms.saturating_mul(1 << exponent).min(self.max_delay_ms);
        // "Equal jitter": at least half the step, so a retry never fires immediately.
        let half = ceiling / 2;
        Some(half + (half as f64 * jitter.clamp(0.0, 1.0)) as u64)
    }
}

/// Which failures are worth another try.
pub fn is_retryable(error: &Error, idempotency: Idempotency) -> bool {
    match (error, idempotency) {
        (Error::Api(api), Idempotency::Idempotent) => matches!(api.status, 408 | 409 | 429 | 500..=599),
        // A 429 means the service refused the create before doing anything.
        (Error::Api(api), Idempotency::Create) => api.status == 429,
        (Error::Network(_) | Error::Timeout(_), Idempotency::Idempotent) => true,
        // The create may have reached the service: retrying could make two jobs.
        (Error::Network(_) | Error::Timeout(_), Idempotency::Create) => false,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ApiError;

    fn api(status: u16, retry_after_ms: Option<u64>) -> Error {
        Error::Api(Box::new(ApiError { status, retry_after_ms, ..Default::default() }))
    }

    #[test]
    fn retryable_table() {
        use Idempotency::*;
        let cases = [
            (api(408, None), Idempotent, true),
            (api(409, None), Idempotent, true),
            (api(429, None), Idempotent, true),
            (api(500, None), Idempotent, true),
            (api(503, None), Idempotent, true),
            (api(400, None), Idempotent, false),
            (api(401, None), Idempotent, false),
            (api(404, None), Idempotent, false),
            (Error::Network("reset".into()), Idempotent, true),
            (Error::Timeout(5), Idempotent, true),
            (api(429, None), Create, true),
            (api(500, None), Create, false),
            (api(503, None), Create, false),
            (Error::Network("reset".into()), Create, false),
            (Error::Aborted, Idempotent, false),
            (Error::Validation { field: "prompt", message: String::new() }, Idempotent, false),
            (Error::Decode { message: String::new(), snippet: String::new() }, Idempotent, false),
        ];
        for (error, idempotency, expected) in cases {
            assert_eq!(is_retryable(&error, idempotency), expected, "{error:?} {idempotency:?}");
        }
    }

    #[test]
    fn honours_hints_capped() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay_ms(1, &api(429, Some(1500)), Idempotency::Create, 0.9), Some(1500));
        assert_eq!(policy.delay_ms(1, &api(429, Some(600_000)), Idempotency::Create, 0.0), Some(60_000));
        let tight = RetryPolicy { max_delay_ms: 2_000, ..policy };
        assert_eq!(tight.delay_ms(2, &api(503, Some(9_000)), Idempotency::Idempotent, 0.0), Some(2_000));
    }

    #[test]
    fn exponential_backoff_with_jitter() {
        let policy = RetryPolicy { max_retries: 5, base_delay_ms: 1000, max_delay_ms: 5000 };
        let err = api(500, None);
        let delays: Vec<_> = (1..=4).map(|r| policy.delay_ms(r, &err, Idempotency::Idempotent, 0.0).unwrap()).collect();
        assert_eq!(delays, [500, 1000, 2000, 2500]);
        let delays: Vec<_> = (1..=4).map(|r| policy.delay_ms(r, &err, Idempotency::Idempotent, 1.0).unwrap()).collect();
        assert_eq!(delays, [1000, 2000, 4000, 5000]);
    }

    #[test]
    fn stops_at_the_cap() {
        let policy = RetryPolicy::default();
        let err = api(503, None);
        assert!(policy.delay_ms(2, &err, Idempotency::Idempotent, 0.5).is_some());
        assert_eq!(policy.delay_ms(3, &err, Idempotency::Idempotent, 0.5), None);
        let none = RetryPolicy { max_retries: 0, ..policy };
        assert_eq!(none.delay_ms(1, &err, Idempotency::Idempotent, 0.5), None);
    }
}
