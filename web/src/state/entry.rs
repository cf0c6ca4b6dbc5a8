//! One job of this device as a card shows it: its saved record, its live progress, and where its
//! submission is before the service has a job for it.

use leptos::prelude::*;
use sora_client::videos::CreateVideo;
use sora_client::{CreateVideoRequest, CreateVideoWithMediaRequest, VideoSize};

use super::pending::PendingSubmission;
use super::record::JobRecord;
use crate::format::Problem;

/// What the create form sends: on the jobs API a prompt alone or with an image (image-to-video);
/// on the Videos API a new video or a remix of a finished one.
#[derive(Debug, Clone)]
pub enum Submission {
    Text(CreateVideoRequest),
    Media(CreateVideoWithMediaRequest),
    Video(CreateVideo),
    Remix { video_id: String, model: String, prompt: String },
}

/// What a card shows of a request before (and after) the service has it; 0 is the server's default.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub model: String,
    pub prompt: String,
    pub width: u32,
    pub height: u32,
    pub seconds: u32,
    pub variants: u32,
    /// The video a remix starts from.
    pub remix_of: Option<String>,
}

impl Submission {
    /// What a card shows of it.
    pub fn summary(&self) -> Summary {
        let jobs = |r: &CreateVideoRequest| {
            let (width, height) = r.size.dimensions();
            let (model, prompt) = (r.model.clone(), r.prompt.clone());
            Summary { model, prompt, width, height, seconds: r.n_seconds, variants: r.n_variants, remix_of: None }
        };
        match self {
            Self::Text(request) => jobs(request),
            Self::Media(media) => jobs(&media.request),
            Self::Video(video) => {
                let (width, height) = video.size.unwrap_or((0, 0));
                let (model, prompt) = (video.model.clone(), video.prompt.clone());
                let seconds = video.seconds.unwrap_or(0);
                Summary { model, prompt, width, height, seconds, variants: 1, remix_of: None }
            }
            Self::Remix { video_id, model, prompt } => Summary {
                model: model.clone(),
                prompt: prompt.clone(),
                width: 0,
                height: 0,
                seconds: 0,
                variants: 1,
                remix_of: Some(video_id.clone()),
            },
        }
    }

    /// Whether it is for the Videos API.
    pub fn is_videos(&self) -> bool {
        matches!(self, Self::Video(_) | Self::Remix { .. })
    }

    /// The model (deployment) it is for.
    pub fn model(&self) -> &str {
        match self {
            Self::Text(request) => &request.model,
            Self::Media(media) => &media.request.model,
            Self::Video(video) => &video.model,
            Self::Remix { model, .. } => model,
        }
    }

    /// A submission of the same request, rebuilt from what a card keeps (no image).
    pub fn from_summary(summary: &Summary, videos: bool) -> Option<Self> {
        let Summary { model, prompt, width, height, seconds, variants, remix_of } = summary.clone();
        Some(match (videos, remix_of) {
            (true, Some(video_id)) => Self::Remix { video_id, model, prompt },
            (true, None) => {
                let mut video = CreateVideo::new(model, prompt);
                video.size = (width > 0).then_some((width, height));
                video.seconds = (seconds > 0).then_some(seconds);
                Self::Video(video)
            }
            (false, _) => {
                let mut request = CreateVideoRequest::new(model, prompt, VideoSize::from_dimensions(width, height)?);
                request.n_seconds = seconds;
                request.n_variants = variants;
                Self::Text(request)
            }
        })
    }
}

/// Where a submission is before the service has a job for it.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitState {
    /// Waiting for one of the service's 2 running slots; `position` submissions are ahead.
    WaitingForSlot { position: usize },
    /// Sent, waiting for the answer.
    Sending,
    /// The service answered 429 after the client's own retries; the studio tries again at `until_ms`.
    Busy { until_ms: f64 },
    /// The service refused it (the problem says why).
    Refused,
    /// Created: the record has the job.
    Created,
}

/// A job card's state. All fields are reactive handles, so an entry is `Copy`.
#[derive(Clone, Copy)]
pub struct Entry {
    /// Local identity for the list (jobs get their service id only once created).
    pub key: u64,
    /// The request as submitted, for display before the job exists.
    pub request: StoredValue<Summary>,
    pub record: RwSignal<Option<JobRecord>>,
    pub submit: RwSignal<SubmitState>,
    /// When the studio started on it (ms), for elapsed time before the job exists.
    pub started_ms: f64,
    pub remaining_ms: RwSignal<Option<u64>>,
    pub problem: RwSignal<Option<Problem>>,
    /// The user stopped watching it.
    pub stopped: RwSignal<bool>,
    /// A delete is under way.
    pub deleting: RwSignal<bool>,
    /// Aborts a submission still waiting for a slot.
    pub(super) submit_abort: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
    /// The saved submission while the service has no job for it (it can be tried again).
    pub(super) pending: StoredValue<Option<PendingSubmission>, LocalStorage>,
    /// The submission as this page sent it, image included, for Try again once the job ended
    /// (`None` for jobs restored from a reload or another tab: their text request is all there is).
    pub(super) original: StoredValue<Option<Submission>, LocalStorage>,
}

impl Entry {
    pub(super) fn new(key: u64, request: Summary, record: Option<JobRecord>, submit: SubmitState) -> Self {
        Self {
            key,
            request: StoredValue::new(request),
            record: RwSignal::new(record),
            submit: RwSignal::new(submit),
            started_ms: js_sys::Date::now(),
            remaining_ms: RwSignal::new(None),
            problem: RwSignal::new(None),
            stopped: RwSignal::new(false),
            deleting: RwSignal::new(false),
            submit_abort: StoredValue::new_local(None),
            pending: StoredValue::new_local(None),
            original: StoredValue::new_local(None),
        }
    }

    /// An entry for a job saved earlier or created in another tab.
    pub fn restored(key: u64, record: JobRecord) -> Self {
        let job = &record.job;
        let request = Summary {
            model: job.model.clone(),
            prompt: job.prompt.clone(),
            width: job.width,
            height: job.height,
            seconds: job.n_seconds,
            variants: job.n_variants,
            remix_of: record.remixed_from.clone(),
        };
        Self::new(key, request, Some(record), SubmitState::Created)
    }

    /// Free the entry's signals (its card is gone).
    pub fn dispose(self) {
        self.submit_abort.with_value(|c| {
            if let Some(c) = c {
                c.abort();
            }
        });
        self.request.dispose();
        self.record.dispose();
        self.submit.dispose();
        self.remaining_ms.dispose();
        self.problem.dispose();
        self.stopped.dispose();
        self.deleting.dispose();
        self.submit_abort.dispose();
        self.pending.dispose();
        self.original.dispose();
    }

    /// Whether a submission the service refused or never got can be sent again.
    pub fn can_retry(&self) -> bool {
        self.record.with(Option::is_none)
            && self.submit.get() == SubmitState::Refused
            && self.pending.try_with_value(Option::is_some).unwrap_or(false)
    }

    /// The job's service id, once created.
    pub fn job_id(&self) -> Option<String> {
        // `try_`: async work may outlive a deleted entry.
        self.record.try_with_untracked(|r| r.as_ref().map(|r| r.job.id.clone())).flatten()
    }

    /// Whether the job still needs watching: created, not ended, still on the service.
    pub fn needs_watch(&self) -> bool {
        self.record.try_with(|r| r.as_ref().is_some_and(|r| !r.job.status.is_terminal() && !r.gone)).unwrap_or(false)
            && !self.stopped.try_get().unwrap_or(true)
    }
}
