//! Poll timing settings, and the simple fraction-of-the-remaining-time rule.
//!
//! `wait_for_job` plans its polls with [`crate::DurationEstimator::next_poll_ms`], which weighs the
//! learned spread of run times; [`PollOptions::next_delay_ms`] is the rule for a known estimate.

/// Poll timing settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PollOptions {
    /// Shortest gap between two polls of one job (default 1 s).
    pub min_interval_ms: u64,
    /// Longest gap between two polls of one job (default 20 s).
    pub max_interval_ms: u64,
    /// Share of the remaining expected time to sleep in one go (default 0.5), for
    /// [`PollOptions::next_delay_ms`]; `wait_for_job` plans from the learned forecast instead.
    pub remaining_fraction: f64,
}

impl Default for PollOptions {
    fn default() -> Self {
        Self { min_interval_ms: 1_000, max_interval_ms: 20_000, remaining_fraction: 0.5 }
    }
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
}
