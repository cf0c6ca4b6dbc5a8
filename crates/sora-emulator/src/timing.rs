//! Timing profiles (`--timing`): how long jobs take, from the emulator's own model to a noisy service.

use std::sync::Mutex;

use clap::ValueEnum;
use serde::Serialize;

use crate::plan::{Plan, work_units};
use crate::sync::lock;

/// Which timing model new jobs follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimingProfile {
    /// `12 s + 18 s × W`, exactly (a 480x480 5 s job: 30 s; 1080x1080 5 s: 103 s).
    #[default]
    Default,
    /// Near a public transcript of the real service: `8 s + 5.2 s × W`, exactly
    /// (1080x1080 5 s: 34 s; 480x480 5 s: 13 s; 1920x1080 20 s: 195 s).
    Fast,
    /// The fast model with ±50 % uniform jitter, a queue wait drawn from an exponential
    /// distribution (mean 10 s, at most 120 s), and one job in 20 taking 3 × its time longer.
    Noisy,
}

/// Fast and noisy profiles: seconds every job takes.
const FAST_BASE_SECONDS: f64 = 8.0;
/// Fast and noisy profiles: seconds per unit of work.
const FAST_SECONDS_PER_UNIT: f64 = 5.2;
/// Noisy profile: the total is multiplied by a factor drawn from 1 ± this.
pub const NOISY_JITTER: f64 = 0.5;
/// Noisy profile: mean of the extra queue wait, in seconds.
pub const NOISY_QUEUE_MEAN_SECONDS: f64 = 10.0;
/// Noisy profile: the longest extra queue wait, in seconds.
pub const NOISY_QUEUE_MAX_SECONDS: f64 = 120.0;
/// Noisy profile: the share of jobs in the long tail.
pub const NOISY_TAIL_SHARE: f64 = 0.05;
/// Noisy profile: a tail job takes this many times its (unjittered) time more.
pub const NOISY_TAIL_EXTRA: f64 = 3.0;

/// The profile and, for the noisy one, its seeded random numbers (same seed, same job order: same
/// timings).
#[derive(Debug)]
pub struct Timing {
    pub profile: TimingProfile,
    rng: Mutex<fastrand::Rng>,
}

impl Timing {
    /// A profile whose random draws start from `seed`.
    pub fn new(profile: TimingProfile, seed: u64) -> Self {
        Self { profile, rng: Mutex::new(fastrand::Rng::with_seed(seed)) }
    }

    /// The phase durations of a new job of this shape, at `speed`.
    pub fn plan(&self, width: u32, height: u32, seconds: u32, variants: u32, speed: f64) -> Plan {
        let work = work_units(width, height, seconds, variants);
        match self.profile {
            TimingProfile::Default => Plan::new(width, height, seconds, variants, speed),
            TimingProfile::Fast => Plan::split(fast_seconds(work), 0.0, speed),
            TimingProfile::Noisy => {
                let mut rng = lock(&self.rng);
                let base = fast_seconds(work);
                let jitter = 1.0 + NOISY_JITTER * (2.0 * rng.f64() - 1.0);
                // Inverse transform of an exponential; 1 - u is in (0, 1], so ln is finite.
                let queue = (-NOISY_QUEUE_MEAN_SECONDS * (1.0 - rng.f64()).ln()).min(NOISY_QUEUE_MAX_SECONDS);
                let tail = if rng.f64() < NOISY_TAIL_SHARE { NOISY_TAIL_EXTRA * base } else { 0.0 };
                Plan::split(base * jitter + tail, queue, speed)
            }
        }
    }
}

/// The fast profile's total seconds for `work` units.
fn fast_seconds(work: f64) -> f64 {
    FAST_BASE_SECONDS + FAST_SECONDS_PER_UNIT * work
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(timing: &Timing, w: u32, h: u32, s: u32, v: u32) -> f64 {
        timing.plan(w, h, s, v, 1.0).total().as_secs_f64()
    }

    #[test]
    fn default_is_the_emulator_model() {
        let timing = Timing::new(TimingProfile::Default, 1);
        assert!((total(&timing, 480, 480, 5, 1) - 30.0).abs() < 0.01);
        assert!((total(&timing, 1080, 1080, 5, 1) - 103.1).abs() < 0.1);
    }

    #[test]
    fn fast_matches_the_transcript() {
        let timing = Timing::new(TimingProfile::Fast, 1);
        // The transcript: a 1080x1080 5 s job done in 34 s.
        let square = total(&timing, 1080, 1080, 5, 1);
        assert!((32.0..=36.0).contains(&square), "{square}");
        assert!((total(&timing, 480, 480, 5, 1) - 13.2).abs() < 0.01);
        let plan = timing.plan(480, 480, 5, 1, 2.0);
        assert!((plan.total().as_secs_f64() - 6.6).abs() < 0.01, "speed divides");
    }

    #[test]
    fn noisy_stays_in_its_range_and_repeats_with_its_seed() {
        let draw = |seed| {
            let timing = Timing::new(TimingProfile::Noisy, seed);
            (0..400).map(|_| timing.plan(480, 480, 5, 1, 1.0)).collect::<Vec<_>>()
        };
        let seconds = |plans: &[Plan]| plans.iter().map(|p| p.total().as_secs_f64()).collect::<Vec<_>>();
        let (a, b, c) = (draw(7), draw(7), draw(8));
        assert_eq!(seconds(&a), seconds(&b), "the same seed gives the same timings");
        assert_ne!(seconds(&a), seconds(&c));
        let base = fast_seconds(1.0);
        let totals = seconds(&a);
        let (low, high) = (base * 0.5, base * 1.5 + NOISY_QUEUE_MAX_SECONDS + 3.0 * base);
        assert!(totals.iter().all(|t| (low..=high).contains(t)), "{totals:?}");
        // Without the queue wait, a job's running phase is half its jittered time: at most
        // 0.75 base, and at least 1.75 base in the tail.
        let tails = a.iter().filter(|p| p.running.as_secs_f64() > base).count();
        assert!((5..=40).contains(&tails), "{tails} long-tail jobs of 400");
        let waits: Vec<f64> = a.iter().map(|p| p.queued.as_secs_f64() - p.preprocessing.as_secs_f64()).collect();
        let mean_wait = waits.iter().sum::<f64>() / waits.len() as f64;
        assert!((7.0..=13.0).contains(&mean_wait), "queue wait {mean_wait} s on average");
        let fastest = totals.iter().cloned().fold(f64::MAX, f64::min);
        let slowest = totals.iter().cloned().fold(0.0, f64::max);
        assert!(fastest < base * 0.8 && slowest > base * 3.0, "{fastest}..{slowest}");
    }
}
