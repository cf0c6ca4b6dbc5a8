//! How long jobs take on this resource: a wide guess at first, learned from the jobs seen finishing.
//!
//! The model is `ln(duration) = a + b·ln(work) + noise`, with work = pixels × seconds × variants in
//! units of a 480x480 5 s job. `a` and `b` are fitted by Bayesian linear regression from a prior
//! that is only a guess — no service's figures: a one-unit job takes about a minute, give or take a
//! factor of 10 (95 %), and time grows with work somewhere between not at all and linearly. The
//! noise (in log-time) starts at a guessed 0.3 and is re-estimated from the fit's residuals.
//!
//! The poll schedule follows from the forecast: the gap to the next poll is the one that balances
//! a poll's cost against the expected detection delay, `gap = √(2·c / hazard)` (Keller's optimal
//! inspection density), so polls are sparse while the job is unlikely to end and dense where it is.

use crate::poll::PollOptions;

/// Pixels x seconds x variants of a 480x480, 5 s, 1-variant job: one "unit" of work.
const UNIT_WORK: f64 = 480.0 * 480.0 * 5.0;
/// Prior: ln(ms) of a one-unit job (60 s) and its standard deviation (×/÷ 10 at 95 %).
const PRIOR_LOG_MS: f64 = 11.002_1;
const PRIOR_LOG_SPREAD: f64 = 1.2;
/// Prior: the exponent of work (0.5) and its standard deviation.
const PRIOR_EXPONENT: f64 = 0.5;
const PRIOR_EXPONENT_SPREAD: f64 = 0.35;
/// Prior: the noise in log-time, worth this many observations.
const PRIOR_NOISE: f64 = 0.3;
const PRIOR_NOISE_WEIGHT: f64 = 1.0;
/// The forecast's spread never goes below this (timestamps are whole seconds; services vary).
const MIN_SPREAD: f64 = 0.03;
/// What one poll is worth, in milliseconds of detection delay.
const POLL_COST_MS: f64 = 700.0;
/// Durations below this are read as this (ln must stay finite).
const MIN_DURATION_MS: f64 = 100.0;

/// Learns how long jobs take on this resource, and plans when to poll them.
///
/// Its state is six running sums over the finished jobs seen ([`DurationEstimator::to_parts`]),
/// so an app can keep what it learned ([`DurationEstimator::from_parts`], `Client::set_estimator`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DurationEstimator {
    /// n, Σx, Σy, Σx², Σxy, Σy² with x = ln(work units), y = ln(ms).
    sums: [f64; 6],
}

/// A forecast of a job's run time: ln(ms) is normal with this mean and spread.
#[derive(Debug, Clone, Copy)]
struct Forecast {
    mean: f64,
    spread: f64,
}

impl DurationEstimator {
    /// The median expected run time in milliseconds of a job of this shape.
    pub fn estimate_ms(&self, width: u32, height: u32, n_seconds: u32, n_variants: u32) -> u64 {
        let forecast = self.forecast(work_units(width, height, n_seconds, n_variants));
        forecast.mean.exp().round().clamp(0.0, 1e15) as u64
    }

    /// Learn from a job that took `elapsed_ms` from creation to its end.
    pub fn observe(&mut self, width: u32, height: u32, n_seconds: u32, n_variants: u32, elapsed_ms: u64) {
        let x = work_units(width, height, n_seconds, n_variants).ln();
        let y = (elapsed_ms as f64).max(MIN_DURATION_MS).ln();
        for (sum, add) in self.sums.iter_mut().zip([1.0, x, y, x * x, x * y, y * y]) {
            *sum += add;
        }
    }

    /// How many finished jobs the estimate is based on.
    pub fn observations(&self) -> u32 {
        self.sums[0] as u32
    }

    /// The gap in milliseconds before the next poll of a job of this shape that is `age_ms` old
    /// and not finished, within the options' minimum and maximum interval.
    pub fn next_poll_ms(
        &self,
        width: u32,
        height: u32,
        n_seconds: u32,
        n_variants: u32,
        age_ms: u64,
        options: &PollOptions,
    ) -> u64 {
        let min = options.min_interval_ms.max(1);
        let max = options.max_interval_ms.max(min);
        let forecast = self.forecast(work_units(width, height, n_seconds, n_variants));
        let age = age_ms as f64;
        // A gap is affordable while the chance of the job ending inside it stays small.
        let affordable = |gap: u64| {
            let gap = gap as f64;
            gap * gap * forecast.hazard(age + gap) <= 2.0 * POLL_COST_MS
        };
        if !affordable(min) {
            return min;
        }
        if affordable(max) {
            return max;
        }
        let (mut low, mut high) = (min, max);
        while high - low > 50 {
            let middle = low + (high - low) / 2;
            if affordable(middle) { low = middle } else { high = middle }
        }
        low
    }

    /// What was learned, to keep: n, Σx, Σy, Σx², Σxy, Σy² (x = ln work units, y = ln ms).
    pub fn to_parts(&self) -> [f64; 6] {
        self.sums
    }

    /// An estimator from kept [`DurationEstimator::to_parts`]; `None` when they cannot be such sums.
    pub fn from_parts(parts: [f64; 6]) -> Option<Self> {
        let [n, sx, sy, sxx, sxy, syy] = parts;
        let sane = parts.iter().all(|p| p.is_finite())
            && n >= 0.0
            && sxx >= 0.0
            && syy >= 0.0
            // Cauchy–Schwarz, with room for rounding.
            && sx * sx <= n * sxx * (1.0 + 1e-9) + 1e-9
            && sy * sy <= n * syy * (1.0 + 1e-9) + 1e-9
            && sxy * sxy <= sxx * syy * (1.0 + 1e-9) + 1e-9;
        sane.then_some(Self { sums: parts })
    }

    /// The forecast for `work` units: posterior mean of ln(ms) and the predictive spread.
    fn forecast(&self, work: f64) -> Forecast {
        let [n, sx, sy, sxx, sxy, syy] = self.sums;
        let (pa, pb) = (PRIOR_LOG_SPREAD.powi(-2), PRIOR_EXPONENT_SPREAD.powi(-2));
        let mut noise = PRIOR_NOISE * PRIOR_NOISE;
        let (mut a, mut b, mut cov) = (PRIOR_LOG_MS, PRIOR_EXPONENT, [1.0 / pa, 0.0, 1.0 / pb]);
        // The noise depends on the fit and the fit on the noise: a few rounds settle both.
        for _ in 0..3 {
            let (l11, l12, l22) = (pa + n / noise, sx / noise, pb + sxx / noise);
            let (r1, r2) = (pa * PRIOR_LOG_MS + sy / noise, pb * PRIOR_EXPONENT + sxy / noise);
            let det = l11 * l22 - l12 * l12;
            if !(det.is_finite() && det > 0.0) {
                break;
            }
            (a, b) = ((l22 * r1 - l12 * r2) / det, (l11 * r2 - l12 * r1) / det);
            cov = [l22 / det, -l12 / det, l11 / det];
            let residuals = syy - 2.0 * a * sy - 2.0 * b * sxy + n * a * a + 2.0 * a * b * sx + b * b * sxx;
            noise = (PRIOR_NOISE_WEIGHT * PRIOR_NOISE * PRIOR_NOISE + residuals.max(0.0)) / (PRIOR_NOISE_WEIGHT + n);
        }
        let x = work.ln();
        let variance = cov[0] + 2.0 * cov[1] * x + cov[2] * x * x + noise;
        Forecast { mean: a + b * x, spread: variance.max(0.0).sqrt().max(MIN_SPREAD) }
    }
}

impl Forecast {
    /// The chance per millisecond that a job still running at `t_ms` ends right then.
    fn hazard(&self, t_ms: f64) -> f64 {
        if t_ms <= 0.0 {
            return 0.0;
        }
        let z = (t_ms.ln() - self.mean) / self.spread;
        mills_inverse(z) / (t_ms * self.spread)
    }
}

/// φ(z) / (1 − Φ(z)) for the standard normal, without underflow in the far tail.
fn mills_inverse(z: f64) -> f64 {
    const SQRT_2PI: f64 = 2.506_628_274_631_000_2;
    // Numerical Recipes' erfc: 0.5·erfc(z/√2) = 0.5·t·exp(−z²/2 + p(t)), fractional error < 1.2e-7.
    let u = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * u);
    let p = -1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    if z >= 0.0 {
        // φ(z) / (0.5·t·exp(−z²/2 + p)): the exp(−z²/2) cancels.
        2.0 / (SQRT_2PI * t * p.exp())
    } else {
        let density = (-0.5 * z * z).exp() / SQRT_2PI;
        density / (1.0 - 0.5 * t * (-u * u + p).exp())
    }
}

pub(crate) fn work_units(width: u32, height: u32, n_seconds: u32, n_variants: u32) -> f64 {
    let work = f64::from(width) * f64::from(height) * f64::from(n_seconds.max(1)) * f64::from(n_variants.max(1));
    (work / UNIT_WORK).max(0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shapes of a mixed workload: (width, height, seconds, variants).
    const SHAPES: [(u32, u32, u32, u32); 6] = [
        (480, 480, 5, 1),
        (854, 480, 10, 1),
        (1280, 720, 5, 1),
        (480, 480, 2, 2),
        (1080, 1080, 3, 1),
        (720, 1280, 8, 1),
    ];

    /// A service's run time for a shape: `base + per_unit × work`, times `jitter`.
    fn service_ms(shape: (u32, u32, u32, u32), base: f64, per_unit: f64, jitter: f64) -> u64 {
        let (w, h, s, v) = shape;
        ((base + per_unit * work_units(w, h, s, v)) * jitter) as u64
    }

    /// A repeatable jitter factor in 1 ± `amount` (a small LCG: the test needs no crate).
    fn jitters(amount: f64) -> impl FnMut() -> f64 {
        let mut state = 0x2545_f491_u64;
        move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            1.0 + amount * (2.0 * ((state >> 11) as f64 / (1u64 << 53) as f64) - 1.0)
        }
    }

    /// Poll one job that really takes `actual_ms` on a fake clock; returns (polls, detection delay).
    fn wait(estimator: &DurationEstimator, shape: (u32, u32, u32, u32), actual_ms: u64) -> (u64, u64) {
        let (w, h, s, v) = shape;
        let (mut now, mut polls) = (0, 0);
        loop {
            now += estimator.next_poll_ms(w, h, s, v, now, &PollOptions::default());
            polls += 1;
            if now >= actual_ms {
                return (polls, now - actual_ms);
            }
        }
    }

    /// Fixed-interval polling of the same jobs: (polls per job, mean delay).
    fn fixed(actual: &[u64], interval: u64) -> (f64, f64) {
        let polls: Vec<u64> = actual.iter().map(|a| a.div_ceil(interval).max(1)).collect();
        let delay: u64 = actual.iter().zip(&polls).map(|(a, p)| p * interval - a).sum();
        (polls.iter().sum::<u64>() as f64 / actual.len() as f64, delay as f64 / actual.len() as f64)
    }

    #[test]
    fn the_prior_is_a_wide_guess() {
        let estimator = DurationEstimator::default();
        assert_eq!(estimator.observations(), 0);
        assert_eq!(estimator.estimate_ms(480, 480, 5, 1), 60_000, "a one-unit job: about a minute");
        let forecast = estimator.forecast(1.0);
        assert!(forecast.spread > 1.0, "×/÷ e at one standard deviation: {}", forecast.spread);
        // Bigger jobs are expected to take longer, sublinearly.
        let big = estimator.estimate_ms(1920, 1080, 20, 1);
        assert!((300_000..450_000).contains(&big), "{big}");
        // Unsure of the end, the first gap is neither a 1 s poll nor the full 20 s.
        let first = estimator.next_poll_ms(480, 480, 5, 1, 0, &PollOptions::default());
        assert!((3_000..20_000).contains(&first), "{first}");
    }

    #[test]
    fn learns_a_service_ten_times_faster_from_a_few_jobs() {
        let mut estimator = DurationEstimator::default();
        for shape in SHAPES.iter().take(4) {
            estimator.observe(shape.0, shape.1, shape.2, shape.3, service_ms(*shape, 2_000.0, 4_000.0, 1.0));
        }
        for shape in [(1080, 1080, 3, 1), (720, 1280, 8, 1), (854, 480, 5, 1)] {
            let truth = service_ms(shape, 2_000.0, 4_000.0, 1.0) as f64;
            let estimate = estimator.estimate_ms(shape.0, shape.1, shape.2, shape.3) as f64;
            assert!((estimate - truth).abs() / truth < 0.15, "{shape:?}: {estimate} vs {truth}");
        }
        assert_eq!(estimator.observations(), 4);
    }

    #[test]
    fn learns_how_much_run_times_vary() {
        let (mut steady, mut noisy, mut jitter) =
            (DurationEstimator::default(), DurationEstimator::default(), jitters(0.5));
        for _ in 0..5 {
            for shape in SHAPES {
                steady.observe(shape.0, shape.1, shape.2, shape.3, service_ms(shape, 8_000.0, 5_000.0, 1.0));
                noisy.observe(shape.0, shape.1, shape.2, shape.3, service_ms(shape, 8_000.0, 5_000.0, jitter()));
            }
        }
        let (steady_spread, noisy_spread) = (steady.forecast(1.0).spread, noisy.forecast(1.0).spread);
        assert!(steady_spread < 0.1 && noisy_spread > 0.15, "{steady_spread} vs {noisy_spread}");
        // Half-way through a 13 s job: a steady service is waited out longer than a noisy one.
        let plan = |e: &DurationEstimator| e.next_poll_ms(480, 480, 5, 1, 6_500, &PollOptions::default());
        assert!(plan(&steady) * 2 > plan(&noisy) * 3, "{} vs {}", plan(&steady), plan(&noisy));
    }

    /// Learning on a fake clock: after the first jobs, fewer polls than fixed 5 s polling and less
    /// delay than the fixed interval that costs as many polls.
    fn beats_fixed_polling(base: f64, per_unit: f64, jitter_amount: f64) {
        let mut estimator = DurationEstimator::default();
        let mut jitter = jitters(jitter_amount);
        let (mut polls, mut delay, mut actual) = (0, 0, Vec::new());
        for round in 0..6 {
            for shape in SHAPES {
                let truth = service_ms(shape, base, per_unit, jitter());
                let (p, d) = wait(&estimator, shape, truth);
                // The service's timestamps are whole seconds.
                estimator.observe(shape.0, shape.1, shape.2, shape.3, truth / 1000 * 1000);
                if round > 0 {
                    (polls, delay) = (polls + p, delay + d);
                    actual.push(truth);
                }
            }
        }
        let jobs = actual.len() as f64;
        let (polls, delay) = (polls as f64 / jobs, delay as f64 / jobs);
        assert!(polls < fixed(&actual, 5_000).0, "{polls} polls per job vs fixed 5 s {:?}", fixed(&actual, 5_000));
        // The fixed interval making as many polls: the shortest one making no more.
        let interval = (100..60_000).step_by(50).find(|i| fixed(&actual, *i).0 <= polls).unwrap_or(60_000);
        let (_, fixed_delay) = fixed(&actual, interval);
        assert!(delay < fixed_delay, "{delay} ms vs {fixed_delay} ms at fixed {interval} ms ({polls} polls)");
    }

    #[test]
    fn beats_fixed_polling_on_a_steady_slow_service() {
        beats_fixed_polling(12_000.0, 18_000.0, 0.0);
    }

    #[test]
    fn beats_fixed_polling_on_a_steady_fast_service() {
        beats_fixed_polling(8_000.0, 5_200.0, 0.0);
    }

    #[test]
    fn beats_fixed_polling_on_a_noisy_service() {
        beats_fixed_polling(8_000.0, 5_200.0, 0.5);
    }

    #[test]
    fn parts_round_trip_and_nonsense_is_refused() {
        let mut estimator = DurationEstimator::default();
        estimator.observe(480, 480, 5, 1, 20_000);
        estimator.observe(1280, 720, 5, 1, 40_000);
        let kept = DurationEstimator::from_parts(estimator.to_parts()).expect("valid parts");
        assert_eq!(kept, estimator);
        assert_eq!(kept.estimate_ms(720, 720, 5, 1), estimator.estimate_ms(720, 720, 5, 1));
        assert_eq!(DurationEstimator::from_parts([0.0; 6]), Some(DurationEstimator::default()));
        for bad in
            [[f64::NAN, 0.0, 0.0, 0.0, 0.0, 0.0], [-1.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 5.0, 0.0, 1.0, 0.0, 0.0]]
        {
            assert_eq!(DurationEstimator::from_parts(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_normal_tail_ratio_is_right_everywhere() {
        let close = |a: f64, b: f64| (a - b).abs() / b < 1e-5;
        assert!(close(mills_inverse(0.0), 0.797_884_6), "{}", mills_inverse(0.0));
        assert!(close(mills_inverse(2.0), 2.373_215_5), "{}", mills_inverse(2.0));
        assert!(close(mills_inverse(-2.0), 0.055_247_8), "{}", mills_inverse(-2.0));
        // Far in the tail the ratio tends to z + 1/z; nothing underflows.
        assert!((mills_inverse(40.0) - 40.025).abs() < 0.01, "{}", mills_inverse(40.0));
        assert!(mills_inverse(-40.0) >= 0.0);
    }
}
