//! The client: one method per API operation, over any [`Transport`].

use crate::endpoint::Endpoint;
use crate::error::{ApiError, Error};
use crate::request::CreateVideoRequest;
use crate::transport::{HttpRequest, HttpResponse, Method, Transport};
use crate::types::{JobStatus, VideoGeneration, VideoGenerationJob, VideoGenerationJobList};

/// The API version sent when none is configured: the operations exist only in the preview API.
pub const DEFAULT_API_VERSION: &str = "preview";

/// How requests are authenticated.
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// An Azure OpenAI resource key, sent as the `api-key` header.
    ApiKey(String),
    /// A Microsoft Entra ID access token, sent as `Authorization: Bearer`.
    Bearer(String),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Secrets never reach logs, not even through Debug.
        match self {
            Self::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
            Self::Bearer(_) => f.write_str("Bearer(<redacted>)"),
        }
    }
}

impl Auth {
    fn header(&self) -> (&'static str, String) {
        match self {
            Self::ApiKey(key) => ("api-key", key.clone()),
            Self::Bearer(token) => ("authorization", format!("Bearer {token}")),
        }
    }

    fn validate(&self) -> Result<(), Error> {
        let (field, secret) = match self {
            Self::ApiKey(key) => ("api_key", key),
            Self::Bearer(token) => ("token", token),
        };
        if secret.trim().is_empty() {
            return Err(Error::Validation { field, message: "must not be empty".into() });
        }
        if secret.chars().any(|c| c.is_control() || !c.is_ascii()) {
            return Err(Error::Validation { field, message: "contains characters a header cannot carry".into() });
        }
        Ok(())
    }
}

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

/// A client for one Azure OpenAI resource.
#[derive(Debug, Clone)]
pub struct Client<T> {
    endpoint: Endpoint,
    api_version: String,
    auth: Auth,
    transport: T,
}

impl<T: Transport> Client<T> {
    /// Create a client for `endpoint` (e.g. `https://my-resource.openai.azure.com`).
    ///
    /// # Errors
    /// [`Error::Validation`] when the endpoint or the credentials are unusable.
    pub fn new(endpoint: &str, auth: Auth, transport: T) -> Result<Self, Error> {
        auth.validate()?;
        Ok(Self { endpoint: Endpoint::parse(endpoint)?, api_version: DEFAULT_API_VERSION.into(), auth, transport })
    }

    /// Use another `api-version` (e.g. `v1` or a dated preview).
    pub fn with_api_version(mut self, api_version: impl Into<String>) -> Self {
        self.api_version = api_version.into();
        self
    }

    /// The normalised endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Create a video generation job.
    ///
    /// # Errors
    /// [`Error::Validation`] (nothing sent) when the request breaks a service rule; otherwise as
    /// [`Client::get_job`].
    pub async fn create_job(&self, request: &CreateVideoRequest) -> Result<VideoGenerationJob, Error> {
        let body = request.to_json()?;
        let response = self.send(Method::Post, &["jobs"], &[], Some(body), None).await?;
        crate::json::parse(&response.body)
    }

    /// Fetch a job and its current status.
    ///
    /// # Errors
    /// [`Error::NotFound`] when the job was deleted or expired; [`Error::Api`] for other error answers;
    /// [`Error::Network`] or [`Error::Decode`] when no readable answer came.
    pub async fn get_job(&self, job_id: &str) -> Result<VideoGenerationJob, Error> {
        check_id("job_id", job_id)?;
        let response = self.send(Method::Get, &["jobs", job_id], &[], None, Some(("job", job_id))).await?;
        crate::json::parse(&response.body)
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
        let response = self.send(Method::Get, &["jobs"], &params, None, None).await?;
        crate::json::parse(&response.body)
    }

    /// Delete a job and its videos on the service (cancels it when still running).
    ///
    /// # Errors
    /// As [`Client::get_job`].
    pub async fn delete_job(&self, job_id: &str) -> Result<(), Error> {
        check_id("job_id", job_id)?;
        self.send(Method::Delete, &["jobs", job_id], &[], None, Some(("job", job_id))).await.map(drop)
    }

    /// Fetch one generated video's metadata.
    ///
    /// # Errors
    /// As [`Client::get_job`].
    pub async fn get_generation(&self, generation_id: &str) -> Result<VideoGeneration, Error> {
        check_id("generation_id", generation_id)?;
        let response =
            self.send(Method::Get, &[generation_id], &[], None, Some(("generation", generation_id))).await?;
        crate::json::parse(&response.body)
    }

    /// Download a generated video (MP4 bytes).
    ///
    /// # Errors
    /// As [`Client::get_job`]; [`Error::Network`] when the body broke off before `Content-Length` bytes.
    pub async fn video_content(&self, generation_id: &str, quality: Quality) -> Result<Vec<u8>, Error> {
        check_id("generation_id", generation_id)?;
        let segments = [generation_id, "content", "video"];
        let query = [("quality", quality.as_str())];
        let response = self.send(Method::Get, &segments, &query, None, Some(("video", generation_id))).await?;
        complete_body(response)
    }

    /// Download a generated video's thumbnail (JPEG bytes).
    ///
    /// # Errors
    /// As [`Client::video_content`].
    pub async fn thumbnail(&self, generation_id: &str) -> Result<Vec<u8>, Error> {
        check_id("generation_id", generation_id)?;
        let segments = [generation_id, "content", "thumbnail"];
        let response = self.send(Method::Get, &segments, &[], None, Some(("thumbnail", generation_id))).await?;
        complete_body(response)
    }

    /// The size in bytes of a video, without downloading it.
    ///
    /// # Errors
    /// As [`Client::get_job`]; [`Error::Decode`] when the answer has no `Content-Length`.
    pub async fn video_size(&self, generation_id: &str, quality: Quality) -> Result<u64, Error> {
        check_id("generation_id", generation_id)?;
        let segments = [generation_id, "content", "video"];
        let query = [("quality", quality.as_str())];
        let response = self.send(Method::Head, &segments, &query, None, Some(("video", generation_id))).await?;
        response.content_length.ok_or_else(|| Error::Decode {
            message: "the answer has no Content-Length".into(),
            snippet: String::new(),
        })
    }

    async fn send(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, &str)],
        json_body: Option<String>,
        not_found: Option<(&'static str, &str)>,
    ) -> Result<HttpResponse, Error> {
        let mut path = vec!["video", "generations"];
        path.extend_from_slice(segments);
        let request = HttpRequest {
            method,
            url: self.endpoint.url(&path, &self.api_version, query),
            headers: vec![self.auth.header()],
            json_body,
        };
        let response = self.transport.send(request).await?;
        if (200..300).contains(&response.status) {
            return Ok(response);
        }
        if let (404, Some((what, id))) = (response.status, not_found) {
            return Err(Error::NotFound { what, id: id.to_owned() });
        }
        Err(api_error(response))
    }
}

/// Turn an error answer into [`Error::Api`].
pub(crate) fn api_error(response: HttpResponse) -> Error {
    let retry_after_ms = crate::retry_after::parse(response.retry_after_ms.as_deref(), response.retry_after.as_deref());
    Error::Api(Box::new(ApiError::from_response(response.status, &response.body, response.request_id, retry_after_ms)))
}

/// Refuse ids that would change the URL's meaning even when percent-encoded.
fn check_id(field: &'static str, id: &str) -> Result<(), Error> {
    // `.` and `..` (and their %2e forms) are dot-segments that URL parsers resolve away.
    if id.is_empty() || id == "." || id == ".." {
        return Err(Error::Validation { field, message: format!("'{id}' is not a valid id") });
    }
    Ok(())
}

/// Reject a body shorter than the `Content-Length` the server announced.
fn complete_body(response: HttpResponse) -> Result<Vec<u8>, Error> {
    match response.content_length {
        Some(expected) if expected != response.body.len() as u64 => Err(Error::Network(format!(
            "the download broke off after {} of {expected} bytes",
            response.body.len()
        ))),
        _ => Ok(response.body),
    }
}
