//! How long each lifecycle phase of a job lasts.

use std::time::Duration;

/// Work of the smallest default job (480x480, 5 s, 1 variant): the unit of `W`.
const UNIT_WORK: f64 = 480.0 * 480.0 * 5.0;
/// Seconds every job takes regardless of size, at speed 1.
const BASE_SECONDS: f64 = 12.0;
/// Seconds per unit of work, at speed 1.
const SECONDS_PER_UNIT: f64 = 18.0;

/// Phase durations of one job (fixed at creation; later speed changes do not affect it), in the
/// order a job goes through them: queued, preprocessing, running, processing.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    pub queued: Duration,
    pub preprocessing: Duration,
    pub running: Duration,
    pub processing: Duration,
}

impl Plan {
    /// Total `(12 + 18 W) / speed` seconds split 15/15/50/20 %, W = w*h*s*n / (480*480*5).
    pub fn new(width: u32, height: u32, seconds: u32, variants: u32, speed: f64) -> Self {
        let work = work_units(width, height, seconds, variants);
        Self::split(BASE_SECONDS + SECONDS_PER_UNIT * work, 0.0, speed)
    }

    /// `seconds` split 15/15/50/20 %, plus `extra_queue` seconds in the queue, all divided by `speed`.
    pub fn split(seconds: f64, extra_queue: f64, speed: f64) -> Self {
        let speed = if speed.is_finite() && speed > 0.0 { speed } else { 1.0 };
        let secs = |s: f64| Duration::from_secs_f64((s / speed).clamp(0.0, 1e9));
        Self {
            queued: secs(seconds * 0.15 + extra_queue),
            preprocessing: secs(seconds * 0.15),
            running: secs(seconds * 0.50),
            processing: secs(seconds * 0.20),
        }
    }

    /// When preprocessing ends, measured from creation.
    pub fn preprocessing_end(&self) -> Duration {
        self.queued + self.preprocessing
    }

    /// When the running phase starts, measured from creation.
    pub fn running_start(&self) -> Duration {
        self.preprocessing_end()
    }

    /// Halfway through the running phase, measured from creation.
    pub fn running_middle(&self) -> Duration {
        self.running_start() + self.running / 2
    }

    /// When the running phase ends, measured from creation.
    pub fn running_end(&self) -> Duration {
        self.running_start() + self.running
    }

    /// When the job may report success, measured from creation.
    pub fn total(&self) -> Duration {
        self.running_end() + self.processing
    }

    /// The non-terminal status after `elapsed` time.
    pub fn phase_at(&self, elapsed: Duration) -> &'static str {
        if elapsed < self.queued {
            "queued"
        } else if elapsed < self.preprocessing_end() {
            "preprocessing"
        } else if elapsed < self.running_end() {
            "running"
        } else {
            "processing"
        }
    }
}

/// Work of a job in units of the smallest default job: `W = w*h*s*n / (480*480*5)`.
pub fn work_units(width: u32, height: u32, seconds: u32, variants: u32) -> f64 {
    f64::from(width) * f64::from(height) * f64::from(seconds) * f64::from(variants) / UNIT_WORK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smallest_job_takes_thirty_seconds() {
        let plan = Plan::new(480, 480, 5, 1, 1.0);
        assert!((plan.total().as_secs_f64() - 30.0).abs() < 0.01);
        assert_eq!(plan.phase_at(Duration::ZERO), "queued");
        assert_eq!(plan.phase_at(Duration::from_secs(1)), "queued");
        assert_eq!(plan.phase_at(Duration::from_secs(5)), "preprocessing");
        assert_eq!(plan.phase_at(Duration::from_secs(20)), "running");
        assert_eq!(plan.phase_at(Duration::from_secs(29)), "processing");
        let big = Plan::new(1920, 1080, 20, 1, 1.0);
        assert!(big.total().as_secs() > 600);
    }
}
