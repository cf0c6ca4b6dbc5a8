//! A video of the Videos API shown as a job: one generation whose id is the video's, so the cards,
//! the watcher, the downloads and the library serve both APIs.

use sora_client::videos::Video;
use sora_client::{FailureReason, VideoGeneration, VideoGenerationJob};

/// The job a card shows for `video`.
pub fn job_of(video: &Video) -> VideoGenerationJob {
    let (width, height) = video.dimensions().unwrap_or((0, 0));
    let generations = if video.status.is_success() {
        vec![VideoGeneration {
            id: video.id.clone(),
            job_id: video.id.clone(),
            created_at: video.created_at,
            width,
            height,
            n_seconds: video.seconds,
            prompt: video.prompt.clone(),
        }]
    } else {
        Vec::new()
    };
    VideoGenerationJob {
        id: video.id.clone(),
        status: video.status.clone(),
        created_at: video.created_at,
        finished_at: video.completed_at,
        expires_at: video.expires_at,
        generations,
        prompt: video.prompt.clone(),
        model: video.model.clone(),
        n_variants: 1,
        n_seconds: video.seconds,
        height,
        width,
        // The server's code and words, as it gave them.
        failure_reason: video.error.as_ref().map(|e| FailureReason::Other(format!("{}: {}", e.code, e.message))),
    }
}
