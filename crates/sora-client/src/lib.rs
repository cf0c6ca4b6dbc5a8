//! A typed, validated client for the Azure OpenAI video generation jobs API (Sora).
//!
//! No async runtime of its own: on wasm32 it runs on the browser's event loop with `fetch`
//! ([`FetchTransport`]); natively, bring any [`Transport`].
//!
//! ```no_run
//! # async fn run(transport: impl sora_client::Transport) -> Result<(), sora_client::Error> {
//! use sora_client::{Auth, Client, CreateVideoRequest, VideoSize};
//! let client = Client::new("https://my-resource.openai.azure.com", Auth::ApiKey("KEY".into()), transport)?;
//! let job = client.create_job(&CreateVideoRequest::new("sora", "A red fox in snow", VideoSize::Landscape480)).await?;
//! println!("{} is {}", job.id, job.status);
//! # Ok(()) }
//! ```

mod client;
mod endpoint;
mod error;
pub mod json;
mod lenient;
mod request;
mod retry_after;
mod size;
mod transport;
mod types;

#[cfg(target_arch = "wasm32")]
mod fetch;

pub use client::{Auth, Client, DEFAULT_API_VERSION, ListJobsQuery, Quality};
pub use endpoint::Endpoint;
pub use error::{ApiError, Error};
pub use request::{CreateVideoRequest, MAX_PROMPT_CHARS, SECONDS_RANGE};
pub use size::{Orientation, VideoSize};
pub use transport::{HttpRequest, HttpResponse, Method, Transport};
pub use types::{FailureReason, JobStatus, VideoGeneration, VideoGenerationJob, VideoGenerationJobList};

#[cfg(target_arch = "wasm32")]
pub use fetch::FetchTransport;
