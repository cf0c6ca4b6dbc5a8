//! The Videos API's operations: one method per endpoint.

use super::{ContentVariant, CreateVideo, Video, VideoDeleted, VideoList};
use crate::client::{Call, Client, Deadline};
use crate::error::Error;
use crate::json::{Json, to_text};
use crate::operations::check_id;
use crate::protocol::Api;
use crate::request::validate_prompt;
use crate::retry::Idempotency;
use crate::transport::{Body, HttpResponse, Method, Transport};

/// The lengths an extension may add, in seconds.
pub const EXTENSION_SECONDS: std::ops::RangeInclusive<u32> = 4..=20;

/// Which end of the list a page starts from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Newest first (the server's default).
    #[default]
    Desc,
    Asc,
}

impl Order {
    /// The `order` query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Desc => "desc",
            Self::Asc => "asc",
        }
    }
}

/// Cursor, size and order of one page of [`Client::list_videos`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListVideosQuery {
    /// Page size, 1 to 100 (default 20).
    pub limit: u32,
    /// Start after this video id.
    pub after: Option<String>,
    pub order: Order,
}

impl Default for ListVideosQuery {
    fn default() -> Self {
        Self { limit: 20, after: None, order: Order::Desc }
    }
}

impl<T: Transport> Client<T> {
    /// Create a video: checked against the model table, sent as multipart (or JSON for an image URL).
    ///
    /// Retried only on 429, when the service certainly did not start a video.
    ///
    /// # Errors
    /// [`Error::Validation`] (nothing sent) when the request breaks a rule the table knows;
    /// [`Error::Api`] with the server's status and message otherwise (an unknown Azure deployment
    /// is a 404); as [`Client::get_video`] when no readable answer came.
    pub async fn create_video(&self, request: &CreateVideo) -> Result<Video, Error> {
        let body = request.to_body()?;
        self.start(&[], body).await.map(|(video, _)| video)
    }

    /// Fetch a video and its status.
    ///
    /// # Errors
    /// [`Error::NotFound`] when it was deleted or expired; [`Error::Api`] for other error answers
    /// (after retries); [`Error::Network`] or [`Error::Decode`] when no readable answer came.
    pub async fn get_video(&self, video_id: &str) -> Result<Video, Error> {
        self.get_video_with_hint(video_id, None).await.map(|(video, _)| video)
    }

    /// Fetch a video, with the wait the server suggests before the next poll.
    pub(crate) async fn get_video_with_hint(
        &self,
        video_id: &str,
        deadline: Option<Deadline>,
    ) -> Result<(Video, Option<u64>), Error> {
        check_id("video_id", video_id)?;
        let segments = [video_id];
        let call =
            Call { deadline, not_found: Some(("video", video_id)), ..Call::videos(Method::Get, &segments, Body::None) };
        let response = self.call(call).await?;
        Ok((crate::json::decode(&response.body)?, self.poll_hint(&response)))
    }

    /// Fetch one page of videos.
    ///
    /// A gateway may not list (the LiteLLM proxy cannot): keep your own record of what you create.
    ///
    /// # Errors
    /// [`Error::Validation`] when `limit` is not 1 to 100; otherwise as [`Client::get_video`].
    pub async fn list_videos(&self, query: &ListVideosQuery) -> Result<VideoList, Error> {
        if !(1..=100).contains(&query.limit) {
            return Err(Error::Validation { field: "limit", message: "must be between 1 and 100".into() });
        }
        let limit = query.limit.to_string();
        let mut params = vec![("limit", limit.as_str()), ("order", query.order.as_str())];
        if let Some(after) = &query.after {
            params.push(("after", after));
        }
        let call = Call { query: &params, ..Call::videos(Method::Get, &[], Body::None) };
        crate::json::decode(&self.call(call).await?.body)
    }

    /// Delete a video and its assets on the server.
    ///
    /// # Errors
    /// As [`Client::get_video`].
    pub async fn delete_video(&self, video_id: &str) -> Result<VideoDeleted, Error> {
        check_id("video_id", video_id)?;
        let segments = [video_id];
        let call = Call { not_found: Some(("video", video_id)), ..Call::videos(Method::Delete, &segments, Body::None) };
        crate::json::decode(&self.call(call).await?.body)
    }

    /// Download one asset of a finished video: the MP4, its thumbnail or its spritesheet.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the video, or this asset of it, is not there (a host may have no
    /// spritesheets), also when an image was asked for and something else came (the LiteLLM
    /// proxy drops `variant` and sends the MP4); [`Error::Network`] when the body broke off before
    /// `Content-Length` bytes; otherwise as [`Client::get_video`].
    pub async fn download_content(&self, video_id: &str, variant: ContentVariant) -> Result<Vec<u8>, Error> {
        check_id("video_id", video_id)?;
        let what = match variant {
            ContentVariant::Video => "video",
            ContentVariant::Thumbnail => "thumbnail of video",
            ContentVariant::Spritesheet => "spritesheet of video",
        };
        let query = [("variant", variant.as_str())];
        let segments = [video_id, "content"];
        let call = Call {
            query: &query,
            not_found: Some((what, video_id)),
            check_length: true,
            ..Call::videos(Method::Get, &segments, Body::None)
        };
        let body = self.call(call).await?.body;
        if variant != ContentVariant::Video && crate::media::image_type(&body).is_none() {
            return Err(Error::NotFound { what, id: video_id.to_owned() });
        }
        Ok(body)
    }

    /// Make a new video from a finished one with a new prompt; the answer names its parent in
    /// `remixed_from_video_id`.
    ///
    /// # Errors
    /// [`Error::Validation`] for an empty or too long prompt; [`Error::NotFound`] when the parent
    /// is gone; [`Error::Api`] when the server refuses (e.g. the parent is not finished); otherwise
    /// as [`Client::create_video`].
    pub async fn remix_video(&self, video_id: &str, prompt: &str) -> Result<Video, Error> {
        check_id("video_id", video_id)?;
        validate_prompt(prompt)?;
        let body = Body::Json(to_text(&Json::Obj(vec![("prompt", Json::Str(prompt))])));
        self.start_from(video_id, &[video_id, "remix"], body).await
    }

    /// Edit a finished video with a prompt (`POST /videos/edits`).
    ///
    /// # Errors
    /// As [`Client::remix_video`].
    pub async fn edit_video(&self, video_id: &str, prompt: &str) -> Result<Video, Error> {
        self.derive(video_id, prompt, None).await
    }

    /// Extend a finished video by a segment of `seconds` (4 to 20) made from a prompt
    /// (`POST /videos/extensions`); the answer's `seconds` is the stitched total.
    ///
    /// # Errors
    /// [`Error::Validation`] on field `seconds` outside 4 to 20; otherwise as [`Client::remix_video`].
    pub async fn extend_video(&self, video_id: &str, prompt: &str, seconds: u32) -> Result<Video, Error> {
        if !EXTENSION_SECONDS.contains(&seconds) {
            let message = ["must be 4 to 20 seconds to add, not ", &seconds.to_string()].concat();
            return Err(Error::Validation { field: "seconds", message });
        }
        self.derive(video_id, prompt, Some(seconds)).await
    }

    /// An edit (no `seconds`) or an extension of the video `video_id`.
    async fn derive(&self, video_id: &str, prompt: &str, seconds: Option<u32>) -> Result<Video, Error> {
        check_id("video_id", video_id)?;
        validate_prompt(prompt)?;
        let seconds = seconds.map(|s| s.to_string());
        let mut fields = vec![("prompt", Json::Str(prompt))];
        fields.extend(seconds.as_deref().map(|s| ("seconds", Json::Str(s))));
        fields.push(("video", Json::Obj(vec![("id", Json::Str(video_id))])));
        let kind = if seconds.is_some() { "extensions" } else { "edits" };
        self.start_from(video_id, &[kind], Body::Json(to_text(&Json::Obj(fields)))).await
    }

    /// A create-like request about an existing video: its 404 means that video is gone.
    async fn start_from(&self, video_id: &str, segments: &[&str], body: Body) -> Result<Video, Error> {
        match self.start(segments, body).await {
            Err(Error::Api(api)) if api.status == 404 => {
                Err(Error::NotFound { what: "video", id: video_id.to_owned() })
            }
            other => other.map(|(video, _)| video),
        }
    }

    /// Send a request that starts a video, and read it.
    pub(crate) async fn start(&self, segments: &[&str], body: Body) -> Result<(Video, Option<u64>), Error> {
        let call = Call { idempotency: Idempotency::Create, ..Call::videos(Method::Post, segments, body) };
        let response = self.call(call).await?;
        let video: Video = crate::json::decode(&response.body)?;
        self.note_server_clock(video.created_at);
        Ok((video, self.poll_hint(&response)))
    }

    /// The wait an answer suggests before the next poll: `openai-poll-after-ms`, else `Retry-After`.
    fn poll_hint(&self, response: &HttpResponse) -> Option<u64> {
        let cap = self.shared.options.poll.max_interval_ms;
        crate::retry_after::poll_hint_ms(response, cap)
            .or_else(|| crate::retry_after::requested_wait_ms(response, self.transport.now_ms(), cap))
    }
}

impl<'a> Call<'a> {
    /// A Videos API call with the defaults most operations use: idempotent, JSON answer, no deadline.
    fn videos(method: Method, segments: &'a [&'a str], body: Body) -> Self {
        Call {
            api: Api::Videos,
            method,
            segments,
            query: &[],
            body,
            not_found: None,
            idempotency: Idempotency::Idempotent,
            check_length: false,
            deadline: None,
        }
    }
}
