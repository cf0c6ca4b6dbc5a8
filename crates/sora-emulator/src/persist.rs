//! `--state-file`: the job store written to disk on every change and read back at start-up.
//!
//! The file is JSON (written to `PATH.tmp`, then renamed over `PATH`, so a kill never leaves half a
//! file). Opening images of image-to-video jobs go to `PATH.images/<job id>.rgb` (raw RGB), once.
//! MP4s and thumbnails are not stored: rendering is deterministic, so a reloaded job renders the
//! same bytes on its first download.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::job::{Content, Generation, InpaintItem, Job, JobRequest, Outcome};
use crate::media::OpeningImage;
use crate::moderation;
use crate::plan::Plan;
use crate::store::Store;
use crate::videos::{Origin, VideoMeta};

/// The file's top-level object.
#[derive(Debug, Serialize, Deserialize)]
struct Saved {
    jobs: Vec<SavedJob>,
}

/// One job as written to the state file.
#[derive(Debug, Serialize, Deserialize)]
struct SavedJob {
    id: String,
    prompt: String,
    model: String,
    width: u32,
    height: u32,
    n_seconds: u32,
    n_variants: u32,
    inpaint_items: Vec<SavedInpaint>,
    created_ms: u64,
    /// Phase durations in microseconds: preprocessing, queued, running, processing.
    plan_us: [u64; 4],
    /// `pending`, `succeeded`, `failed` or `cancelled`.
    outcome: String,
    failure_reason: Option<String>,
    generation_ids: Vec<String>,
    finished_ms: Option<u64>,
    expires_ms: Option<u64>,
    expires_at: Option<u64>,
    opening_image: Option<SavedImage>,
    /// Only for the Videos API's records (absent in files of jobs alone, and in older files).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    video: Option<SavedVideo>,
}

/// What makes a record a Videos API video.
#[derive(Debug, Serialize, Deserialize)]
struct SavedVideo {
    /// `create`, `remix`, `edit` or `extension`.
    origin: String,
    source: Option<String>,
    /// Whether the prompt held a blocklisted word (the video ends `failed`).
    blocked: bool,
}

/// An inpainting item.
#[derive(Debug, Serialize, Deserialize)]
struct SavedInpaint {
    frame_index: u64,
    file_name: String,
    crop: [f64; 4],
}

/// Where and how an opening image's RGB bytes are stored.
#[derive(Debug, Serialize, Deserialize)]
struct SavedImage {
    width: u32,
    height: u32,
    frame_index: u32,
}

/// The folder of opening images next to the state file.
fn images_dir(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".images");
    PathBuf::from(name)
}

/// The raw RGB file of one job's opening image.
fn image_path(path: &Path, job_id: &str) -> PathBuf {
    images_dir(path).join(format!("{job_id}.rgb"))
}

/// Failure reasons the emulator produces (stored text maps back to these).
fn failure_reason(text: Option<&str>) -> &'static str {
    match text {
        Some("input_moderation") => "input_moderation",
        Some("output_moderation") => "output_moderation",
        _ => "internal_error",
    }
}

fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}

impl SavedJob {
    fn of(job: &Job) -> Self {
        let (outcome, failure_reason) = match &job.outcome {
            Outcome::Pending => ("pending", None),
            Outcome::Succeeded { .. } => ("succeeded", None),
            Outcome::Failed { reason } => ("failed", Some((*reason).to_owned())),
            Outcome::Cancelled => ("cancelled", None),
        };
        let request = &job.request;
        Self {
            id: job.id.clone(),
            prompt: request.prompt.clone(),
            model: request.model.clone(),
            width: request.width,
            height: request.height,
            n_seconds: request.n_seconds,
            n_variants: request.n_variants,
            inpaint_items: request
                .inpaint_items
                .iter()
                .map(|item| SavedInpaint {
                    frame_index: item.frame_index,
                    file_name: item.file_name.clone(),
                    crop: item.crop,
                })
                .collect(),
            created_ms: job.created_ms,
            plan_us: [
                micros(job.plan.preprocessing),
                micros(job.plan.queued),
                micros(job.plan.running),
                micros(job.plan.processing),
            ],
            outcome: outcome.to_owned(),
            failure_reason,
            generation_ids: job.generations().iter().map(|g| g.id.clone()).collect(),
            finished_ms: job.finished_ms,
            expires_ms: job.expires_ms,
            expires_at: job.expires_at,
            opening_image: job.opening_image.as_ref().map(|image| SavedImage {
                width: image.width,
                height: image.height,
                frame_index: image.frame_index,
            }),
            video: job.video.as_ref().map(|video| SavedVideo {
                origin: video.origin.name().to_owned(),
                source: video.source.clone(),
                blocked: video.blocked,
            }),
        }
    }

    /// Rebuilds the job; its monotonic start is placed so that wall-clock time since creation
    /// counts (a job created 10 s before the restart is 10 s into its plan).
    fn restore(self, path: &Path, now_ms: u64) -> Result<Job, String> {
        let opening_image = match &self.opening_image {
            None => None,
            Some(saved) => {
                let rgb = std::fs::read(image_path(path, &self.id))
                    .map_err(|e| format!("opening image of {}: {e}", self.id))?;
                Some(OpeningImage {
                    width: saved.width,
                    height: saved.height,
                    rgb: rgb.into(),
                    frame_index: saved.frame_index,
                })
            }
        };
        let request = JobRequest {
            prompt: self.prompt,
            model: self.model,
            width: self.width,
            height: self.height,
            n_seconds: self.n_seconds,
            n_variants: self.n_variants,
            inpaint_items: self
                .inpaint_items
                .into_iter()
                .map(|item| InpaintItem { frame_index: item.frame_index, file_name: item.file_name, crop: item.crop })
                .collect(),
        };
        let [preprocessing, queued, running, processing] = self.plan_us.map(Duration::from_micros);
        let plan = Plan { preprocessing, queued, running, processing };
        let age = Duration::from_millis(now_ms.saturating_sub(self.created_ms));
        let now = Instant::now();
        // A job older than the monotonic clock's origin is simply treated as fully elapsed.
        let started = now.checked_sub(age).unwrap_or_else(|| now.checked_sub(plan.total()).unwrap_or(now));
        let video = self.video.map(|saved| VideoMeta {
            origin: Origin::parse(&saved.origin),
            source: saved.source,
            blocked: saved.blocked,
        });
        let verdict = match &video {
            Some(video) => video.verdict(&request.prompt),
            None => moderation::review(&request.prompt),
        };
        let mut job = Job {
            id: self.id,
            verdict,
            request,
            created_ms: self.created_ms,
            started,
            plan,
            outcome: Outcome::Pending,
            finished_ms: self.finished_ms,
            expires_ms: self.expires_ms,
            expires_at: self.expires_at,
            opening_image,
            driver: None,
            video,
        };
        job.outcome = match self.outcome.as_str() {
            "pending" => Outcome::Pending,
            "failed" => Outcome::Failed { reason: failure_reason(self.failure_reason.as_deref()) },
            "cancelled" => Outcome::Cancelled,
            _ => Outcome::Succeeded {
                generations: self
                    .generation_ids
                    .into_iter()
                    .zip(job.specs())
                    .map(|(id, spec)| Generation { id, content: Arc::new(Content::unrendered(spec)) })
                    .collect(),
            },
        };
        Ok(job)
    }
}

/// Writes every job of `store` to `path` (atomically), plus any opening image not yet on disk.
pub fn save(path: &Path, store: &Store) -> std::io::Result<()> {
    let jobs: Vec<SavedJob> = store.all().map(SavedJob::of).collect();
    for job in store.all() {
        if let Some(image) = &job.opening_image {
            let file = image_path(path, &job.id);
            if !file.exists() {
                std::fs::create_dir_all(images_dir(path))?;
                std::fs::write(&file, &image.rgb)?;
            }
        }
    }
    let text = serde_json::to_vec(&Saved { jobs }).map_err(std::io::Error::other)?;
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}

/// Reads the jobs saved at `path` (none if the file does not exist yet), dropping expired ones.
pub fn load(path: &Path, now_ms: u64) -> Result<Vec<Job>, String> {
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(format!("cannot read {}: {error}", path.display())),
    };
    let saved: Saved =
        serde_json::from_slice(&text).map_err(|e| format!("{} is not a state file: {e}", path.display()))?;
    saved
        .jobs
        .into_iter()
        .filter(|job| job.expires_ms.is_none_or(|at| at > now_ms))
        .map(|job| job.restore(path, now_ms))
        .collect()
}
