//! Driving jobs through queued, preprocessing, running, processing to an end.

use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::OnceCell;
use tokio::time::{Instant, sleep_until};

use crate::clock::now_ms;
use crate::errors::{ApiError, ApiResult};
use crate::job::{Content, Generation, Job, Outcome};
use crate::media::{self, Quality, VideoSpec};
use crate::moderation::Verdict;
use crate::plan::Plan;
use crate::state::{AppState, SharedState};
use crate::sync::lock;

/// Starts the driver of a stored pending job (new, or reloaded after a restart).
///
/// Call with the store locked: the driver waits for that lock before touching the job.
pub fn start(state: &SharedState, job: &mut Job) {
    let specs = job.specs();
    let driver = tokio::spawn(drive(state.clone(), job.id.clone(), job.plan, job.started, job.verdict, specs));
    job.driver = Some(driver.abort_handle());
}

/// Moves one job to its terminal state at the times its plan says.
async fn drive(state: SharedState, id: String, plan: Plan, started: Instant, verdict: Verdict, specs: Vec<VideoSpec>) {
    let fail = |reason| Outcome::Failed { reason };
    let ends = verdict.ends_at(&plan);
    let outcome = match verdict {
        Verdict::InputModeration => fail("input_moderation"),
        Verdict::Cancelled => Outcome::Cancelled,
        Verdict::InternalError => fail("internal_error"),
        Verdict::OutputModeration => fail("output_moderation"),
        Verdict::Allowed => {
            // Rendering starts with the running phase, so jobs deleted earlier cost no CPU.
            sleep_until(started + plan.running_start()).await;
            let rendered = render_all(&state, specs).await;
            sleep_until(started + ends).await;
            rendered_outcome(&state, &id, rendered)
        }
    };
    sleep_until(started + ends).await;
    finish(&state, &id, outcome);
}

/// Success with one generation per rendered variant, or `internal_error` if rendering failed.
fn rendered_outcome(state: &AppState, id: &str, rendered: Result<Vec<Arc<Content>>, String>) -> Outcome {
    match rendered {
        Ok(contents) => {
            let now = now_ms();
            let generations =
                contents.into_iter().map(|content| Generation { id: state.ids.next("gen_", now), content }).collect();
            Outcome::Succeeded { generations }
        }
        Err(message) => {
            eprintln!("job {id} failed: rendering failed: {message}");
            Outcome::Failed { reason: "internal_error" }
        }
    }
}

/// Renders the high-quality video and the thumbnail of every variant.
async fn render_all(state: &AppState, specs: Vec<VideoSpec>) -> Result<Vec<Arc<Content>>, String> {
    let mut contents = Vec::with_capacity(specs.len());
    for spec in specs {
        let permit = state.render_permits.clone().acquire_owned().await.map_err(|e| e.to_string())?;
        let rendered = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let video = media::render_video(&spec, Quality::High)?;
            let thumbnail = media::render_thumbnail(&spec)?;
            Ok::<_, media::MediaError>((spec, video, thumbnail))
        })
        .await;
        match rendered {
            Ok(Ok((spec, video, thumbnail))) => contents.push(Arc::new(Content {
                spec,
                high: OnceCell::new_with(Some(Bytes::from(video))),
                thumbnail: OnceCell::new_with(Some(Bytes::from(thumbnail))),
                low: OnceCell::new(),
                spritesheet: OnceCell::new(),
            })),
            Ok(Err(error)) => return Err(error.to_string()),
            Err(join) => return Err(format!("the renderer crashed: {join}")),
        }
    }
    Ok(contents)
}

/// One file of a generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rendition {
    High,
    Low,
    Thumbnail,
    /// A grid of frames (the Videos API's `variant=spritesheet`).
    Spritesheet,
}

/// Returns one rendition of a generation, rendering it on first request when it is missing.
pub async fn rendition(state: &AppState, content: &Arc<Content>, which: Rendition) -> ApiResult<Bytes> {
    let cell = match which {
        Rendition::High => &content.high,
        Rendition::Low => &content.low,
        Rendition::Thumbnail => &content.thumbnail,
        Rendition::Spritesheet => &content.spritesheet,
    };
    let spec = content.spec.clone();
    let permits = state.on_demand_permits.clone();
    cell.get_or_try_init(|| async move {
        let permit = permits.acquire_owned().await.map_err(|e| e.to_string())?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let rendered = match which {
                Rendition::High => media::render_video(&spec, Quality::High),
                Rendition::Low => media::render_video(&spec, Quality::Low),
                Rendition::Thumbnail => media::render_thumbnail(&spec),
                Rendition::Spritesheet => media::render_spritesheet(&spec),
            };
            rendered.map(Bytes::from).map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| format!("the renderer crashed: {e}"))?
    })
    .await
    .cloned()
    .map_err(|message| ApiError::internal(format!("Rendering the content failed: {message}")))
}

/// Records a job's terminal state and starts its expiry clock.
fn finish(state: &AppState, id: &str, outcome: Outcome) {
    let ttl_seconds = state.settings().ttl_seconds;
    let now = now_ms();
    let mut store = lock(&state.store);
    let Some(job) = store.get_mut(id) else { return };
    job.outcome = outcome;
    job.finished_ms = Some(now);
    job.expires_ms = Some(now.saturating_add(ttl_seconds.saturating_mul(1000)));
    job.expires_at = Some((now / 1000).saturating_add(ttl_seconds));
    job.driver = None;
    let generations = job.generations().to_vec();
    store.index_generations(id, &generations);
    drop(store);
    state.persist();
}
