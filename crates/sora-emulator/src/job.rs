//! A video generation job, its generations and their JSON forms.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::OnceCell;
use tokio::task::AbortHandle;
use tokio::time::Instant;

use crate::clock::skewed;
use crate::media::{OpeningImage, VideoSpec};
use crate::moderation::Verdict;
use crate::plan::Plan;
use crate::videos::VideoMeta;

/// A validated inpainting item, echoed back in the job.
#[derive(Debug, Clone)]
pub struct InpaintItem {
    /// Counted in the service's frames (any non-negative integer; echoed back as sent).
    pub frame_index: u64,
    pub file_name: String,
    /// left, top, right, bottom fractions.
    pub crop: [f64; 4],
}

impl InpaintItem {
    /// The spec's `InpaintItem` JSON.
    pub fn to_json(&self) -> Value {
        let [left, top, right, bottom] = self.crop;
        json!({
            "frame_index": self.frame_index,
            "type": "image",
            "file_name": self.file_name,
            "crop_bounds": {
                "left_fraction": left,
                "top_fraction": top,
                "right_fraction": right,
                "bottom_fraction": bottom,
            }
        })
    }
}

/// What a client asked for (already validated).
#[derive(Debug, Clone)]
pub struct JobRequest {
    pub prompt: String,
    pub model: String,
    pub width: u32,
    pub height: u32,
    pub n_seconds: u32,
    pub n_variants: u32,
    pub inpaint_items: Vec<InpaintItem>,
}

impl JobRequest {
    /// The video of every variant (all sharing one opening image).
    pub fn specs(&self, opening_image: Option<&OpeningImage>) -> Vec<VideoSpec> {
        (0..self.n_variants)
            .map(|variant| VideoSpec {
                width: self.width,
                height: self.height,
                seconds: self.n_seconds,
                prompt: self.prompt.clone(),
                variant,
                opening_image: opening_image.cloned(),
                caption: None,
            })
            .collect()
    }
}

/// The rendered files of one generation (each made at most once; a job renders the high-quality
/// video and thumbnail before it succeeds, a job reloaded from a state file on first request).
#[derive(Debug)]
pub struct Content {
    /// Kept so missing renditions can be made on first request (rendering is deterministic).
    pub spec: VideoSpec,
    pub high: OnceCell<Bytes>,
    pub thumbnail: OnceCell<Bytes>,
    pub low: OnceCell<Bytes>,
    /// The Videos API's grid of frames, made only when asked for.
    pub spritesheet: OnceCell<Bytes>,
}

impl Content {
    /// Content for `spec` with nothing rendered yet.
    pub fn unrendered(spec: VideoSpec) -> Self {
        Self {
            spec,
            high: OnceCell::new(),
            thumbnail: OnceCell::new(),
            low: OnceCell::new(),
            spritesheet: OnceCell::new(),
        }
    }
}

/// One generated video of a succeeded job.
#[derive(Debug, Clone)]
pub struct Generation {
    pub id: String,
    pub content: Arc<Content>,
}

/// How a job ended, if it has.
#[derive(Debug, Clone)]
pub enum Outcome {
    Pending,
    Succeeded {
        generations: Vec<Generation>,
    },
    Failed {
        reason: &'static str,
    },
    /// Ended without generations and without a failure reason.
    Cancelled,
}

/// A job as stored.
#[derive(Debug)]
pub struct Job {
    pub id: String,
    pub request: JobRequest,
    pub created_ms: u64,
    /// Monotonic creation time the phase plan is measured from.
    pub started: Instant,
    pub plan: Plan,
    /// How the job will end (from its prompt's triggers).
    pub verdict: Verdict,
    pub outcome: Outcome,
    /// Set when the job reaches a terminal state.
    pub finished_ms: Option<u64>,
    pub expires_ms: Option<u64>,
    /// The whole-second `expires_at` reported (finished_at + ttl).
    pub expires_at: Option<u64>,
    /// The uploaded opening image (image-to-video), kept so the job can be rendered again.
    pub opening_image: Option<OpeningImage>,
    pub driver: Option<AbortHandle>,
    /// Set for a video of the Videos API (`/videos`): one store serves both APIs, and each API
    /// sees only its own records.
    pub video: Option<VideoMeta>,
}

impl Job {
    /// Whether the Videos API made this record (the jobs API does not show it).
    pub fn is_video(&self) -> bool {
        self.video.is_some()
    }

    /// What to render: the request's variants, a video's with its caption (a remix names its source).
    pub fn specs(&self) -> Vec<VideoSpec> {
        let mut specs = self.request.specs(self.opening_image.as_ref());
        if let Some(caption) = self.video.as_ref().and_then(VideoMeta::caption) {
            for spec in &mut specs {
                spec.caption = Some(caption.clone());
            }
        }
        specs
    }

    /// Whether the job still counts against the running-jobs limit.
    pub fn is_pending(&self) -> bool {
        matches!(self.outcome, Outcome::Pending)
    }

    /// Whether the job (and its content) is past its expiry.
    pub fn is_expired(&self, now_ms: u64) -> bool {
        self.expires_ms.is_some_and(|at| now_ms >= at)
    }

    /// The status as seen now.
    pub fn status(&self) -> &'static str {
        match self.outcome {
            Outcome::Pending => {
                // A job ending at a phase boundary never shows the next phase, even if its
                // driver wakes a moment late.
                let last = self.verdict.ends_at(&self.plan).saturating_sub(Duration::from_micros(1));
                self.plan.phase_at(self.started.elapsed().min(last))
            }
            Outcome::Succeeded { .. } => "succeeded",
            Outcome::Failed { .. } => "failed",
            Outcome::Cancelled => "cancelled",
        }
    }

    /// `finished_at` in unix seconds.
    pub fn finished_at(&self) -> Option<u64> {
        self.finished_ms.map(|ms| ms / 1000)
    }

    /// The generations, empty until the job succeeded.
    pub fn generations(&self) -> &[Generation] {
        match &self.outcome {
            Outcome::Succeeded { generations } => generations,
            _ => &[],
        }
    }

    /// The spec's `VideoGeneration` of one generation, in spec field order, with timestamps
    /// shifted by `skew` seconds.
    pub fn generation_view<'a>(&'a self, generation: &'a Generation, skew: i64) -> GenerationView<'a> {
        GenerationView {
            object: "video.generation",
            id: &generation.id,
            job_id: &self.id,
            created_at: skewed(self.finished_at().unwrap_or(self.created_ms / 1000), skew),
            width: self.request.width,
            height: self.request.height,
            n_seconds: self.request.n_seconds,
            prompt: &self.request.prompt,
        }
    }

    /// The job as the create answers it: always `queued` (the phase plan may be shorter than
    /// the create's own handling at high speeds).
    pub fn created_view(&self, skew: i64) -> JobView<'_> {
        JobView { status: "queued", ..self.view(skew) }
    }

    /// The spec's `VideoGenerationJob` (null `finished_at`/`expires_at`/`failure_reason` until
    /// known), with timestamps shifted by `skew` seconds.
    pub fn view(&self, skew: i64) -> JobView<'_> {
        JobView {
            object: "video.generation.job",
            id: &self.id,
            status: self.status(),
            created_at: skewed(self.created_ms / 1000, skew),
            finished_at: self.finished_at().map(|at| skewed(at, skew)),
            expires_at: self.expires_at.map(|at| skewed(at, skew)),
            generations: self.generations().iter().map(|g| self.generation_view(g, skew)).collect(),
            prompt: &self.request.prompt,
            model: &self.request.model,
            n_variants: self.request.n_variants,
            n_seconds: self.request.n_seconds,
            height: self.request.height,
            width: self.request.width,
            inpaint_items: (!self.request.inpaint_items.is_empty())
                .then(|| self.request.inpaint_items.iter().map(InpaintItem::to_json).collect()),
            failure_reason: match self.outcome {
                Outcome::Failed { reason } => Some(reason),
                _ => None,
            },
        }
    }
}

/// `VideoGeneration` in the spec's field order.
#[derive(Debug, Serialize)]
pub struct GenerationView<'a> {
    object: &'static str,
    id: &'a str,
    job_id: &'a str,
    created_at: u64,
    width: u32,
    height: u32,
    n_seconds: u32,
    prompt: &'a str,
}

/// `VideoGenerationJob` in the spec's field order.
#[derive(Debug, Serialize)]
pub struct JobView<'a> {
    object: &'static str,
    id: &'a str,
    status: &'static str,
    created_at: u64,
    finished_at: Option<u64>,
    expires_at: Option<u64>,
    generations: Vec<GenerationView<'a>>,
    prompt: &'a str,
    model: &'a str,
    n_variants: u32,
    n_seconds: u32,
    height: u32,
    width: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    inpaint_items: Option<Vec<Value>>,
    failure_reason: Option<&'static str>,
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
        let specs = request.specs(Some(&image));
        assert_eq!(specs.len(), 4);
        for spec in &specs {
            let rgb = &spec.opening_image.as_ref().unwrap().rgb;
            assert_eq!(rgb.as_ptr(), image.rgb.as_ptr(), "a copy per variant");
        }
    }
}
