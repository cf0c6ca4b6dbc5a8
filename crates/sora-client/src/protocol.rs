//! Which API a client speaks, and where its paths start.

use crate::error::Error;

/// The API a [`Client`](crate::Client) speaks, chosen at construction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Protocol {
    /// The Azure OpenAI video generation jobs API: `…/openai/v1/video/generations/jobs?api-version=…`.
    #[default]
    AzureJobs,
    /// The Videos API on an Azure resource (Sora 2): `https://r.openai.azure.com` → `…/openai/v1/videos`.
    AzureVideos,
    /// The Videos API on any OpenAI-compatible base, used as given: `https://gateway.example/v1` →
    /// `…/v1/videos` (the LiteLLM proxy and other gateways).
    OpenAiVideos,
}

impl Protocol {
    /// Every protocol, in the order a person is offered them.
    pub const ALL: [Self; 3] = [Self::AzureJobs, Self::AzureVideos, Self::OpenAiVideos];

    /// The name used in settings and the JS binding: `azure-jobs`, `azure-videos`, `openai-videos`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AzureJobs => "azure-jobs",
            Self::AzureVideos => "azure-videos",
            Self::OpenAiVideos => "openai-videos",
        }
    }

    /// The protocol named `name` (see [`Protocol::as_str`]).
    ///
    /// # Errors
    /// [`Error::Validation`] on field `protocol` naming the known ones.
    pub fn from_name(name: &str) -> Result<Self, Error> {
        Self::ALL.into_iter().find(|p| p.as_str() == name).ok_or_else(|| Error::Validation {
            field: "protocol",
            message: ["must be azure-jobs, azure-videos or openai-videos, not \"", name, "\""].concat(),
        })
    }

    /// Whether this is the Videos API (`/videos`), on Azure or elsewhere.
    pub fn is_videos(self) -> bool {
        self != Self::AzureJobs
    }

    /// The family of operations this protocol serves.
    pub(crate) fn api(self) -> Api {
        if self.is_videos() { Api::Videos } else { Api::Jobs }
    }

    /// Creates per minute the service allows by default, when it limits them apart from other
    /// requests: Azure's Sora 2 deployments take about 2.
    pub fn default_creates_per_minute(self) -> Option<u32> {
        (self == Self::AzureVideos).then_some(2)
    }

    /// The error for an operation of the other API.
    pub(crate) fn refuse(self) -> Error {
        let (other, speaks) =
            if self.is_videos() { ("the jobs API's", "the Videos API") } else { ("the Videos API's", "the jobs API") };
        Error::Validation {
            field: "protocol",
            message: [
                other,
                " operations need a client made for that API; this one speaks ",
                speaks,
                " (",
                self.as_str(),
                ")",
            ]
            .concat(),
        }
    }
}

/// The two families of operations, each with its own paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    /// `…/video/generations/…?api-version=…`
    Jobs,
    /// `…/videos…`, with no `api-version`.
    Videos,
}

impl Api {
    /// The path segments every call's own segments follow.
    pub(crate) fn root(self) -> &'static [&'static str] {
        match self {
            Self::Jobs => &["video", "generations"],
            Self::Videos => &["videos"],
        }
    }
}
