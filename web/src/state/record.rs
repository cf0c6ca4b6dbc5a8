//! What the studio keeps of a job and of each saved video, and their JSON text in IndexedDB.
//!
//! The text is what the serde derives of earlier builds wrote and read (records saved by them must
//! still load, and the other way round): members named and ordered as the structs' fields, absent
//! `Option`s as `null`, the job in the API's wire format.

use sora_client::decode::{Decode, Node};
use sora_client::{VideoGeneration, VideoGenerationJob};

use crate::json::{Encode, Object, read};

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
}

impl JobRecord {
    /// A record for a job just created or heard of.
    pub fn new(job: VideoGenerationJob, endpoint: String) -> Self {
        Self { job, endpoint, saved: false, gone: false, submission: None }
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
}

const U32: f64 = u32::MAX as f64;
/// Timestamps as JSON numbers hold them exactly (±2^53).
const SAFE: f64 = 9_007_199_254_740_992.0;

impl Encode for JobRecord {
    fn encode(&self, out: &mut String) {
        let mut object = Object::new(out);
        object
            .value("job", &self.job)
            .str("endpoint", &self.endpoint)
            .bool("saved", self.saved)
            .bool("gone", self.gone);
        if let Some(submission) = &self.submission {
            object.str("submission", submission);
        }
        object.end();
    }
}

impl Decode for JobRecord {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        read::object(node)?;
        Ok(Self {
            job: read::value(node, "job")?,
            endpoint: read::string(node, "endpoint")?,
            saved: read::flag(node, "saved")?,
            gone: read::flag(node, "gone")?,
            submission: read::opt_string(node, "submission")?,
        })
    }
}

impl Encode for VideoMeta {
    fn encode(&self, out: &mut String) {
        Object::new(out)
            .str("generation_id", &self.generation_id)
            .str("job_id", &self.job_id)
            .str("prompt", &self.prompt)
            .int("width", self.width)
            .int("height", self.height)
            .int("n_seconds", self.n_seconds)
            .int("variant", self.variant)
            .num("saved_at_ms", self.saved_at_ms)
            .opt_int("expires_at", self.expires_at)
            .end();
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
            expires_at: read::opt_whole(node, "expires_at", -SAFE, SAFE)?.map(|n| n as i64),
        })
    }
}

/// A job in the API's wire format, as serde wrote it (every field, `null` for absent ones). Read
/// back by `sora_client::decode`.
impl Encode for VideoGenerationJob {
    fn encode(&self, out: &mut String) {
        let mut object = Object::new(out);
        object
            .str("id", &self.id)
            .str("status", self.status.as_str())
            .int("created_at", self.created_at)
            .opt_int("finished_at", self.finished_at)
            .opt_int("expires_at", self.expires_at);
        let list = object.key("generations");
        list.push('[');
        for (i, generation) in self.generations.iter().enumerate() {
            if i > 0 {
                list.push(',');
            }
            generation.encode(list);
        }
        list.push(']');
        object
            .str("prompt", &self.prompt)
            .str("model", &self.model)
            .int("n_variants", self.n_variants)
            .int("n_seconds", self.n_seconds)
            .int("height", self.height)
            .int("width", self.width)
            .opt_str("failure_reason", self.failure_reason.as_ref().map(|r| r.as_str()))
            .end();
    }
}

impl Encode for VideoGeneration {
    fn encode(&self, out: &mut String) {
        Object::new(out)
            .str("id", &self.id)
            .str("job_id", &self.job_id)
            .int("created_at", self.created_at)
            .int("width", self.width)
            .int("height", self.height)
            .int("n_seconds", self.n_seconds)
            .str("prompt", &self.prompt)
            .end();
    }
}
