//! Store step of a create: the running-jobs limit, then the job stored, driven and persisted.

use crate::errors::{ApiError, ApiResult};
use crate::job::Job;
use crate::lifecycle;
use crate::state::{Settings, SharedState};
use crate::sync::lock;

/// Shortest `Retry-After` for the running-jobs limit.
const MIN_SLOT_WAIT_MS: u64 = 1000;

/// Stores a planned job and starts its driver, returning the job's JSON as created, or answers 429
/// when `settings.max_running` jobs are not finished yet.
pub fn store(state: &SharedState, job: Job, settings: &Settings) -> ApiResult<String> {
    let skew = settings.clock_skew_secs;
    store_with(state, job, settings, |job| serde_json::to_string(&job.created_view(skew)).unwrap_or_default())
}

/// Like [`store`], answering with `answer`'s rendering of the job as created (the Videos API's shape).
pub fn store_with(
    state: &SharedState,
    mut job: Job,
    settings: &Settings,
    answer: impl FnOnce(&Job) -> String,
) -> ApiResult<String> {
    let mut store = lock(&state.store);
    let running = store.pending_count();
    if running >= settings.max_running as usize {
        let wait = u64::try_from(store.time_until_slot_frees().as_millis()).unwrap_or(u64::MAX);
        return Err(ApiError::too_many(
            "too_many_running_jobs",
            format!(
                "Too many running jobs: {running} of at most {} are not finished yet. \
                 Wait for one to finish (or delete one) and retry.",
                settings.max_running
            ),
            wait.max(MIN_SLOT_WAIT_MS),
        ));
    }
    let created = answer(&job);
    lifecycle::start(state, &mut job);
    store.insert(job);
    drop(store);
    state.persist();
    Ok(created)
}
