//! Response types of the Videos API, read as liberally as the jobs API's (see [`crate::decode`]).

use crate::decode::read::{flag, member, object, opt_integer, opt_string, string, string_or_empty};
use crate::decode::{Decode, Node};
use crate::error::Error;
use crate::types::JobStatus;

/// Why a video failed: the service's `error` member (`code` is empty when it sends none).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VideoError {
    pub code: String,
    pub message: String,
}

/// A video of the Videos API (`object: "video"`).
#[derive(Debug, Clone, PartialEq)]
pub struct Video {
    /// Opaque: a gateway's ids carry its own encoding (LiteLLM's are base64 with `=`, `+`, `/`).
    pub id: String,
    pub model: String,
    /// `queued`, `in_progress`, `completed` or `failed` (unknown values kept).
    pub status: JobStatus,
    /// Roughly how much is done, 0 to 100, when the server says.
    pub progress: Option<u32>,
    pub created_at: i64,
    pub completed_at: Option<i64>,
    /// When the server deletes the video's assets: save them before this time.
    pub expires_at: Option<i64>,
    pub prompt: String,
    /// Seconds of video (the server writes `"8"`; a number is read too; 0 when absent).
    pub seconds: u32,
    /// `WIDTHxHEIGHT` as the server wrote it (see [`Video::dimensions`]).
    pub size: String,
    /// The video this one remixes.
    pub remixed_from_video_id: Option<String>,
    /// Why it failed, when it did.
    pub error: Option<VideoError>,
}

impl Video {
    /// Width and height, when `size` is `WIDTHxHEIGHT`.
    pub fn dimensions(&self) -> Option<(u32, u32)> {
        crate::size::parse_dimensions(&self.size)
    }
}

/// One page of videos.
pub type VideoList = crate::types::Page<Video>;

/// What a delete answers (`object: "video.deleted"`).
#[derive(Debug, Clone, PartialEq)]
pub struct VideoDeleted {
    pub id: String,
    pub deleted: bool,
}

/// Which asset of a video to download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContentVariant {
    /// The MP4.
    Video,
    /// One still image.
    Thumbnail,
    /// A grid of frames in one image, for scrubbing.
    Spritesheet,
}

impl ContentVariant {
    /// Every variant, the server's default first.
    pub const ALL: [ContentVariant; 3] = [Self::Video, Self::Thumbnail, Self::Spritesheet];

    /// The variant named `name` (`video`, `thumbnail` or `spritesheet`).
    ///
    /// # Errors
    /// [`Error::Validation`] on field `variant` for any other name.
    pub fn from_name(name: &str) -> Result<Self, Error> {
        Self::ALL.into_iter().find(|v| v.as_str() == name).ok_or_else(|| Error::Validation {
            field: "variant",
            message: ["must be video, thumbnail or spritesheet, not \"", name, "\""].concat(),
        })
    }

    /// The `variant` query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Video => "video",
            Self::Thumbnail => "thumbnail",
            Self::Spritesheet => "spritesheet",
        }
    }
}

impl Decode for VideoError {
    /// An object with `message` and `code`, or just a message.
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        if let Some(message) = node.string() {
            return Ok(Self { code: String::new(), message });
        }
        object(node).map_err(|_| String::from("`error`: expected an object or a string"))?;
        Ok(Self { code: string_or_empty(node, "code")?, message: string_or_empty(node, "message")? })
    }
}

impl Decode for Video {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        object(node)?;
        // Liberal where a gateway may differ: a progress that is not a percentage is no progress.
        let progress = member(node, "progress")
            .and_then(|v| v.number())
            .filter(|p| (0.0..=100.0).contains(p))
            .map(|p| p.round() as u32);
        let error = member(node, "error").map(|e| VideoError::decode(&e)).transpose()?;
        Ok(Self {
            id: string(node, "id")?,
            model: string_or_empty(node, "model")?,
            status: JobStatus::from_wire(&string(node, "status")?),
            progress,
            created_at: opt_integer(node, "created_at")?.unwrap_or(0),
            completed_at: opt_integer(node, "completed_at")?,
            expires_at: opt_integer(node, "expires_at")?,
            prompt: string_or_empty(node, "prompt")?,
            seconds: crate::decode::read::count(node, "seconds")?,
            size: string_or_empty(node, "size")?,
            remixed_from_video_id: opt_string(node, "remixed_from_video_id")?,
            error,
        })
    }
}

impl Decode for VideoDeleted {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        object(node)?;
        Ok(Self { id: string(node, "id")?, deleted: flag(node, "deleted")? })
    }
}
