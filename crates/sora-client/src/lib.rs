//! A typed, validated client for the Azure OpenAI video generation jobs API (Sora).
//!
//! No async runtime of its own: on wasm32 it runs on the browser's event loop with `fetch` and
//! real timers ([`FetchTransport`]); natively, bring any [`Transport`]. It validates every service
//! rule before sending, retries what is safe to retry, keeps to the service's requests-per-minute
//! and running-job limits, and polls jobs on an ETA-aware schedule.
//!
//! ```no_run
//! # async fn run(transport: impl sora_client::Transport) -> Result<(), sora_client::Error> {
//! use sora_client::{Auth, Client, CreateVideoRequest, Quality, VideoSize, WaitOptions};
//! let client = Client::new("https://my-resource.openai.azure.com", Auth::ApiKey("KEY".into()), transport)?;
//! let request = CreateVideoRequest::new("sora", "A red fox in snow", VideoSize::Landscape480);
//! let job = client.create_and_wait(&request, &WaitOptions::default()).await?;
//! let mp4 = client.video_content(&job.generations[0].id, Quality::High).await?;
//! # Ok(()) }
//! ```

mod api_version;
mod auth;
mod client;
mod clock;
pub mod decode;
mod endpoint;
mod envelope;
mod error;
mod estimate;
pub mod json;
mod media;
mod operations;
mod pager;
mod platform;
mod poll;
mod protocol;
mod rate;
mod request;
mod retry;
mod retry_after;
mod size;
mod transport;
mod types;
pub mod videos;
mod waiting;

#[cfg(target_arch = "wasm32")]
mod fetch;

pub use api_version::{API_VERSIONS, DEFAULT_API_VERSION};
pub use auth::{Auth, Token, TokenFuture, TokenProvider};
pub use client::{Client, ClientOptions};
pub use endpoint::Endpoint;
pub use error::{ApiError, Error};
pub use estimate::DurationEstimator;
pub use media::{CreateVideoWithMediaRequest, CropBounds, MAX_MEDIA_BYTES, MediaItem, Multipart, image_type};
pub use operations::{ListJobsQuery, Quality};
pub use pager::{JobPager, ListQuery, Pager, VideoPager};
pub use poll::PollOptions;
pub use protocol::Protocol;
pub use request::{
    CreateVideoRequest, MAX_PROMPT_CHARS, SECONDS_RANGE, validate_model, validate_prompt, validate_seconds,
    validate_variants,
};
pub use retry::{Idempotency, RetryPolicy, is_retryable};
pub use retry_after::requested_wait_ms;
pub use size::{Orientation, VideoSize, dimensions_name, parse_dimensions};
pub use transport::{Body, HttpRequest, HttpResponse, Method, Transport};
pub use types::{FailureReason, JobStatus, Page, VideoGeneration, VideoGenerationJob, VideoGenerationJobList};
pub use waiting::{Progress, WaitOptions};

#[cfg(target_arch = "wasm32")]
pub use fetch::FetchTransport;
