//! What the studio keeps of a job and of each saved video, and their JSON text in IndexedDB.
//!
//! The text is what the serde derives of earlier builds wrote and read (records saved by them must
//! still load, and the other way round): members named and ordered as the structs' fields, absent
//! `Option`s as `null`, the job in the API's wire format.

use sora_client::decode::{Decode, Node, read};
use sora_client::videos::Video;
use sora_client::{Protocol, VideoGeneration, VideoGenerationJob};

use crate::json::{Json, ToJson};

/// What is saved of a job on this device (IndexedDB, as soon as it is created).
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord {
    pub job: VideoGenerationJob,
    /// The endpoint it was created on.
    pub endpoint: String,
    /// Its videos and thumbnails are in the library (absent is `false`).
    pub saved: bool,
    /// The service no longer has it (deleted or expired; absent is `false`).
    pub gone: bool,
    /// The saved submission it was created from (see `pending.rs`), so a restore can drop that.
    /// Left out of the text when `None`.
    pub submission: Option<String>,
    /// The API it was created with (left out for the jobs API, which is what older records hold).
    pub protocol: Protocol,
    /// How much is done, 0 to 100, when the server says (the Videos API).
    pub progress: Option<u32>,
    /// The video this one remixes (the Videos API).
    pub remixed_from: Option<String>,
}

impl JobRecord {
    /// A record for a job just created or heard of.
    pub fn new(job: VideoGenerationJob, endpoint: String) -> Self {
        Self {
            job,
            endpoint,
            saved: false,
            gone: false,
            submission: None,
            protocol: Protocol::AzureJobs,
            progress: None,
            remixed_from: None,
        }
    }

    /// A record for a video of the Videos API (`remix_of`: the parent this studio asked to remix).
    pub fn of_video(video: &Video, endpoint: String, protocol: Protocol, remix_of: Option<String>) -> Self {
        let mut record = Self::new(super::video_job::job_of(video), endpoint);
        record.protocol = protocol;
        record.remixed_from = remix_of;
        record.set_video(video);
        record
    }

    /// Write the Videos API's members, each only when set (the jobs API's records have none, as
    /// older builds wrote them); tab messages carry them too.
    pub(crate) fn push_video_members<'a>(&'a self, members: &mut Vec<(&'a str, Json<'a>)>) {
        if self.protocol.is_videos() {
            members.push(("protocol", Json::Str(self.protocol.as_str())));
        }
        if let Some(progress) = self.progress {
            members.push(("progress", Json::Num(progress.into())));
        }
        if let Some(parent) = &self.remixed_from {
            members.push(("remixed_from", Json::Str(parent)));
        }
    }

    /// Read back what [`JobRecord::push_video_members`] wrote.
    pub(crate) fn read_video_members<N: Node>(&mut self, node: &N) -> Result<(), String> {
        if let Some(name) = read::opt_string(node, "protocol")? {
            self.protocol = Protocol::from_name(&name).map_err(|e| e.to_string())?;
        }
        self.progress = read::opt_whole(node, "progress", 0.0, 100.0)?.map(|n| n as u32);
        self.remixed_from = read::opt_string(node, "remixed_from")?;
        Ok(())
    }

    /// Take in a newer answer about its video.
    pub fn set_video(&mut self, video: &Video) {
        self.job = super::video_job::job_of(video);
        self.progress = video.progress;
        // The parent as this studio named it wins: a gateway may answer with its upstream id.
        if self.remixed_from.is_none() {
            self.remixed_from = video.remixed_from_video_id.clone();
        }
    }
}

/// What is saved with each video in the library.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoMeta {
    pub generation_id: String,
    pub job_id: String,
    pub prompt: String,
    pub width: u32,
    pub height: u32,
    pub n_seconds: u32,
    /// 1-based variant number within the job.
    pub variant: usize,
    pub saved_at_ms: f64,
    /// When the service deletes its copy (Unix seconds).
    pub expires_at: Option<i64>,
    /// The video it remixes (Videos API; left out of the text when `None`).
    pub remixed_from: Option<String>,
}

const U32: f64 = u32::MAX as f64;

impl ToJson for JobRecord {
    fn to_json(&self) -> Json<'_> {
        let mut members = vec![
            ("job", self.job.to_json()),
            ("endpoint", Json::Str(&self.endpoint)),
            ("saved", Json::Bool(self.saved)),
            ("gone", Json::Bool(self.gone)),
        ];
        if let Some(submission) = &self.submission {
            members.push(("submission", Json::Str(submission)));
        }
        self.push_video_members(&mut members);
        Json::Obj(members)
    }
}

impl Decode for JobRecord {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        read::object(node)?;
        let mut record = Self::new(read::value(node, "job")?, read::string(node, "endpoint")?);
        record.saved = read::flag(node, "saved")?;
        record.gone = read::flag(node, "gone")?;
        record.submission = read::opt_string(node, "submission")?;
        record.read_video_members(node)?;
        Ok(record)
    }
}

impl ToJson for VideoMeta {
    fn to_json(&self) -> Json<'_> {
        let mut members = vec![
            ("generation_id", Json::Str(&self.generation_id)),
            ("job_id", Json::Str(&self.job_id)),
            ("prompt", Json::Str(&self.prompt)),
            ("width", Json::Num(self.width.into())),
            ("height", Json::Num(self.height.into())),
            ("n_seconds", Json::Num(self.n_seconds.into())),
            ("variant", Json::Num(self.variant as f64)),
            ("saved_at_ms", Json::Num(self.saved_at_ms)),
            ("expires_at", Json::opt_num(self.expires_at.map(|at| at as f64))),
        ];
        if let Some(parent) = &self.remixed_from {
            members.push(("remixed_from", Json::Str(parent)));
        }
        Json::Obj(members)
    }
}

impl Decode for VideoMeta {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        read::object(node)?;
        Ok(Self {
            generation_id: read::string(node, "generation_id")?,
            job_id: read::string(node, "job_id")?,
            prompt: read::string(node, "prompt")?,
            width: read::whole(node, "width", 0.0, U32)? as u32,
            height: read::whole(node, "height", 0.0, U32)? as u32,
            n_seconds: read::whole(node, "n_seconds", 0.0, U32)? as u32,
            variant: read::whole(node, "variant", 0.0, usize::MAX as f64)? as usize,
            saved_at_ms: read::number(node, "saved_at_ms")?,
            expires_at: read::opt_whole(node, "expires_at", -read::MAX_SAFE, read::MAX_SAFE)?.map(|n| n as i64),
            remixed_from: read::opt_string(node, "remixed_from")?,
        })
    }
}

/// A job in the API's wire format, as serde wrote it (every field, `null` for absent ones). Read
/// back by `sora_client::decode`.
impl ToJson for VideoGenerationJob {
    fn to_json(&self) -> Json<'_> {
        Json::Obj(vec![
            ("id", Json::Str(&self.id)),
            ("status", Json::Str(self.status.as_str())),
            ("created_at", Json::Num(self.created_at as f64)),
            ("finished_at", Json::opt_num(self.finished_at.map(|at| at as f64))),
            ("expires_at", Json::opt_num(self.expires_at.map(|at| at as f64))),
            ("generations", Json::Arr(self.generations.iter().map(ToJson::to_json).collect())),
            ("prompt", Json::Str(&self.prompt)),
            ("model", Json::Str(&self.model)),
            ("n_variants", Json::Num(self.n_variants.into())),
            ("n_seconds", Json::Num(self.n_seconds.into())),
            ("height", Json::Num(self.height.into())),
            ("width", Json::Num(self.width.into())),
            ("failure_reason", Json::opt_str(self.failure_reason.as_ref().map(|r| r.as_str()))),
        ])
    }
}

impl ToJson for VideoGeneration {
    fn to_json(&self) -> Json<'_> {
        Json::Obj(vec![
            ("id", Json::Str(&self.id)),
            ("job_id", Json::Str(&self.job_id)),
            ("created_at", Json::Num(self.created_at as f64)),
            ("width", Json::Num(self.width.into())),
            ("height", Json::Num(self.height.into())),
            ("n_seconds", Json::Num(self.n_seconds.into())),
            ("prompt", Json::Str(&self.prompt)),
        ])
    }
}
