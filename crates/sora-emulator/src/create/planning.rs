//! Plan step of a create: the job's phase durations, how its prompt triggers end it, its id and start.

use tokio::time::Instant;

use crate::clock::now_ms;
use crate::ids::IdMaker;
use crate::job::{Job, JobRequest, Outcome};
use crate::media::OpeningImage;
use crate::moderation::{self, Verdict};
use crate::plan::Plan;
use crate::timing::Timing;

/// The pending job for a valid request, its plan fixed at `speed` (later speed changes do not affect it).
pub fn job(
    request: JobRequest,
    opening_image: Option<OpeningImage>,
    timing: &Timing,
    ids: &IdMaker,
    speed: f64,
) -> Job {
    let verdict = moderation::review(&request.prompt);
    let plan = timing.plan(request.width, request.height, request.n_seconds, request.n_variants, speed);
    let now = now_ms();
    pending(ids.next("task_", now), request, opening_image, plan, verdict, now)
}

/// A pending job with its id, plan and verdict already chosen, starting now (`now` in unix ms).
pub fn pending(
    id: String,
    request: JobRequest,
    opening_image: Option<OpeningImage>,
    plan: Plan,
    verdict: Verdict,
    now: u64,
) -> Job {
    Job {
        id,
        request,
        created_ms: now,
        started: Instant::now(),
        plan,
        verdict,
        outcome: Outcome::Pending,
        finished_ms: None,
        expires_ms: None,
        expires_at: None,
        opening_image,
        driver: None,
        video: None,
    }
}
