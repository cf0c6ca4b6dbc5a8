//! The JS API: a `SoraClient` class whose methods return Promises and reject with `SoraError`s.
//!
//! A thin layer: it reads JS arguments, calls the Rust client, and converts results and errors.

mod convert;
mod error;

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::client::Client;
use crate::error::Error;
use crate::fetch::FetchTransport;
use crate::pager::JobPager;
use crate::types::VideoGenerationJob;
use crate::waiting::{Progress, WaitOptions};
use convert::{property, signal, to_js};
use error::to_js_error;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// A client for one Azure OpenAI resource. Calls share one rate budget and the job slots.
#[wasm_bindgen(js_name = SoraClient)]
pub struct SoraClient {
    client: Client<FetchTransport>,
}

/// Run an async operation as a Promise that rejects with a `SoraError`.
fn promise<F>(future: F) -> Promise
where
    F: Future<Output = Result<JsValue, Error>> + 'static,
{
    settle(Box::pin(future))
}

/// The one non-generic bridge to `future_to_promise`: a copy per method would cost kilobytes each.
fn settle(future: std::pin::Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>) -> Promise {
    future_to_promise(async move { future.await.map_err(|e| to_js_error(&e)) })
}

#[wasm_bindgen(js_class = SoraClient)]
impl SoraClient {
    /// Create a client; throws a `SoraError` when the endpoint or credentials are unusable.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "SoraClientOptions")] options: JsValue) -> Result<SoraClient, JsValue> {
        let (endpoint, auth, options) = convert::client_options(options).map_err(|e| to_js_error(&e))?;
        let client = Client::with_options(&endpoint, auth, options, FetchTransport::default()).map_err(|e| to_js_error(&e))?;
        Ok(Self { client })
    }

    /// The normalised base URL (ending in `/openai/v1`).
    #[wasm_bindgen(getter)]
    pub fn endpoint(&self) -> String {
        self.client.endpoint().as_str().to_owned()
    }

    fn bound(&self, options: &JsValue) -> Result<Client<FetchTransport>, Error> {
        Ok(self.client.with_transport(FetchTransport::with_signal(signal(options)?)))
    }

    /// Create a job now (no queueing).
    #[wasm_bindgen(js_name = createJob, unchecked_return_type = "Promise<VideoGenerationJob>")]
    pub fn create_job(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateVideoRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or_default();
        let client = self.bound(&options);
        promise(async move { to_js(&client?.create_job(&convert::create_request(request)?).await?) })
    }

    /// Create a job from a prompt and images (image-to-video).
    #[wasm_bindgen(js_name = createJobWithMedia, unchecked_return_type = "Promise<VideoGenerationJob>")]
    pub fn create_job_with_media(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateVideoWithMediaRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or_default();
        let client = self.bound(&options);
        promise(async move {
            let request = convert::create_with_media_request(request).await?;
            to_js(&client?.create_job_with_media(&request).await?)
        })
    }

    /// Wait for a free job slot, then create the job.
    #[wasm_bindgen(js_name = submitJob, unchecked_return_type = "Promise<VideoGenerationJob>")]
    pub fn submit_job(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateVideoRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaitOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or_default();
        let client = self.bound(&options);
        let report = progress_callback(&options);
        promise(async move {
            let request = convert::create_request(request)?;
            let report = report?;
            let on_progress = |p: &Progress| report_progress(report.as_ref(), p);
            to_js(&client?.submit_job(&request, Some(&on_progress)).await?)
        })
    }

    /// Submit a job (queued for a slot) and wait until it succeeds.
    #[wasm_bindgen(js_name = createAndWait, unchecked_return_type = "Promise<VideoGenerationJob>")]
    pub fn create_and_wait(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CreateVideoRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WaitOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or_default();
        let client = self.bound(&options);
        let settings = wait_settings(&options);
        promise(async move {
            let request = convert::create_request(request)?;
            let (client, (report, max_wait_ms, delete_on_abort)) = (client?, settings?);
            let on_progress = |p: &Progress| report_progress(report.as_ref(), p);
            let options = WaitOptions { max_wait_ms, on_progress: Some(&on_progress), delete_on_abort };
            to_js(&client.create_and_wait(&request, &options).await?)
        })
    }

    /// Poll a job until it ends; resolves when it succeeded, rejects with kind `job_failed` otherwise.
    #[wasm_bindgen(js_name = waitForJob, unchecked_return_type = "Promise<VideoGenerationJob>")]
    pub fn wait_for_job(
        &self,
        #[wasm_bindgen(js_name = "jobId")] job_id: String,
        #[wasm_bindgen(unchecked_param_type = "WaitOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or_default();
        let client = self.bound(&options);
        let settings = wait_settings(&options);
        promise(async move {
            let (client, (report, max_wait_ms, delete_on_abort)) = (client?, settings?);
            let on_progress = |p: &Progress| report_progress(report.as_ref(), p);
            let options = WaitOptions { max_wait_ms, on_progress: Some(&on_progress), delete_on_abort };
            to_js(&client.wait_for_job(&job_id, &options).await?)
        })
    }

    /// Fetch a job.
    #[wasm_bindgen(js_name = getJob, unchecked_return_type = "Promise<VideoGenerationJob>")]
    pub fn get_job(&self, #[wasm_bindgen(js_name = "jobId")] job_id: String, #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>) -> Promise {
        let options = options.unwrap_or_default();
        let client = self.bound(&options);
        promise(async move { to_js(&client?.get_job(&job_id).await?) })
    }

    /// Fetch one page of jobs, newest first.
    #[wasm_bindgen(js_name = listJobs, unchecked_return_type = "Promise<VideoGenerationJobList>")]
    pub fn list_jobs(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListJobsQuery")] query: Option<JsValue>,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let query = query.unwrap_or_default();
        let options = options.unwrap_or_default();
        let client = self.bound(&options);
        promise(async move { to_js(&client?.list_jobs(&convert::list_query(query)?).await?) })
    }

    /// Every job matching `query`, newest first, fetched page by page: `for await (const job of client.jobs())`.
    #[wasm_bindgen(js_name = jobs)]
    pub fn jobs(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListJobsQuery")] query: Option<JsValue>,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Result<JobIterator, JsValue> {
        let query = query.unwrap_or_default();
        let options = options.unwrap_or_default();
        let query = convert::list_query(query).map_err(|e| to_js_error(&e))?;
        let client = self.bound(&options).map_err(|e| to_js_error(&e))?;
        let state = IteratorState { pager: client.list_all_jobs(query), buffer: Vec::new() };
        Ok(JobIterator { state: Rc::new(RefCell::new(Some(state))) })
    }

    /// Delete a job and its videos on the service.
    #[wasm_bindgen(js_name = deleteJob, unchecked_return_type = "Promise<void>")]
    pub fn delete_job(&self, #[wasm_bindgen(js_name = "jobId")] job_id: String, #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>) -> Promise {
        let options = options.unwrap_or_default();
        let client = self.bound(&options);
        promise(async move {
            client?.delete_job(&job_id).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Fetch one generated video's metadata.
    #[wasm_bindgen(js_name = getGeneration, unchecked_return_type = "Promise<VideoGeneration>")]
    pub fn get_generation(
        &self,
        #[wasm_bindgen(js_name = "generationId")] generation_id: String,
        #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or_default();
        let client = self.bound(&options);
        promise(async move { to_js(&client?.get_generation(&generation_id).await?) })
    }

    /// Download a video as a `video/mp4` Blob.
    #[wasm_bindgen(js_name = videoContent, unchecked_return_type = "Promise<Blob>")]
    pub fn video_content(
        &self,
        #[wasm_bindgen(js_name = "generationId")] generation_id: String,
        #[wasm_bindgen(unchecked_param_type = "(CallOptions & { quality?: Quality })")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or_default();
        let client = self.bound(&options);
        let quality = convert::quality(&options);
        promise(async move {
            let bytes = client?.video_content(&generation_id, quality?).await?;
            Ok(convert::blob(&bytes, "video/mp4")?.into())
        })
    }

    /// Download a video's thumbnail as an `image/jpeg` Blob.
    #[wasm_bindgen(js_name = thumbnail, unchecked_return_type = "Promise<Blob>")]
    pub fn thumbnail(&self, #[wasm_bindgen(js_name = "generationId")] generation_id: String, #[wasm_bindgen(unchecked_param_type = "CallOptions")] options: Option<JsValue>) -> Promise {
        let options = options.unwrap_or_default();
        let client = self.bound(&options);
        promise(async move {
            let bytes = client?.thumbnail(&generation_id).await?;
            Ok(convert::blob(&bytes, "image/jpeg")?.into())
        })
    }

    /// A video's size in bytes, without downloading it.
    #[wasm_bindgen(js_name = videoSize, unchecked_return_type = "Promise<number>")]
    pub fn video_size(
        &self,
        #[wasm_bindgen(js_name = "generationId")] generation_id: String,
        #[wasm_bindgen(unchecked_param_type = "(CallOptions & { quality?: Quality })")] options: Option<JsValue>,
    ) -> Promise {
        let options = options.unwrap_or_default();
        let client = self.bound(&options);
        let quality = convert::quality(&options);
        promise(async move { Ok(JsValue::from_f64(client?.video_size(&generation_id, quality?).await? as f64)) })
    }
}

/// `(onProgress, maxWaitMs, deleteOnAbort)` of a `WaitOptions`.
fn wait_settings(options: &JsValue) -> Result<(Option<Function>, Option<u64>, bool), Error> {
    let max_wait_ms = match property(options, "maxWaitMs") {
        Some(v) => Some(convert::from_js("maxWaitMs", v)?),
        None => None,
    };
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
        let _ = callback.call1(&JsValue::NULL, &convert::progress(progress));
    }
}

struct IteratorState {
    pager: JobPager<FetchTransport>,
    /// Jobs of the current page not handed out yet, in reverse order.
    buffer: Vec<VideoGenerationJob>,
}

/// An async iterator over jobs (`for await ... of`), fetching one page at a time.
#[wasm_bindgen]
pub struct JobIterator {
    state: Rc<RefCell<Option<IteratorState>>>,
}

#[wasm_bindgen]
impl JobIterator {
    /// The next job: `{ value, done }`, as the async-iterator protocol wants.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<VideoGenerationJob, undefined>>")]
    pub fn next(&self) -> Promise {
        let state = Rc::clone(&self.state);
        promise(async move {
            // Take the state out while awaiting, so overlapping next() calls cannot double-borrow it.
            let taken = state.borrow_mut().take();
            let Some(mut current) = taken else {
                return Err(error::bad_argument("next", "wait for the previous next() to settle"));
            };
            let result = next_job(&mut current).await;
            *state.borrow_mut() = Some(current);
            iterator_result(result?)
        })
    }
}

async fn next_job(state: &mut IteratorState) -> Result<Option<VideoGenerationJob>, Error> {
    while state.buffer.is_empty() {
        match state.pager.next_page().await? {
            Some(mut page) => {
                page.reverse();
                state.buffer = page;
            }
            None => return Ok(None),
        }
    }
    Ok(state.buffer.pop())
}

fn iterator_result(job: Option<VideoGenerationJob>) -> Result<JsValue, Error> {
    let result = js_sys::Object::new();
    let done = job.is_none();
    let value = match job {
        Some(job) => to_js(&job)?,
        None => JsValue::UNDEFINED,
    };
    let _ = js_sys::Reflect::set(&result, &"value".into(), &value);
    let _ = js_sys::Reflect::set(&result, &"done".into(), &JsValue::from_bool(done));
    Ok(result.into())
}
