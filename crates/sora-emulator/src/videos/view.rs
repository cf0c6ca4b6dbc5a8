//! The Videos API's JSON forms of a stored video: the video object, list page and delete answer,
//! plus the `openai-poll-after-ms` hint.

use std::time::Duration;

use serde::Serialize;

use crate::clock::skewed;
use crate::job::{Job, Outcome};

/// The poll hint header.
pub const POLL_HEADER: &str = "openai-poll-after-ms";
/// Shortest and longest poll hint, in ms: never a busy loop, never a long stall near the end.
pub const POLL_HINT_RANGE: (u64, u64) = (250, 5000);

/// `error` of a failed video.
#[derive(Debug, Serialize)]
pub struct VideoError {
    pub code: &'static str,
    pub message: &'static str,
}

/// The video object, in the reference's field order.
#[derive(Debug, Serialize)]
pub struct VideoView<'a> {
    pub id: &'a str,
    pub object: &'static str,
    pub model: &'a str,
    pub status: &'static str,
    pub progress: u32,
    pub created_at: u64,
    pub completed_at: Option<u64>,
    pub expires_at: Option<u64>,
    pub prompt: &'a str,
    pub seconds: String,
    pub size: String,
    pub remixed_from_video_id: Option<&'a str>,
    pub error: Option<VideoError>,
}

/// One page of `GET /videos` (`first_id`/`last_id` null on an empty page).
#[derive(Debug, Serialize)]
pub struct VideoList<'a> {
    pub object: &'static str,
    pub data: Vec<VideoView<'a>>,
    pub first_id: Option<&'a str>,
    pub last_id: Option<&'a str>,
    pub has_more: bool,
}

/// What `DELETE /videos/{id}` answers.
#[derive(Debug, Serialize)]
pub struct Deleted<'a> {
    pub id: &'a str,
    pub object: &'static str,
    pub deleted: bool,
}

/// `queued`, `in_progress`, `completed` or `failed` (the jobs API's three working phases are one
/// `in_progress`; a cancelled job, which only the prompt trigger makes, reads as failed).
pub fn status(job: &Job) -> &'static str {
    match job.outcome {
        Outcome::Pending if job.status() == "queued" => "queued",
        Outcome::Pending => "in_progress",
        Outcome::Succeeded { .. } => "completed",
        Outcome::Failed { .. } | Outcome::Cancelled => "failed",
    }
}

/// Percent done: 0 while queued, then the share of the working phases elapsed (at most 99 until
/// the video is completed; a failed video keeps what it had reached).
pub fn progress(job: &Job) -> u32 {
    let reached = match job.outcome {
        Outcome::Succeeded { .. } => return 100,
        Outcome::Pending => job.started.elapsed().min(job.verdict.ends_at(&job.plan)),
        Outcome::Failed { .. } | Outcome::Cancelled => job.verdict.ends_at(&job.plan),
    };
    let working = job.plan.total().saturating_sub(job.plan.queued);
    let done = reached.saturating_sub(job.plan.queued);
    if working.is_zero() {
        return 99;
    }
    ((done.as_secs_f64() / working.as_secs_f64() * 100.0).floor() as u32).min(99)
}

/// Why a failed video failed.
pub fn error(job: &Job) -> Option<VideoError> {
    let (code, message) = match job.outcome {
        Outcome::Pending | Outcome::Succeeded { .. } => return None,
        Outcome::Failed { reason: "input_moderation" } => {
            ("moderation_blocked", "Your request was blocked by our moderation system.")
        }
        Outcome::Failed { reason: "output_moderation" } => {
            ("moderation_blocked", "The generated video was blocked by our moderation system.")
        }
        Outcome::Failed { .. } => ("internal_error", "The video could not be generated because of an internal error."),
        Outcome::Cancelled => ("cancelled", "The video generation was cancelled."),
    };
    Some(VideoError { code, message })
}

/// The video object as seen now, timestamps shifted by `skew` seconds.
pub fn view(job: &Job, skew: i64) -> VideoView<'_> {
    let remixed_from = job.video.as_ref().and_then(|video| video.remixed_from());
    VideoView {
        id: &job.id,
        object: "video",
        model: &job.request.model,
        status: status(job),
        progress: progress(job),
        created_at: skewed(job.created_ms / 1000, skew),
        completed_at: job.finished_at().map(|at| skewed(at, skew)),
        expires_at: job.expires_at.map(|at| skewed(at, skew)),
        prompt: &job.request.prompt,
        seconds: job.request.n_seconds.to_string(),
        size: format!("{}x{}", job.request.width, job.request.height),
        remixed_from_video_id: remixed_from,
        error: error(job),
    }
}

/// The video as a create (or remix, edit, extension) answers it: always `queued` at 0 %.
pub fn created(job: &Job, skew: i64) -> VideoView<'_> {
    VideoView { status: "queued", progress: 0, ..view(job, skew) }
}

/// Milliseconds a client should wait before polling an unfinished video again (None once it is
/// finished): a quarter of its expected remaining time, within [`POLL_HINT_RANGE`].
pub fn poll_after_ms(job: &Job) -> Option<u64> {
    if !job.is_pending() {
        return None;
    }
    let remaining = job.verdict.ends_at(&job.plan).saturating_sub(job.started.elapsed());
    Some(hint(remaining))
}

/// A quarter of `remaining`, in ms, within [`POLL_HINT_RANGE`].
fn hint(remaining: Duration) -> u64 {
    u64::try_from((remaining / 4).as_millis()).unwrap_or(u64::MAX).clamp(POLL_HINT_RANGE.0, POLL_HINT_RANGE.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_a_quarter_of_the_remaining_time_within_range() {
        assert_eq!(hint(Duration::ZERO), 250);
        assert_eq!(hint(Duration::from_secs(8)), 2000);
        assert_eq!(hint(Duration::from_secs(600)), 5000);
    }
}
