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

/// Learns how long jobs take on this resource.
#[derive(Debug, Clone, PartialEq)]
pub struct DurationEstimator {
    ms_per_unit: f64,
    observed: u32,
}

impl Default for DurationEstimator {
    fn default() -> Self {
        // A first guess of 30 s for a 480x480 5 s job; replaced by observations quickly.
        Self { ms_per_unit: 30_000.0, observed: 0 }
    }
}

impl DurationEstimator {
    /// The expected run time in milliseconds of a job of this shape.
    pub fn estimate_ms(&self, width: u32, height: u32, n_seconds: u32, n_variants: u32) -> u64 {
        (self.ms_per_unit * work_units(width, height, n_seconds, n_variants)).round() as u64
    }

    /// Learn from a job that took `elapsed_ms` from creation to its end.
    pub fn observe(&mut self, width: u32, height: u32, n_seconds: u32, n_variants: u32, elapsed_ms: u64) {
        let units = work_units(width, height, n_seconds, n_variants);
        let sample = elapsed_ms as f64 / units;
        // The first observation replaces the prior outright; later ones are averaged in.
        self.ms_per_unit = if self.observed == 0 { sample } else { 0.5 * self.ms_per_unit + 0.5 * sample };
        self.observed = self.observed.saturating_add(1);
    }

    /// How many finished jobs the estimate is based on.
    pub fn observations(&self) -> u32 {
        self.observed
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
            (min + overdue / 10).min(max)
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
    fn estimator_learns() {
        let mut estimator = DurationEstimator::default();
        assert_eq!(estimator.estimate_ms(480, 480, 5, 1), 30_000);
        estimator.observe(480, 480, 5, 1, 2_000);
        assert_eq!(estimator.estimate_ms(480, 480, 5, 1), 2_000);
        assert_eq!(estimator.estimate_ms(480, 480, 10, 2), 8_000, "scales with work");
        estimator.observe(480, 480, 5, 1, 4_000);
        assert_eq!(estimator.estimate_ms(480, 480, 5, 1), 3_000);
        assert_eq!(estimator.observations(), 2);
    }
}
