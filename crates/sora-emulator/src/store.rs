//! The in-memory job store with its generation index: jobs API jobs and Videos API videos alike.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use crate::job::{Generation, Job};

/// All live jobs, keyed by id (ids sort by creation time, so the map is in creation order).
#[derive(Debug, Default)]
pub struct Store {
    jobs: BTreeMap<String, Job>,
    /// generation id -> job id.
    generations: HashMap<String, String>,
}

impl Store {
    /// Adds a new job.
    pub fn insert(&mut self, job: Job) {
        self.jobs.insert(job.id.clone(), job);
    }

    /// A job that exists and has not expired.
    pub fn get(&self, id: &str, now_ms: u64) -> Option<&Job> {
        self.jobs.get(id).filter(|job| !job.is_expired(now_ms))
    }

    /// A live job of the jobs API (never a Videos API video).
    pub fn job(&self, id: &str, now_ms: u64) -> Option<&Job> {
        self.get(id, now_ms).filter(|job| !job.is_video())
    }

    /// A live video of the Videos API (never a jobs API job).
    pub fn video(&self, id: &str, now_ms: u64) -> Option<&Job> {
        self.get(id, now_ms).filter(|job| job.is_video())
    }

    /// Mutable access to a job, expired or not (for the lifecycle driver).
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Job> {
        self.jobs.get_mut(id)
    }

    /// Indexes the generations of a job that just succeeded.
    pub fn index_generations(&mut self, job_id: &str, generations: &[Generation]) {
        for generation in generations {
            self.generations.insert(generation.id.clone(), job_id.to_owned());
        }
    }

    /// A live generation of a jobs API job, together with its job (a video's content is reached
    /// only through the Videos API).
    pub fn generation(&self, id: &str, now_ms: u64) -> Option<(&Job, &Generation)> {
        let job = self.job(self.generations.get(id)?, now_ms)?;
        let generation = job.generations().iter().find(|g| g.id == id)?;
        Some((job, generation))
    }

    /// Removes a job (cancelling its driver) and its generations.
    pub fn remove(&mut self, id: &str) -> Option<Job> {
        let job = self.jobs.remove(id)?;
        if let Some(driver) = &job.driver {
            driver.abort();
        }
        for generation in job.generations() {
            self.generations.remove(&generation.id);
        }
        Some(job)
    }

    /// Drops every job (cancelling drivers).
    pub fn clear(&mut self) {
        let ids: Vec<String> = self.jobs.keys().cloned().collect();
        for id in ids {
            self.remove(&id);
        }
    }

    /// Every stored job, expired or not, oldest first (for the state file).
    pub fn all(&self) -> impl Iterator<Item = &Job> {
        self.jobs.values()
    }

    /// Drops jobs past their expiry; returns whether any was dropped.
    pub fn purge_expired(&mut self, now_ms: u64) -> bool {
        let expired: Vec<String> =
            self.jobs.values().filter(|job| job.is_expired(now_ms)).map(|job| job.id.clone()).collect();
        let any = !expired.is_empty();
        for id in expired {
            self.remove(&id);
        }
        any
    }

    /// Live jobs, newest first.
    pub fn newest_first(&self, now_ms: u64) -> impl Iterator<Item = &Job> {
        self.jobs.values().rev().filter(move |job| !job.is_expired(now_ms))
    }

    /// How many jobs are not yet terminal.
    pub fn pending_count(&self) -> usize {
        self.jobs.values().filter(|job| job.is_pending()).count()
    }

    /// Estimated time until the first pending job ends (for `Retry-After`).
    pub fn time_until_slot_frees(&self) -> Duration {
        self.jobs
            .values()
            .filter(|job| job.is_pending())
            .map(|job| job.plan.total().saturating_sub(job.started.elapsed()))
            .min()
            .unwrap_or_default()
    }
}
