//! What one tab tells the others, and its JSON text on the BroadcastChannel.
//!
//! The text is what the serde derive of earlier builds wrote (a tab of an older build may still be
//! open): externally tagged, snake_case (`{"progress":{"job_id":"…","remaining_ms":5000}}`, the unit
//! variant as a bare string, `"library"`).

use sora_client::decode::{Decode, Node, read};

use crate::state::JobRecord;

use crate::json::{Json, ToJson};

/// What one tab tells the others.
#[derive(Debug, Clone, PartialEq)]
pub enum TabMessage {
    /// A job was created, or changed on the service: its record (sent without this tab's `saved`,
    /// `gone` and `submission`, which each tab keeps for itself).
    Job { record: JobRecord },
    /// Progress of a watched job (estimated remaining time).
    Progress { job_id: String, remaining_ms: Option<u64> },
    /// A job's videos were saved to the library.
    Saved { job_id: String },
    /// A job was deleted (on the service and from this device).
    Removed { job_id: String },
    /// The library changed (cleared, or a video removed).
    Library,
}

impl ToJson for TabMessage {
    fn to_json(&self) -> Json<'_> {
        let (tag, body) = match self {
            Self::Library => return Json::Str("library"),
            Self::Job { record } => {
                let mut members = vec![("job", record.job.to_json()), ("endpoint", Json::Str(&record.endpoint))];
                record.push_video_members(&mut members);
                ("job", members)
            }
            Self::Progress { job_id, remaining_ms } => (
                "progress",
                vec![("job_id", Json::Str(job_id)), ("remaining_ms", Json::opt_num(remaining_ms.map(|ms| ms as f64)))],
            ),
            Self::Saved { job_id } => ("saved", vec![("job_id", Json::Str(job_id))]),
            Self::Removed { job_id } => ("removed", vec![("job_id", Json::Str(job_id))]),
        };
        Json::Obj(vec![(tag, Json::Obj(body))])
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
            let mut record = JobRecord::new(read::value(&body, "job")?, read::string(&body, "endpoint")?);
            record.read_video_members(&body)?;
            Ok(Self::Job { record })
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

impl ToJson for Leadership {
    fn to_json(&self) -> Json<'_> {
        match self {
            Self::WhoLeads => Json::Str("who_leads"),
            Self::Leader { hidden } => Json::Obj(vec![("leader", Json::Obj(vec![("hidden", Json::Bool(*hidden))]))]),
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
