//! When to poll a running job: rarely early on, densely near its expected end.
//!
//! A job's run time grows with pixels x seconds x variants. The schedule estimates it from that work
//! (refined by the jobs this client has seen finish), sleeps through most of it, and polls at the
//! minimum interval around the expected end: fewer requests than fixed 1 s polling and a shorter
//! detection delay than fixed 5 s polling.

/// Pixels x seconds x variants of a 480x480, 5 s, 1-variant job: one "unit" of work.
const UNIT_WORK: f64 = 480.0 * 480.0 * 5.0;

/// Poll timing settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollOptions {
    /// Shortest gap between two polls of one job (default 1 s).
    pub min_interval_ms: u64,
    /// Longest gap between two polls of one job (default 20 s).
    pub max_interval_ms: u64,
    /// Share of the remaining expected time to sleep in one go (default 0.5).
    pub remaining_fraction: f64,
}

impl Default for PollOptions {
    fn default() -> Self {
        Self { min_interval_ms: 1_000, max_interval_ms: 20_000, remaining_fraction: 0.5 }
    }
}

/// Learns how long jobs take on this resource: a fixed overhead plus a cost per unit of work.
///
/// Fitted by least squares over the jobs seen finishing, starting from a prior of 12 s + 18 s per
/// unit (30 s for a 480x480 5 s job); the prior counts as two pseudo-observations so that one odd
/// job cannot swing the estimate far, while a few real ones dominate quickly.
#[derive(Debug, Clone, PartialEq)]
pub struct DurationEstimator {
    /// Running sums for the regression: n, Σw, Σd, Σw², Σwd (w in units, d in ms).
    n: f64,
    sum_w: f64,
    sum_d: f64,
    sum_ww: f64,
    sum_wd: f64,
    observed: u32,
}

const PRIOR_BASE_MS: f64 = 12_000.0;
const PRIOR_MS_PER_UNIT: f64 = 18_000.0;

impl Default for DurationEstimator {
    fn default() -> Self {
        let mut estimator = Self { n: 0.0, sum_w: 0.0, sum_d: 0.0, sum_ww: 0.0, sum_wd: 0.0, observed: 0 };
        // Two pseudo-observations on the prior line give it a slope and an intercept.
        for w in [0.2, 2.0] {
            estimator.add(w, PRIOR_BASE_MS + PRIOR_MS_PER_UNIT * w);
        }
        estimator
    }
}

impl DurationEstimator {
    /// The expected run time in milliseconds of a job of this shape.
    pub fn estimate_ms(&self, width: u32, height: u32, n_seconds: u32, n_variants: u32) -> u64 {
        let (base, per_unit) = self.line();
        (base + per_unit * work_units(width, height, n_seconds, n_variants)).round().max(0.0) as u64
    }

    /// Learn from a job that took `elapsed_ms` from creation to its end.
    pub fn observe(&mut self, width: u32, height: u32, n_seconds: u32, n_variants: u32, elapsed_ms: u64) {
        if self.observed == 0 {
            // The first real job re-scales the prior line through it, so a service that is uniformly
            // faster or slower than the guess is matched at once.
            let w = work_units(width, height, n_seconds, n_variants);
            let scale = elapsed_ms as f64 / (PRIOR_BASE_MS + PRIOR_MS_PER_UNIT * w);
            *self = Self { n: 0.0, sum_w: 0.0, sum_d: 0.0, sum_ww: 0.0, sum_wd: 0.0, observed: 0 };
            for prior_w in [0.2, 2.0] {
                self.add(prior_w, scale * (PRIOR_BASE_MS + PRIOR_MS_PER_UNIT * prior_w));
            }
        }
        self.add(work_units(width, height, n_seconds, n_variants), elapsed_ms as f64);
        self.observed = self.observed.saturating_add(1);
    }

    /// How many finished jobs the estimate is based on.
    pub fn observations(&self) -> u32 {
        self.observed
    }

    fn add(&mut self, w: f64, d: f64) {
        self.n += 1.0;
        self.sum_w += w;
        self.sum_d += d;
        self.sum_ww += w * w;
        self.sum_wd += w * d;
    }

    /// Intercept and slope of the fitted line, never negative.
    fn line(&self) -> (f64, f64) {
        let spread = self.n * self.sum_ww - self.sum_w * self.sum_w;
        let slope = if spread.abs() > 1e-9 { (self.n * self.sum_wd - self.sum_w * self.sum_d) / spread } else { 0.0 };
        let slope = slope.max(0.0);
        let base = ((self.sum_d - slope * self.sum_w) / self.n.max(1.0)).max(0.0);
        (base, slope)
    }
}

fn work_units(width: u32, height: u32, n_seconds: u32, n_variants: u32) -> f64 {
    let work = f64::from(width) * f64::from(height) * f64::from(n_seconds.max(1)) * f64::from(n_variants.max(1));
    (work / UNIT_WORK).max(0.05)
}

impl PollOptions {
    /// How long to wait before the next poll.
    ///
    /// `elapsed_ms` is how long the job has run, `estimate_ms` its expected run time, and
    /// `retry_after_ms` a wait the service asked for, which is always honoured.
    pub fn next_delay_ms(&self, elapsed_ms: u64, estimate_ms: u64, retry_after_ms: Option<u64>) -> u64 {
        let min = self.min_interval_ms.max(1);
        let max = self.max_interval_ms.max(min);
        let planned = if elapsed_ms < estimate_ms {
            let remaining = (estimate_ms - elapsed_ms) as f64;
            ((remaining * self.remaining_fraction.clamp(0.05, 1.0)) as u64).clamp(min, max)
        } else {
            // Overdue: the estimate was short. Back off gently so a long job is not hammered.
            let overdue = elapsed_ms - estimate_ms;
            min.saturating_add(overdue / 10).min(max)
        };
        planned.max(retry_after_ms.unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Simulate polling a job that really takes `actual_ms`; returns (polls, detection delay).
    fn simulate(options: &PollOptions, estimate_ms: u64, actual_ms: u64) -> (u32, u64) {
        let (mut now, mut polls) = (0, 0);
        loop {
            now += options.next_delay_ms(now, estimate_ms, None);
            polls += 1;
            if now >= actual_ms {
                return (polls, now - actual_ms);
            }
        }
    }

    #[test]
    fn sparse_early_dense_late() {
        let options = PollOptions::default();
        assert_eq!(options.next_delay_ms(0, 30_000, None), 15_000);
        assert_eq!(options.next_delay_ms(28_000, 30_000, None), 1_000);
        assert_eq!(options.next_delay_ms(0, 100_000, None), 20_000, "capped at max");
        assert_eq!(options.next_delay_ms(30_000, 30_000, None), 1_000);
        assert_eq!(options.next_delay_ms(60_000, 30_000, None), 4_000, "backs off when overdue");
        assert_eq!(options.next_delay_ms(0, 30_000, Some(25_000)), 25_000, "hint honoured");
    }

    #[test]
    fn beats_fixed_intervals_when_the_estimate_is_right() {
        let options = PollOptions::default();
        let (polls, delay) = simulate(&options, 30_000, 30_000);
        let fixed_1s = 30;
        assert!(polls < fixed_1s / 3, "{polls} polls");
        assert!(delay <= 1_000, "{delay} ms late; fixed 5 s polling averages 2.5 s");
    }

    #[test]
    fn stays_reasonable_when_the_estimate_is_wrong() {
        let options = PollOptions::default();
        let (polls, delay) = simulate(&options, 30_000, 90_000);
        assert!(polls < 40 && delay <= 7_000, "{polls} polls, {delay} ms late");
        let (polls, delay) = simulate(&options, 60_000, 20_000);
        assert!(polls <= 3 && delay <= 20_000, "{polls} polls, {delay} ms late");
    }

    #[test]
    fn estimator_starts_from_the_prior_and_rescales_on_the_first_job() {
        let mut estimator = DurationEstimator::default();
        assert_eq!(estimator.estimate_ms(480, 480, 5, 1), 30_000);
        assert_eq!(estimator.estimate_ms(480, 480, 10, 2), 84_000, "12 s + 18 s per unit of work");
        estimator.observe(480, 480, 5, 1, 3_000);
        assert_eq!(estimator.estimate_ms(480, 480, 5, 1), 3_000, "a 10x faster service is matched at once");
        assert_eq!(estimator.estimate_ms(480, 480, 10, 2), 8_400);
        assert_eq!(estimator.observations(), 1);
    }

    #[test]
    fn estimator_fits_overhead_and_slope() {
        // A service taking 5 s + 10 s per unit.
        let mut estimator = DurationEstimator::default();
        for (w, h, s, v) in [(480, 480, 5, 1), (1280, 720, 5, 1), (480, 480, 2, 2), (1920, 1080, 10, 1), (854, 480, 10, 1)] {
            let units = f64::from(w * h * s * v) / (480.0 * 480.0 * 5.0);
            estimator.observe(w, h, s, v, (5_000.0 + 10_000.0 * units) as u64);
        }
        for (w, h, s, v) in [(720, 720, 8, 2), (480, 854, 3, 1)] {
            let units = f64::from(w * h * s * v) / (480.0 * 480.0 * 5.0);
            let truth = 5_000.0 + 10_000.0 * units;
            let estimate = estimator.estimate_ms(w, h, s, v) as f64;
            assert!((estimate - truth).abs() / truth < 0.1, "{w}x{h} {s}s x{v}: {estimate} vs {truth}");
        }
    }
}
