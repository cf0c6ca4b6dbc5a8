//! One method per API operation.

use crate::client::{Call, Client, Deadline};
use crate::error::Error;
use crate::media::CreateVideoWithMediaRequest;
use crate::protocol::Api;
use crate::request::CreateVideoRequest;
use crate::retry::Idempotency;
use crate::transport::{Body, HttpResponse, Method, Transport};
use crate::types::{JobStatus, VideoGeneration, VideoGenerationJob, VideoGenerationJobList};

/// Which rendition of a video to download.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Quality {
    #[default]
    High,
    Low,
}

impl Quality {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::High => "high",
            Self::Low => "low",
        }
    }
}

/// Filters and cursor for one page of [`Client::list_jobs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListJobsQuery {
    /// Page size, 1 to 100.
    pub limit: u32,
    pub before: Option<String>,
    pub after: Option<String>,
    /// Only jobs in these states; empty means all.
    pub statuses: Vec<JobStatus>,
}

impl Default for ListJobsQuery {
    fn default() -> Self {
        Self { limit: 10, before: None, after: None, statuses: Vec::new() }
    }
}

impl<T: Transport> Client<T> {
    /// Create a video generation job (no queueing: see [`Client::submit_job`] for that).
    ///
    /// Retried only on 429, when the service certainly did not start a job.
    ///
    /// # Errors
    /// [`Error::Validation`] (nothing sent) when the request breaks a service rule; otherwise as
    /// [`Client::get_job`].
    pub async fn create_job(&self, request: &CreateVideoRequest) -> Result<VideoGenerationJob, Error> {
        self.create(Body::Json(request.to_json()?)).await
    }

    /// Create a job from a prompt and images (image-to-video, sent as multipart).
    ///
    /// # Errors
    /// As [`Client::create_job`]; [`Error::Validation`] also for media rules (crop, names, formats).
    pub async fn create_job_with_media(
        &self,
        request: &CreateVideoWithMediaRequest,
    ) -> Result<VideoGenerationJob, Error> {
        self.create(Body::Multipart(request.to_multipart()?)).await
    }

    /// Send a validated create body and read the job it made.
    async fn create(&self, body: Body) -> Result<VideoGenerationJob, Error> {
        let call = Call {
            api: Api::Jobs,
            method: Method::Post,
            segments: &["jobs"],
            query: &[],
            body,
            not_found: None,
            idempotency: Idempotency::Create,
            check_length: false,
            deadline: None,
        };
        let job: VideoGenerationJob = crate::json::decode(&self.call(call).await?.body)?;
        self.note_server_clock(job.created_at);
        Ok(job)
    }

    /// Fetch a job and its current status.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the job was deleted or expired; [`Error::Api`] for other error answers
    /// (after retries); [`Error::Network`] or [`Error::Decode`] when no readable answer came.
    pub async fn get_job(&self, job_id: &str) -> Result<VideoGenerationJob, Error> {
        self.get_job_with_hint(job_id, None).await.map(|(job, _)| job)
    }

    /// Fetch a job, with the service's polling hint (`Retry-After` on a 200, capped as a 429's is).
    pub(crate) async fn get_job_with_hint(
        &self,
        job_id: &str,
        deadline: Option<Deadline>,
    ) -> Result<(VideoGenerationJob, Option<u64>), Error> {
        check_id("job_id", job_id)?;
        let result = self.read(&["jobs", job_id], &[], ("job", job_id), deadline).await;
        let response = match result {
            Err(Error::NotFound { what, id }) => {
                self.shared.state.borrow_mut().slots.release(job_id);
                return Err(Error::NotFound { what, id });
            }
            other => other?,
        };
        let job: VideoGenerationJob = crate::json::decode(&response.body)?;
        if job.status.is_terminal() {
            self.shared.state.borrow_mut().slots.release(&job.id);
        }
        let cap = self.shared.options.retry.max_delay_ms;
        let hint = crate::retry_after::requested_wait_ms(&response, self.transport.now_ms(), cap);
        Ok((job, hint))
    }

    /// Fetch one page of jobs, newest first.
    ///
    /// # Errors
    /// [`Error::Validation`] when `limit` is not 1 to 100; otherwise as [`Client::get_job`].
    pub async fn list_jobs(&self, query: &ListJobsQuery) -> Result<VideoGenerationJobList, Error> {
        if !(1..=100).contains(&query.limit) {
            return Err(Error::Validation { field: "limit", message: "must be between 1 and 100".into() });
        }
        let limit = query.limit.to_string();
        let statuses = query.statuses.iter().map(JobStatus::as_str).collect::<Vec<_>>().join(",");
        let mut params = vec![("limit", limit.as_str())];
        if let Some(before) = &query.before {
            params.push(("before", before));
        }
        if let Some(after) = &query.after {
            params.push(("after", after));
        }
        if !statuses.is_empty() {
            params.push(("statuses", &statuses));
        }
        let call = Call {
            api: Api::Jobs,
            method: Method::Get,
            segments: &["jobs"],
            query: &params,
            body: Body::None,
            not_found: None,
            idempotency: Idempotency::Idempotent,
            check_length: false,
            deadline: None,
        };
        crate::json::decode(&self.call(call).await?.body)
    }

    /// Delete a job and its videos on the service (cancels it when still running).
    ///
    /// # Errors
    /// As [`Client::get_job`].
    pub async fn delete_job(&self, job_id: &str) -> Result<(), Error> {
        check_id("job_id", job_id)?;
        let call = Call {
            api: Api::Jobs,
            method: Method::Delete,
            segments: &["jobs", job_id],
            query: &[],
            body: Body::None,
            not_found: Some(("job", job_id)),
            idempotency: Idempotency::Idempotent,
            check_length: false,
            deadline: None,
        };
        let result = self.call(call).await;
        if matches!(result, Ok(_) | Err(Error::NotFound { .. })) {
            self.shared.state.borrow_mut().slots.release(job_id);
        }
        result.map(drop)
    }

    /// Fetch one generated video's metadata.
    ///
    /// # Errors
    /// As [`Client::get_job`].
    pub async fn get_generation(&self, generation_id: &str) -> Result<VideoGeneration, Error> {
        check_id("generation_id", generation_id)?;
        let response = self.read(&[generation_id], &[], ("generation", generation_id), None).await?;
        crate::json::decode(&response.body)
    }

    /// Download a generated video (MP4 bytes).
    ///
    /// # Errors
    /// As [`Client::get_job`]; [`Error::Network`] when the body broke off before `Content-Length` bytes.
    pub async fn video_content(&self, generation_id: &str, quality: Quality) -> Result<Vec<u8>, Error> {
        check_id("generation_id", generation_id)?;
        let query = [("quality", quality.as_str())];
        let response = self.read(&[generation_id, "content", "video"], &query, ("video", generation_id), None).await?;
        Ok(response.body)
    }

    /// Download a generated video's thumbnail (JPEG bytes).
    ///
    /// # Errors
    /// As [`Client::video_content`].
    pub async fn thumbnail(&self, generation_id: &str) -> Result<Vec<u8>, Error> {
        check_id("generation_id", generation_id)?;
        let response =
            self.read(&[generation_id, "content", "thumbnail"], &[], ("thumbnail", generation_id), None).await?;
        Ok(response.body)
    }

    /// The size in bytes of a video, without downloading it (`HEAD`).
    ///
    /// # Errors
    /// As [`Client::get_job`]; [`Error::Decode`] when the answer has no `Content-Length`.
    pub async fn video_size(&self, generation_id: &str, quality: Quality) -> Result<u64, Error> {
        check_id("generation_id", generation_id)?;
        let query = [("quality", quality.as_str())];
        let call = Call {
            api: Api::Jobs,
            method: Method::Head,
            segments: &[generation_id, "content", "video"],
            query: &query,
            body: Body::None,
            not_found: Some(("video", generation_id)),
            idempotency: Idempotency::Idempotent,
            check_length: false,
            deadline: None,
        };
        let response = self.call(call).await?;
        response
            .content_length
            .ok_or_else(|| Error::Decode { message: "the answer has no Content-Length".into(), snippet: String::new() })
    }

    async fn read(
        &self,
        segments: &[&str],
        query: &[(&str, &str)],
        not_found: (&'static str, &str),
        deadline: Option<Deadline>,
    ) -> Result<HttpResponse, Error> {
        let call = Call {
            api: Api::Jobs,
            method: Method::Get,
            segments,
            query,
            body: Body::None,
            not_found: Some(not_found),
            idempotency: Idempotency::Idempotent,
            check_length: segments.contains(&"content"),
            deadline,
        };
        self.call(call).await
    }
}

/// Refuse ids that would change the URL's meaning even when percent-encoded.
pub(crate) fn check_id(field: &'static str, id: &str) -> Result<(), Error> {
    // `.` and `..` are dot-segments that URL parsers resolve away, encoded or not.
    if id.is_empty() || id == "." || id == ".." {
        return Err(Error::Validation { field, message: ["'", id, "' is not a valid id"].concat() });
    }
    Ok(())
}
