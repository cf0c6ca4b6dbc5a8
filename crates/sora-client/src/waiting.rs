//! Waiting for jobs: the slot queue, ETA-aware polling, progress reports, and clean-up on abort.

use crate::client::{Client, Deadline};
use crate::error::Error;
use crate::request::CreateVideoRequest;
use crate::transport::Transport;
use crate::types::{JobStatus, VideoGenerationJob};

/// A snapshot reported while a job is queued or running.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// `None` while the job waits for a free slot and has not been submitted.
    pub job_id: Option<String>,
    /// `None` while waiting for a slot.
    pub status: Option<JobStatus>,
    /// How many submissions are ahead of this one; 0 once submitted.
    pub queue_position: usize,
    /// Milliseconds since the wait began.
    pub elapsed_ms: u64,
    /// The expected remaining run time, when there is an estimate.
    pub estimated_remaining_ms: Option<u64>,
    /// How much is done, 0 to 100, when the server says (the Videos API's `progress`).
    pub percent: Option<u32>,
}

/// How to wait for a job.
#[derive(Default)]
pub struct WaitOptions<'a> {
    /// Give up with [`Error::Timeout`] after this long (the job keeps running on the service).
    pub max_wait_ms: Option<u64>,
    /// Called on every status change and every poll.
    pub on_progress: Option<&'a dyn Fn(&Progress)>,
    /// When the wait is aborted, also delete the job on the service.
    pub delete_on_abort: bool,
}

impl<T: Transport> Client<T> {
    /// Wait for a free slot (the service runs at most 2 jobs at once), then create the job.
    ///
    /// # Errors
    /// [`Error::Aborted`] while waiting; otherwise as [`Client::create_job`].
    pub async fn submit_job(
        &self,
        request: &CreateVideoRequest,
        on_progress: Option<&dyn Fn(&Progress)>,
    ) -> Result<VideoGenerationJob, Error> {
        request.validate()?;
        let started = self.transport.now_ms();
        let ticket = self.shared.state.borrow_mut().slots.enqueue();
        let result = self.wait_for_slot(ticket, started, on_progress).await;
        if let Err(error) = result {
            self.shared.state.borrow_mut().slots.leave(ticket);
            return Err(error);
        }
        let created = self.create_job(request).await;
        let mut state = self.shared.state.borrow_mut();
        match &created {
            Ok(job) if !job.status.is_terminal() => state.slots.occupy(&job.id),
            _ => state.slots.unreserve(),
        }
        created
    }

    /// Submit a job (queued for a slot) and wait until it succeeds.
    ///
    /// # Errors
    /// As [`Client::submit_job`] and [`Client::wait_for_job`].
    pub async fn create_and_wait(
        &self,
        request: &CreateVideoRequest,
        options: &WaitOptions<'_>,
    ) -> Result<VideoGenerationJob, Error> {
        let job = self.submit_job(request, options.on_progress).await?;
        self.wait_for_job(&job.id, options).await
    }

    /// Poll a job until it ends; `Ok` only when it succeeded.
    ///
    /// Polls rarely early in the job and densely near its expected end, honouring `Retry-After`.
    ///
    /// # Errors
    /// [`Error::JobFailed`] (with the service's reason) when it failed; [`Error::JobCancelled`] when it
    /// was cancelled; [`Error::Timeout`] after `max_wait_ms`;
    /// [`Error::Aborted`] when aborted (the job is deleted too with `delete_on_abort`); otherwise as
    /// [`Client::get_job`].
    pub async fn wait_for_job(&self, job_id: &str, options: &WaitOptions<'_>) -> Result<VideoGenerationJob, Error> {
        let result = self.poll_until_done(job_id, options).await;
        if matches!(result, Err(Error::Aborted)) && options.delete_on_abort {
            // The caller's signal has fired: delete with a transport that is not bound to it.
            let detached = self.with_transport(self.transport.detached());
            let _ = detached.delete_job(job_id).await;
        }
        result
    }

    async fn poll_until_done(&self, job_id: &str, options: &WaitOptions<'_>) -> Result<VideoGenerationJob, Error> {
        let started = self.transport.now_ms();
        let deadline = options.max_wait_ms.map(|max| Deadline { at_ms: started.saturating_add(max), max_wait_ms: max });
        let mut garbled = 0;
        let (mut job, mut hint) = loop {
            if let Some(polled) = self.poll_once(job_id, &mut garbled, deadline).await? {
                break polled;
            }
            self.pause(self.shared.options.poll.min_interval_ms, deadline).await?;
        };
        let age_at_start = self.job_age_ms(started, job.created_at);
        loop {
            let now = self.transport.now_ms();
            let elapsed = now.saturating_sub(started);
            let job_age = age_at_start.saturating_add(elapsed);
            let (estimate, planned) = {
                let state = self.shared.state.borrow();
                let (w, h, s, v) = (job.width, job.height, job.n_seconds, job.n_variants);
                let planned = state.estimator.next_poll_ms(w, h, s, v, job_age, &self.shared.options.poll);
                (state.estimator.estimate_ms(w, h, s, v), planned)
            };
            if let Some(report) = options.on_progress {
                report(&Progress {
                    job_id: Some(job.id.clone()),
                    status: Some(job.status.clone()),
                    queue_position: 0,
                    elapsed_ms: elapsed,
                    estimated_remaining_ms: (!job.status.is_terminal()).then(|| estimate.saturating_sub(job_age)),
                    percent: None,
                });
            }
            if job.status.is_terminal() {
                return self.finish(job, job_age);
            }
            // With an estimate of "now", `next_delay_ms` gives the shortest gap the options and the
            // service's hint allow.
            let delay = planned.max(self.shared.options.poll.next_delay_ms(job_age, job_age, hint));
            if let Some(deadline) = deadline {
                let left = deadline.at_ms.saturating_sub(now);
                // The service's own hint forbids polling sooner: give up at the deadline instead.
                let hinted = hint.is_some_and(|ms| ms >= delay);
                if left == 0 {
                    return Err(Error::Timeout(deadline.max_wait_ms));
                }
                if delay > left && hinted {
                    self.transport.sleep(left).await?;
                    return Err(Error::Timeout(deadline.max_wait_ms));
                }
                // Otherwise one last look at the deadline, never a sleep past it.
                self.transport.sleep(delay.min(left)).await?;
            } else {
                self.transport.sleep(delay).await?;
            }
            if let Some(polled) = self.poll_once(job_id, &mut garbled, deadline).await? {
                (job, hint) = polled;
            }
        }
    }

    /// One poll. An answer that arrives garbled (cut or corrupted on the way, so it does not
    /// decode) says nothing about the job: it gives `None` so the wait polls again, at most
    /// `max_retries` times in a row before the decode error ends the wait.
    async fn poll_once(
        &self,
        job_id: &str,
        garbled: &mut u32,
        deadline: Option<Deadline>,
    ) -> Result<Option<(VideoGenerationJob, Option<u64>)>, Error> {
        match self.get_job_with_hint(job_id, deadline).await {
            Ok(polled) => {
                *garbled = 0;
                Ok(Some(polled))
            }
            Err(Error::Decode { .. }) if *garbled < self.shared.options.retry.max_retries => {
                *garbled += 1;
                Ok(None)
            }
            Err(error) => Err(error),
        }
    }

    /// How old a job created at `created_at` (service seconds) is at local time `local_ms`.
    ///
    /// The service's timestamps come from its clock, which may be hours off ours: with a learned
    /// offset the age is a difference of two service times; without one, local minus service time
    /// is all there is. Clamped to 0..24 h either way.
    pub(crate) fn job_age_ms(&self, local_ms: u64, created_at: i64) -> u64 {
        let offset = self.shared.state.borrow().server_clock_offset_ms.unwrap_or(0);
        let local = i64::try_from(local_ms).unwrap_or(i64::MAX);
        let service_now = local.saturating_sub(offset);
        let age = service_now.saturating_sub(created_at.max(0).saturating_mul(1000));
        u64::try_from(age).unwrap_or(0).min(MAX_JOB_AGE_MS)
    }

    fn finish(&self, job: VideoGenerationJob, job_age_ms: u64) -> Result<VideoGenerationJob, Error> {
        match job.status {
            JobStatus::Succeeded => {
                // Prefer the service's own timing; fall back to ours for sub-second jobs. Its
                // timestamps are any i64: the difference saturates, and is believed up to 24 h.
                let served = match (job.finished_at, job.created_at) {
                    (Some(end), start) if end > start => {
                        u64::try_from(end.saturating_sub(start)).unwrap_or(0).saturating_mul(1000).min(MAX_JOB_AGE_MS)
                    }
                    _ => job_age_ms,
                };
                self.shared.state.borrow_mut().estimator.observe(
                    job.width,
                    job.height,
                    job.n_seconds,
                    job.n_variants,
                    served,
                );
                Ok(job)
            }
            JobStatus::Cancelled => Err(Error::JobCancelled { job_id: job.id }),
            _ => Err(Error::JobFailed { job_id: job.id, reason: job.failure_reason }),
        }
    }

    async fn wait_for_slot(
        &self,
        ticket: u64,
        started: u64,
        on_progress: Option<&dyn Fn(&Progress)>,
    ) -> Result<(), Error> {
        let mut last_refresh = started;
        loop {
            let (taken, position, running) = {
                let mut state = self.shared.state.borrow_mut();
                let taken = state.slots.try_take(ticket);
                (taken, state.slots.position(ticket), state.slots.running().to_vec())
            };
            if taken {
                return Ok(());
            }
            let now = self.transport.now_ms();
            if let Some(report) = on_progress {
                report(&Progress {
                    job_id: None,
                    status: None,
                    queue_position: position.unwrap_or(0),
                    elapsed_ms: now.saturating_sub(started),
                    estimated_remaining_ms: None,
                    percent: None,
                });
            }
            // Nobody may be polling the running jobs: look at them now and then so ended ones free their slots.
            if now.saturating_sub(last_refresh) >= SLOT_REFRESH_MS {
                last_refresh = now;
                for job_id in running {
                    let _ = self.get_job(&job_id).await;
                }
            }
            self.transport.sleep(SLOT_CHECK_MS).await?;
        }
    }
}

/// Longest job age the poll schedule believes (older means a clock is wrong, not the job slow).
pub(crate) const MAX_JOB_AGE_MS: u64 = 24 * 3600 * 1000;
/// How often a queued submission looks for a free slot (local state only: no request).
const SLOT_CHECK_MS: u64 = 250;
/// How often a queued submission asks the service about the jobs holding the slots.
const SLOT_REFRESH_MS: u64 = 5_000;
