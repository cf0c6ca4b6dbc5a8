//! The Videos API (`/videos`): Azure OpenAI's Sora 2 and the gateways that keep its shape (the
//! LiteLLM proxy and others), next to the jobs API of the rest of the crate.
//!
//! Its requests are checked against a table of what each model accepts ([`ModelRules`]); its
//! answers are read by the crate's one decoder, its statuses are [`JobStatus`](crate::JobStatus)'s.

mod create;
mod model;
mod ops;
mod video;
mod wait;

pub use create::{CreateVideo, MAX_REFERENCE_BYTES, ReferenceImage, one_of};
pub use model::{MODELS, ModelRules};
pub use ops::{EXTENSION_SECONDS, ListVideosQuery, Order};
pub use video::{ContentVariant, Video, VideoDeleted, VideoError, VideoList};
