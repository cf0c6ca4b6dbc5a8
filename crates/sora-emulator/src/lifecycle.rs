//! Creating jobs and driving them through queued, preprocessing, running, processing to an end.

use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::OnceCell;
use tokio::time::{Instant, sleep_until};

use crate::clock::now_ms;
use crate::errors::{ApiError, ApiResult};
use crate::job::{Content, Generation, Job, JobRequest, Outcome};
use crate::media::{self, OpeningImage, Quality, VideoSpec};
use crate::moderation::{self, Verdict};
use crate::plan::Plan;
use crate::state::{AppState, SharedState, lock};

/// Shortest `Retry-After` for the running-jobs limit.
const MIN_SLOT_WAIT_MS: u64 = 1000;

/// Registers a job and starts its driver (returning its JSON), or answers 429 when too many jobs run.
pub fn create_job(state: &SharedState, request: JobRequest, opening_image: Option<OpeningImage>) -> ApiResult<String> {
    let settings = state.settings();
    let verdict = moderation::review(&request.prompt);
    let plan = state.timing.plan(request.width, request.height, request.n_seconds, request.n_variants, settings.speed);
    let specs = specs_of(&request, opening_image.as_ref());
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
    let now = now_ms();
    let started = Instant::now();
    let id = state.ids.next("task_", now);
    let job = Job {
        id: id.clone(),
        request,
        created_ms: now,
        started,
        plan,
        verdict,
        outcome: Outcome::Pending,
        finished_ms: None,
        expires_ms: None,
        expires_at: None,
        opening_image,
        driver: None,
    };
    let json = serde_json::to_string(&job.created_view(settings.clock_skew_secs)).unwrap_or_default();
    store.insert(job);
    // The driver waits for this lock before touching the job, so it cannot finish before the insert.
    let driver = tokio::spawn(drive(state.clone(), id.clone(), plan, started, verdict, specs));
    if let Some(job) = store.get_mut(&id) {
        job.driver = Some(driver.abort_handle());
    }
    drop(store);
    state.persist();
    Ok(json)
}

/// The video of every variant of a request.
pub fn specs_of(request: &JobRequest, opening_image: Option<&OpeningImage>) -> Vec<VideoSpec> {
    (0..request.n_variants)
        .map(|variant| VideoSpec {
            width: request.width,
            height: request.height,
            seconds: request.n_seconds,
            prompt: request.prompt.clone(),
            variant,
            opening_image: opening_image.cloned(),
        })
        .collect()
}

/// Starts (or, after a restart, resumes) the driver of a stored pending job.
pub fn resume(state: &SharedState, id: &str) {
    let mut store = lock(&state.store);
    let Some(job) = store.get_mut(id) else { return };
    let specs = specs_of(&job.request, job.opening_image.as_ref());
    let driver = tokio::spawn(drive(state.clone(), id.to_owned(), job.plan, job.started, job.verdict, specs));
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
}

/// Returns one rendition of a generation, rendering it on first request when it is missing.
pub async fn rendition(state: &AppState, content: &Arc<Content>, which: Rendition) -> ApiResult<Bytes> {
    let cell = match which {
        Rendition::High => &content.high,
        Rendition::Low => &content.low,
        Rendition::Thumbnail => &content.thumbnail,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_share_one_opening_image() {
        let request = JobRequest {
            prompt: "p".into(),
            model: "sora".into(),
            width: 480,
            height: 480,
            n_seconds: 1,
            n_variants: 4,
            inpaint_items: Vec::new(),
        };
        let image = OpeningImage { width: 2, height: 2, rgb: vec![7; 12].into(), frame_index: 0 };
        let specs = specs_of(&request, Some(&image));
        assert_eq!(specs.len(), 4);
        for spec in &specs {
            let rgb = &spec.opening_image.as_ref().unwrap().rgb;
            assert_eq!(rgb.as_ptr(), image.rgb.as_ptr(), "a copy per variant");
        }
    }
}
