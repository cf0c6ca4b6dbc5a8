//! The Videos API (`/videos`, Azure's Sora 2 and OpenAI's shape): its model table, request
//! checks, reference images and JSON forms.
//!
//! A video is a job of the one store (see [`crate::job::Job::video`]): it is paced, rendered,
//! limited, persisted and expired exactly as a jobs API job, and only the wire shape differs.
//! The handlers are in `routes::videos`.

pub mod models;
pub mod reference;
pub mod request;
pub mod view;

use crate::moderation::{self, Verdict};

/// How a video came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Create,
    Remix,
    Edit,
    Extension,
}

impl Origin {
    /// The name the state file stores.
    pub fn name(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Remix => "remix",
            Self::Edit => "edit",
            Self::Extension => "extension",
        }
    }

    /// Reads a stored name (an unknown one is a plain create).
    pub fn parse(text: &str) -> Self {
        match text {
            "remix" => Self::Remix,
            "edit" => Self::Edit,
            "extension" => Self::Extension,
            _ => Self::Create,
        }
    }
}

/// What only a Videos API video has, next to its job record.
#[derive(Debug, Clone)]
pub struct VideoMeta {
    pub origin: Origin,
    /// The video a remix, edit or extension was made from.
    pub source: Option<String>,
    /// The prompt held a blocklisted word: the Videos API fails the video after queueing it
    /// (`moderation_blocked`) where the jobs API refuses the create.
    pub blocked: bool,
}

impl VideoMeta {
    /// How the video will end: blocked prompts fail at moderation, otherwise the prompt triggers decide.
    pub fn verdict(&self, prompt: &str) -> Verdict {
        if self.blocked { Verdict::InputModeration } else { moderation::review(prompt) }
    }

    /// The line printed in the frames of a derived video, naming its source so it is visible.
    pub fn caption(&self) -> Option<String> {
        let source = self.source.as_deref()?;
        let what = match self.origin {
            Origin::Create => return None,
            Origin::Remix => "remix of",
            Origin::Edit => "edit of",
            Origin::Extension => "extension of",
        };
        Some(format!("{what} {source}"))
    }

    /// `remixed_from_video_id`: set for remixes only.
    pub fn remixed_from(&self) -> Option<&str> {
        (self.origin == Origin::Remix).then_some(self.source.as_deref()).flatten()
    }
}
