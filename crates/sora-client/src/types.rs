//! Response types of the video generation jobs API, read liberally (see [`crate::decode`]).
//!
//! The spec marks nothing nullable, yet the service sends `null` for absent values, and new status or
//! failure values may appear at any time: both are accepted rather than turned into decode errors.

/// The status of a job of either API; unknown values are kept verbatim.
///
/// The jobs API has seven; the Videos API has `queued`, `in_progress`, `completed` and `failed`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum JobStatus {
    Preprocessing,
    Queued,
    Running,
    Processing,
    Cancelled,
    Succeeded,
    Failed,
    /// The Videos API's "being made".
    InProgress,
    /// The Videos API's "done": its assets can be downloaded.
    Completed,
    /// A status this client does not know yet; treated as still in progress.
    Other(String),
}

impl JobStatus {
    /// Every status of the Videos API, in lifecycle order.
    pub const VIDEOS: [JobStatus; 4] =
        [JobStatus::Queued, JobStatus::InProgress, JobStatus::Completed, JobStatus::Failed];

    /// Every status the jobs API's spec names, in lifecycle order.
    pub const KNOWN: [JobStatus; 7] = [
        JobStatus::Preprocessing,
        JobStatus::Queued,
        JobStatus::Running,
        JobStatus::Processing,
        JobStatus::Succeeded,
        JobStatus::Failed,
        JobStatus::Cancelled,
    ];

    /// Parse a wire value, keeping unknown ones.
    pub fn from_wire(value: &str) -> Self {
        match value {
            "preprocessing" => Self::Preprocessing,
            "queued" => Self::Queued,
            "running" => Self::Running,
            "processing" => Self::Processing,
            "cancelled" => Self::Cancelled,
            "succeeded" => Self::Succeeded,
            "failed" => Self::Failed,
            "in_progress" => Self::InProgress,
            "completed" => Self::Completed,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Preprocessing => "preprocessing",
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Processing => "processing",
            Self::Cancelled => "cancelled",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::InProgress => "in_progress",
            Self::Completed => "completed",
            Self::Other(other) => other,
        }
    }

    /// Whether the job will not change any more (`succeeded`, `completed`, `failed`, `cancelled`).
    ///
    /// Unknown statuses count as in progress, so a poll loop keeps going rather than giving up on a
    /// job the service is still working on.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Succeeded | Self::Completed | Self::Failed | Self::Cancelled)
    }

    /// Whether the job made its videos (`succeeded`, `completed`).
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Succeeded | Self::Completed)
    }
}

impl std::fmt::Display for JobStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a job failed; an open set, unknown values are kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FailureReason {
    /// The prompt or input media was rejected by content moderation.
    InputModeration,
    /// The generated output was rejected by content moderation.
    OutputModeration,
    /// The service failed internally; trying again may work.
    InternalError,
    Other(String),
}

impl FailureReason {
    /// Parse a wire value, keeping unknown ones.
    pub fn from_wire(value: &str) -> Self {
        match value {
            "input_moderation" => Self::InputModeration,
            "output_moderation" => Self::OutputModeration,
            "internal_error" => Self::InternalError,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::InputModeration => "input_moderation",
            Self::OutputModeration => "output_moderation",
            Self::InternalError => "internal_error",
            Self::Other(other) => other,
        }
    }
}

impl std::fmt::Display for FailureReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One generated video of a job (`video.generation`).
#[derive(Debug, Clone, PartialEq)]
pub struct VideoGeneration {
    pub id: String,
    pub job_id: String,
    pub created_at: i64,
    pub width: u32,
    pub height: u32,
    pub n_seconds: u32,
    pub prompt: String,
}

/// A video generation job (`video.generation.job`).
#[derive(Debug, Clone, PartialEq)]
pub struct VideoGenerationJob {
    pub id: String,
    pub status: JobStatus,
    pub created_at: i64,
    pub finished_at: Option<i64>,
    /// When the service deletes the job and its videos: save them before this time.
    pub expires_at: Option<i64>,
    pub generations: Vec<VideoGeneration>,
    pub prompt: String,
    pub model: String,
    pub n_variants: u32,
    pub n_seconds: u32,
    pub height: u32,
    pub width: u32,
    pub failure_reason: Option<FailureReason>,
}

/// One page of a list (`object: "list"`): the same envelope in the jobs API and the Videos API.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub has_more: bool,
    pub first_id: Option<String>,
    pub last_id: Option<String>,
}

/// One page of jobs.
pub type VideoGenerationJobList = Page<VideoGenerationJob>;
