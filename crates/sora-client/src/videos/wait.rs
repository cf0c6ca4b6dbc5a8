//! Waiting for a video: polls paced by the server's hint (`openai-poll-after-ms`), else by the
//! learned run times, and clean-up on abort.

use super::{CreateVideo, Video};
use crate::client::{Client, Deadline};
use crate::error::Error;
use crate::transport::Transport;
use crate::types::JobStatus;
use crate::waiting::{MAX_JOB_AGE_MS, Progress, WaitOptions};

/// The shortest gap a server's hint can ask for: a hint of 0 must not become a busy loop.
const MIN_HINTED_POLL_MS: u64 = 100;

impl<T: Transport> Client<T> {
    /// Create a video and wait until it is completed (the Python SDK's `create_and_poll`).
    ///
    /// # Errors
    /// As [`Client::create_video`] and [`Client::wait_for_video`].
    pub async fn create_video_and_wait(
        &self,
        request: &CreateVideo,
        options: &WaitOptions<'_>,
    ) -> Result<Video, Error> {
        let (video, hint) = self.start(&[], request.to_body()?).await?;
        self.finish_wait(&video.id.clone(), options, Some((video, hint))).await
    }

    /// Poll a video until it ends; `Ok` only when it completed.
    ///
    /// Waits between polls as long as the server's `openai-poll-after-ms` (or `Retry-After`) asks,
    /// within the poll options' bounds; without a hint, plans polls from learned run times.
    ///
    /// # Errors
    /// [`Error::VideoFailed`] with the server's code and message when it failed;
    /// [`Error::Timeout`] after `max_wait_ms`; [`Error::Aborted`] when aborted (the video is deleted
    /// too with `delete_on_abort`); otherwise as [`Client::get_video`].
    pub async fn wait_for_video(&self, video_id: &str, options: &WaitOptions<'_>) -> Result<Video, Error> {
        self.finish_wait(video_id, options, None).await
    }

    async fn finish_wait(
        &self,
        video_id: &str,
        options: &WaitOptions<'_>,
        first: Option<(Video, Option<u64>)>,
    ) -> Result<Video, Error> {
        let result = self.poll_video(video_id, options, first).await;
        if matches!(result, Err(Error::Aborted)) && options.delete_on_abort {
            // The caller's signal has fired: delete with a transport that is not bound to it.
            let _ = self.with_transport(self.transport.detached()).delete_video(video_id).await;
        }
        result
    }

    async fn poll_video(
        &self,
        video_id: &str,
        options: &WaitOptions<'_>,
        first: Option<(Video, Option<u64>)>,
    ) -> Result<Video, Error> {
        let started = self.transport.now_ms();
        let deadline = options.max_wait_ms.map(|max| Deadline { at_ms: started.saturating_add(max), max_wait_ms: max });
        let mut garbled = 0;
        let mut polled = first;
        loop {
            let (video, hint) = match polled.take() {
                Some(polled) => polled,
                None => match self.get_video_with_hint(video_id, deadline).await {
                    Ok(polled) => {
                        garbled = 0;
                        polled
                    }
                    // A garbled answer says nothing about the video: poll again, a few times.
                    Err(Error::Decode { .. }) if garbled < self.shared.options.retry.max_retries => {
                        garbled += 1;
                        self.pause(self.shared.options.poll.min_interval_ms, deadline).await?;
                        continue;
                    }
                    Err(error) => return Err(error),
                },
            };
            let now = self.transport.now_ms();
            let age = self.job_age_ms(now, video.created_at);
            let (w, h) = video.dimensions().unwrap_or((0, 0));
            let (estimate, planned) = {
                let state = self.shared.state.borrow();
                let planned = state.estimator.next_poll_ms(w, h, video.seconds, 1, age, &self.shared.options.poll);
                (state.estimator.estimate_ms(w, h, video.seconds, 1), planned)
            };
            if let Some(report) = options.on_progress {
                report(&Progress {
                    job_id: Some(video.id.clone()),
                    status: Some(video.status.clone()),
                    queue_position: 0,
                    elapsed_ms: now.saturating_sub(started),
                    estimated_remaining_ms: (!video.status.is_terminal()).then(|| estimate.saturating_sub(age)),
                    percent: video.progress,
                });
            }
            if video.status.is_terminal() {
                return self.video_ended(video, age);
            }
            let poll = &self.shared.options.poll;
            let delay = match hint {
                Some(ms) => ms.clamp(MIN_HINTED_POLL_MS, poll.max_interval_ms.max(MIN_HINTED_POLL_MS)),
                None => planned,
            };
            self.pause(delay, deadline).await?;
        }
    }

    /// The end of a wait: the video, or why there is none; a completed one teaches the estimator.
    fn video_ended(&self, video: Video, age_ms: u64) -> Result<Video, Error> {
        if video.status.is_success() {
            let served = match video.completed_at {
                Some(end) if end > video.created_at => {
                    u64::try_from(end.saturating_sub(video.created_at)).unwrap_or(0).saturating_mul(1000)
                }
                _ => age_ms,
            };
            let (w, h) = video.dimensions().unwrap_or((0, 0));
            self.shared.state.borrow_mut().estimator.observe(w, h, video.seconds, 1, served.min(MAX_JOB_AGE_MS));
            return Ok(video);
        }
        if video.status == JobStatus::Cancelled {
            return Err(Error::JobCancelled { job_id: video.id });
        }
        let error = video.error.unwrap_or_default();
        let present = |s: String| (!s.trim().is_empty()).then_some(s);
        Err(Error::VideoFailed { video_id: video.id, code: present(error.code), message: present(error.message) })
    }
}
