//! The JavaScript binding of `sora-client`: a `SoraClient` class whose methods return Promises and
//! reject with `SoraError`s (the `@sora-studio/client` npm package, built by `cargo xtask package`).
//!
//! A thin layer: it reads JS arguments, calls the Rust client, and converts results and errors.
//! Only on wasm32: natively the crate is empty.
#![cfg(target_arch = "wasm32")]

mod convert;
mod error;
mod output;
mod pages;
mod videos;

use std::future::Future;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use convert::{property, signal};
use error::to_js_error;
use sora_client::{Client, DEFAULT_API_VERSION, Endpoint, Error, FetchTransport, Progress, Protocol, WaitOptions};

use pages::JobIterator;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// A client for one Azure OpenAI resource or Videos API host. Calls share one rate budget and the job slots.
#[wasm_bindgen(js_name = SoraClient)]
pub struct SoraClient {
    client: Client<FetchTransport>,
}

/// One operation of the JS API with its own arguments; the options come alongside.
///
/// All methods run through one `async fn` ([`run`]) over this enum: a state machine and a
/// `future_to_promise` per method would cost kilobytes each.
enum Op {
    Create(JsValue),
    CreateWithMedia(JsValue),
    Submit(JsValue),
    CreateAndWait(JsValue),
    Wait(String),
    Get(String),
    List(JsValue),
    Delete(String),
    Generation(String),
    Content(String),
    Thumbnail(String),
    Size(String),
    // The Videos API (see `videos.rs`).
    CreateVideo(JsValue),
    CreateVideoAndWait(JsValue),
    WaitVideo(String),
    GetVideo(String),
    ListVideos(JsValue),
    DeleteVideo(String),
    DownloadContent(String),
    Remix(String, String),
    EditVideo(String, String),
    ExtendVideo(String, String, JsValue),
}

async fn run(client: Client<FetchTransport>, op: Op, options: JsValue) -> Result<JsValue, Error> {
    let (report, max_wait_ms, delete_on_abort) = match op {
        Op::Submit(_) | Op::CreateAndWait(_) | Op::Wait(_) | Op::CreateVideoAndWait(_) | Op::WaitVideo(_) => {
            wait_settings(&options)?
        }
        _ => (None, None, false),
    };
    let on_progress = |p: &Progress| report_progress(report.as_ref(), p);
    let wait = WaitOptions { max_wait_ms, on_progress: Some(&on_progress), delete_on_abort };
    Ok(match op {
        Op::Create(request) => output::job(&client.create_job(&convert::create_request(&request)?).await?),
        Op::CreateWithMedia(request) => {
            let request = convert::create_with_media_request(request).await?;
            output::job(&client.create_job_with_media(&request).await?)
        }
        Op::Submit(request) => {
            output::job(&client.submit_job(&convert::create_request(&request)?, Some(&on_progress)).await?)
        }
        Op::CreateAndWait(request) => {
            output::job(&client.create_and_wait(&convert::create_request(&request)?, &wait).await?)
        }
        Op::Wait(id) => output::job(&client.wait_for_job(&id, &wait).await?),
        Op::Get(id) => output::job(&client.get_job(&id).await?),
        Op::List(query) => output::page(&client.list_jobs(&convert::list_query(&query)?).await?, output::job),
        Op::Delete(id) => {
            client.delete_job(&id).await?;
            JsValue::UNDEFINED
        }
        Op::Generation(id) => output::generation(&client.get_generation(&id).await?),
        Op::Content(id) => {
            convert::blob(&client.video_content(&id, convert::quality(&options)?).await?, "video/mp4")?.into()
        }
        Op::Thumbnail(id) => convert::blob(&client.thumbnail(&id).await?, "image/jpeg")?.into(),
        Op::Size(id) => JsValue::from_f64(client.video_size(&id, convert::quality(&options)?).await? as f64),
        Op::CreateVideo(request) => videos::video(&client.create_video(&videos::create_request(request).await?).await?),
        Op::CreateVideoAndWait(request) => {
            videos::video(&client.create_video_and_wait(&videos::create_request(request).await?, &wait).await?)
        }
        Op::WaitVideo(id) => videos::video(&client.wait_for_video(&id, &wait).await?),
        Op::GetVideo(id) => videos::video(&client.get_video(&id).await?),
        Op::ListVideos(query) => output::page(&client.list_videos(&videos::list_query(&query)?).await?, videos::video),
        Op::DeleteVideo(id) => videos::deleted(&client.delete_video(&id).await?),
        Op::DownloadContent(id) => {
            let variant = videos::variant(&options)?;
            let bytes = client.download_content(&id, variant).await?;
            convert::blob(&bytes, videos::content_type(variant, &bytes))?.into()
        }
        Op::Remix(id, prompt) => videos::video(&client.remix_video(&id, &prompt).await?),
        Op::EditVideo(id, prompt) => videos::video(&client.edit_video(&id, &prompt).await?),
        Op::ExtendVideo(id, prompt, seconds) => {
            let seconds = convert::u32_value(&seconds, "seconds")?;
            videos::video(&client.extend_video(&id, &prompt, seconds).await?)
        }
    })
}

/// The one bridge to `future_to_promise`: a Promise that rejects with a `SoraError`.
fn settle(future: std::pin::Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>) -> Promise {
    future_to_promise(async move { future.await.map_err(|e| to_js_error(&e)) })
}

#[wasm_bindgen(js_class = SoraClient)]
impl SoraClient {
    /// Create a client; throws a `SoraError` when the endpoint or credentials are unusable.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "SoraClientOptions")] options: JsValue,
    ) -> Result<SoraClient, JsValue> {
        let (endpoint, auth, options) = convert::client_options(options).map_err(|e| to_js_error(&e))?;
        let client =
            Client::with_options(&endpoint, auth, options, FetchTransport::default()).map_err(|e| to_js_error(&e))?;
        Ok(Self { client })
    }

    /// The normalised base URL (ending in `/openai/v1` on Azure; an OpenAI-compatible base as given).
    #[wasm_bindgen(getter)]
    pub fn endpoint(&self) -> String {
        self.client.endpoint().as_str().to_owned()
    }

    /// The `api-version` this client sends on the jobs API (the Videos API takes none).
    #[wasm_bindgen(getter, js_name = apiVersion, unchecked_return_type = "ApiVersion")]
    pub fn api_version(&self) -> String {
        self.client.api_version().to_owned()
    }

    /// The API this client speaks.
    #[wasm_bindgen(getter, unchecked_return_type = "Protocol")]
    pub fn protocol(&self) -> String {
        self.client.protocol().as_str().to_owned()
    }

    /// What a client built from `endpoint`, `apiVersion` and `protocol` would use, to show before
    /// connecting; throws the `SoraError` (kind `validation`) the constructor would.
    // A static method, not a free function: the package's export renaming would rename a free
    // function's JS name along with its wasm export.
    #[wasm_bindgen(js_name = normalizeEndpoint, unchecked_return_type = "NormalizedEndpoint")]
    pub fn normalize_endpoint(
        endpoint: String,
        #[wasm_bindgen(js_name = "apiVersion", unchecked_optional_param_type = "ApiVersion")] api_version: Option<
            String,
        >,
        #[wasm_bindgen(unchecked_optional_param_type = "Protocol")] protocol: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let protocol = protocol.as_deref().map_or(Ok(Protocol::default()), Protocol::from_name);
        let parsed = protocol.and_then(|p| Endpoint::parse_for(&endpoint, p)).map_err(|e| to_js_error(&e))?;
        let version = parsed
            .api_version_with(api_version.as_deref().unwrap_or(DEFAULT_API_VERSION))
            .map_err(|e| to_js_error(&e))?;
        Ok(output::object(&[("endpoint", parsed.as_str().into()), ("apiVersion", version.into())]))
    }

    pub(crate) fn bound(&self, options: &JsValue) -> Result<Client<FetchTransport>, Error> {
        Ok(self.client.with_transport(FetchTransport::with_signal(signal(options)?)))
    }

    /// Start `op` with these options (`signal` binds its requests and waits).
    fn call(&self, op: Op, options: Option<JsValue>) -> Promise {
        let options = options.unwrap_or_default();
        let client = self.bound(&options);
        settle(Box::pin(async move { run(client?, op, options).await }))
    }

    /// Create a job now (no queueing).
    #[wasm_bindgen(js_name = createJob, unchecked_return_type = "Promise<VideoGenerationJob>")]
    pub fn create_job(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateVideoRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::Create(request), options)
    }

    /// Create a job from a prompt and images (image-to-video).
    #[wasm_bindgen(js_name = createJobWithMedia, unchecked_return_type = "Promise<VideoGenerationJob>")]
    pub fn create_job_with_media(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateVideoWithMediaRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::CreateWithMedia(request), options)
    }

    /// Wait for a free job slot, then create the job.
    #[wasm_bindgen(js_name = submitJob, unchecked_return_type = "Promise<VideoGenerationJob>")]
    pub fn submit_job(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateVideoRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaitOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::Submit(request), options)
    }

    /// Submit a job (queued for a slot) and wait until it succeeds.
    #[wasm_bindgen(js_name = createAndWait, unchecked_return_type = "Promise<VideoGenerationJob>")]
    pub fn create_and_wait(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateVideoRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaitOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::CreateAndWait(request), options)
    }

    /// Poll a job until it ends; resolves when it succeeded, rejects with kind `job_failed` (with its
    /// `failureReason`) or `job_cancelled` otherwise.
    #[wasm_bindgen(js_name = waitForJob, unchecked_return_type = "Promise<VideoGenerationJob>")]
    pub fn wait_for_job(
        &self,
        #[wasm_bindgen(js_name = "jobId")] job_id: String,
        #[wasm_bindgen(unchecked_param_type = "WaitOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::Wait(job_id), options)
    }

    /// Fetch a job.
    #[wasm_bindgen(js_name = getJob, unchecked_return_type = "Promise<VideoGenerationJob>")]
    pub fn get_job(
        &self,
        #[wasm_bindgen(js_name = "jobId")] job_id: String,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::Get(job_id), options)
    }

    /// Fetch one page of jobs, newest first.
    #[wasm_bindgen(js_name = listJobs, unchecked_return_type = "Promise<VideoGenerationJobList>")]
    pub fn list_jobs(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListJobsQuery")] query: Option<JsValue>,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::List(query.unwrap_or_default()), options)
    }

    /// Every job matching `query`, newest first, fetched page by page: `for await (const job of client.jobs())`.
    #[wasm_bindgen(js_name = jobs)]
    pub fn jobs(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListJobsQuery")] query: Option<JsValue>,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Result<JobIterator, JsValue> {
        let options = options.unwrap_or_default();
        let query = convert::list_query(&query.unwrap_or_default()).map_err(|e| to_js_error(&e))?;
        let client = self.bound(&options).map_err(|e| to_js_error(&e))?;
        Ok(JobIterator { state: pages::walk(client.list_all_jobs(query)) })
    }

    /// Delete a job and its videos on the service.
    #[wasm_bindgen(js_name = deleteJob, unchecked_return_type = "Promise<void>")]
    pub fn delete_job(
        &self,
        #[wasm_bindgen(js_name = "jobId")] job_id: String,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::Delete(job_id), options)
    }

    /// Fetch one generated video's metadata.
    #[wasm_bindgen(js_name = getGeneration, unchecked_return_type = "Promise<VideoGeneration>")]
    pub fn get_generation(
        &self,
        #[wasm_bindgen(js_name = "generationId")] generation_id: String,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::Generation(generation_id), options)
    }

    /// Download a video as a `video/mp4` Blob.
    #[wasm_bindgen(js_name = videoContent, unchecked_return_type = "Promise<Blob>")]
    pub fn video_content(
        &self,
        #[wasm_bindgen(js_name = "generationId")] generation_id: String,
        #[wasm_bindgen(unchecked_param_type = "(CallOptions & { quality?: Quality })")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::Content(generation_id), options)
    }

    /// Download a video's thumbnail as an `image/jpeg` Blob.
    #[wasm_bindgen(js_name = thumbnail, unchecked_return_type = "Promise<Blob>")]
    pub fn thumbnail(
        &self,
        #[wasm_bindgen(js_name = "generationId")] generation_id: String,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::Thumbnail(generation_id), options)
    }

    /// A video's size in bytes, without downloading it.
    #[wasm_bindgen(js_name = videoSize, unchecked_return_type = "Promise<number>")]
    pub fn video_size(
        &self,
        #[wasm_bindgen(js_name = "generationId")] generation_id: String,
        #[wasm_bindgen(unchecked_param_type = "(CallOptions & { quality?: Quality })")] options: Option<JsValue>,
    ) -> Promise {
        self.call(Op::Size(generation_id), options)
    }
}

/// `(onProgress, maxWaitMs, deleteOnAbort)` of a `WaitOptions`.
fn wait_settings(options: &JsValue) -> Result<(Option<Function>, Option<u64>, bool), Error> {
    let max_wait_ms = convert::ms_member(options, "maxWaitMs")?;
    let delete_on_abort = property(options, "deleteOnAbort").is_some_and(|v| v.is_truthy());
    Ok((progress_callback(options)?, max_wait_ms, delete_on_abort))
}

fn progress_callback(options: &JsValue) -> Result<Option<Function>, Error> {
    match property(options, "onProgress") {
        None => Ok(None),
        Some(f) => f.dyn_into().map(Some).map_err(|_| error::bad_argument("onProgress", "must be a function")),
    }
}

fn report_progress(callback: Option<&Function>, progress: &Progress) {
    if let Some(callback) = callback {
        // A throwing callback must not break the wait.
        let _ = callback.call1(&JsValue::NULL, &output::progress(progress));
    }
}
