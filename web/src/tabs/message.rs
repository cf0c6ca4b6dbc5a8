//! What one tab tells the others, and its JSON text on the BroadcastChannel.
//!
//! The text is what the serde derive of earlier builds wrote (a tab of an older build may still be
//! open): externally tagged, snake_case (`{"progress":{"job_id":"…","remaining_ms":5000}}`, the unit
//! variant as a bare string, `"library"`).

use sora_client::VideoGenerationJob;
use sora_client::decode::{Decode, Node};

use crate::json::{Encode, Object, read};

/// What one tab tells the others.
#[derive(Debug, Clone, PartialEq)]
pub enum TabMessage {
    /// A job was created, or changed on the service.
    Job { job: VideoGenerationJob, endpoint: String },
    /// Progress of a watched job (estimated remaining time).
    Progress { job_id: String, remaining_ms: Option<u64> },
    /// A job's videos were saved to the library.
    Saved { job_id: String },
    /// A job was deleted (on the service and from this device).
    Removed { job_id: String },
    /// The library changed (cleared, or a video removed).
    Library,
}

impl Encode for TabMessage {
    fn encode(&self, out: &mut String) {
        let tag = match self {
            Self::Library => return crate::json::string(out, "library"),
            Self::Job { .. } => "job",
            Self::Progress { .. } => "progress",
            Self::Saved { .. } => "saved",
            Self::Removed { .. } => "removed",
        };
        let mut outer = Object::new(out);
        let mut body = Object::new(outer.key(tag));
        match self {
            Self::Job { job, endpoint } => body.value("job", job).str("endpoint", endpoint),
            Self::Progress { job_id, remaining_ms } => {
                body.str("job_id", job_id).opt_int("remaining_ms", *remaining_ms)
            }
            Self::Saved { job_id } | Self::Removed { job_id } => body.str("job_id", job_id),
            Self::Library => &mut body,
        }
        .end();
        outer.end();
    }
}

impl Decode for TabMessage {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        if node.string().as_deref() == Some("library") {
            return Ok(Self::Library);
        }
        read::object(node)?;
        let job_id = |body: &N| read::string(body, "job_id");
        if let Some(body) = node.get("job") {
            read::object(&body)?;
            Ok(Self::Job { job: read::value(&body, "job")?, endpoint: read::string(&body, "endpoint")? })
        } else if let Some(body) = node.get("progress") {
            read::object(&body)?;
            let remaining_ms = read::opt_whole(&body, "remaining_ms", 0.0, u64::MAX as f64)?.map(|n| n as u64);
            Ok(Self::Progress { job_id: job_id(&body)?, remaining_ms })
        } else if let Some(body) = node.get("saved") {
            read::object(&body)?;
            Ok(Self::Saved { job_id: job_id(&body)? })
        } else if let Some(body) = node.get("removed") {
            read::object(&body)?;
            Ok(Self::Removed { job_id: job_id(&body)? })
        } else {
            Err(String::from("not a message of this studio"))
        }
    }
}

/// What the tabs tell each other about who polls (handled in `tabs.rs`, never by the studio).
/// Tabs of older builds do not read it as a [`TabMessage`], so they ignore it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Leadership {
    /// From the poller: whether it is hidden now (a visible tab then takes over).
    Leader { hidden: bool },
    /// From a tab that just opened: the poller answers with [`Leadership::Leader`].
    WhoLeads,
}

impl Encode for Leadership {
    fn encode(&self, out: &mut String) {
        match self {
            Self::WhoLeads => crate::json::string(out, "who_leads"),
            Self::Leader { hidden } => {
                let mut outer = Object::new(out);
                Object::new(outer.key("leader")).bool("hidden", *hidden).end();
                outer.end();
            }
        }
    }
}

impl Decode for Leadership {
    fn decode<N: Node>(node: &N) -> Result<Self, String> {
        if node.string().as_deref() == Some("who_leads") {
            return Ok(Self::WhoLeads);
        }
        read::object(node)?;
        let body = node.get("leader").ok_or_else(|| String::from("not a leadership message"))?;
        read::object(&body)?;
        Ok(Self::Leader { hidden: read::flag(&body, "hidden")? })
    }
}
