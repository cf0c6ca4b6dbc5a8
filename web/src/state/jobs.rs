//! One job of this device: its saved record, its live progress, and the work on it (submit, watch,
//! download and save, delete).

use leptos::prelude::*;
use sora_client::{
    CreateVideoRequest, CreateVideoWithMediaRequest, Error, Idempotency, JobStatus, Progress, Transport,
    VideoGenerationJob, WaitOptions, is_retryable,
};

use super::Studio;
use super::again::is_final_refusal;
use super::pending::PendingSubmission;
use super::record::JobRecord;
use crate::format::{Problem, describe};
use crate::storage;
use crate::tabs::TabMessage;

/// How many times a create refused with 429 is tried again after the client's own retries.
const MAX_BUSY_RETRIES: u32 = 5;

/// What the create form sends: a prompt alone, or a prompt with an image (image-to-video).
#[derive(Debug, Clone)]
pub enum Submission {
    Text(CreateVideoRequest),
    Media(CreateVideoWithMediaRequest),
}

impl Submission {
    /// The text part of the request.
    pub fn request(&self) -> &CreateVideoRequest {
        match self {
            Self::Text(request) => request,
            Self::Media(media) => &media.request,
        }
    }
}

/// Where a submission is before the service has a job for it.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitState {
    /// Waiting for one of the service's 2 running slots; `position` submissions are ahead.
    WaitingForSlot { position: usize },
    /// Sent, waiting for the answer.
    Sending,
    /// The service answered 429 after the client's own retries; the studio tries again at `until_ms`.
    Busy { until_ms: f64 },
    /// The service refused it (the problem says why).
    Refused,
    /// Created: the record has the job.
    Created,
}

/// A job card's state. All fields are reactive handles, so an entry is `Copy`.
#[derive(Clone, Copy)]
pub struct Entry {
    /// Local identity for the list (jobs get their service id only once created).
    pub key: u64,
    /// The request as submitted, for display before the job exists.
    pub request: StoredValue<CreateVideoRequest>,
    pub record: RwSignal<Option<JobRecord>>,
    pub submit: RwSignal<SubmitState>,
    /// When the studio started on it (ms), for elapsed time before the job exists.
    pub started_ms: f64,
    pub remaining_ms: RwSignal<Option<u64>>,
    pub problem: RwSignal<Option<Problem>>,
    /// The user stopped watching it.
    pub stopped: RwSignal<bool>,
    /// A delete is under way.
    pub deleting: RwSignal<bool>,
    /// Aborts a submission still waiting for a slot.
    submit_abort: StoredValue<Option<web_sys::AbortController>, LocalStorage>,
    /// The saved submission while the service has no job for it (it can be tried again).
    pending: StoredValue<Option<PendingSubmission>, LocalStorage>,
    /// The submission as this page sent it, image included, for Try again once the job ended
    /// (`None` for jobs restored from a reload or another tab: their text request is all there is).
    pub(super) original: StoredValue<Option<Submission>, LocalStorage>,
}

impl Entry {
    fn new(key: u64, request: CreateVideoRequest, record: Option<JobRecord>, submit: SubmitState) -> Self {
        Self {
            key,
            request: StoredValue::new(request),
            record: RwSignal::new(record),
            submit: RwSignal::new(submit),
            started_ms: js_sys::Date::now(),
            remaining_ms: RwSignal::new(None),
            problem: RwSignal::new(None),
            stopped: RwSignal::new(false),
            deleting: RwSignal::new(false),
            submit_abort: StoredValue::new_local(None),
            pending: StoredValue::new_local(None),
            original: StoredValue::new_local(None),
        }
    }

    /// An entry for a job saved earlier or created in another tab.
    pub fn restored(key: u64, record: JobRecord) -> Self {
        let job = &record.job;
        let size =
            sora_client::VideoSize::from_dimensions(job.width, job.height).unwrap_or(sora_client::VideoSize::Square480);
        let mut request = CreateVideoRequest::new(job.model.clone(), job.prompt.clone(), size);
        request.n_seconds = job.n_seconds;
        request.n_variants = job.n_variants;
        Self::new(key, request, Some(record), SubmitState::Created)
    }

    /// Free the entry's signals (its card is gone).
    pub fn dispose(self) {
        self.submit_abort.with_value(|c| {
            if let Some(c) = c {
                c.abort();
            }
        });
        self.request.dispose();
        self.record.dispose();
        self.submit.dispose();
        self.remaining_ms.dispose();
        self.problem.dispose();
        self.stopped.dispose();
        self.deleting.dispose();
        self.submit_abort.dispose();
        self.pending.dispose();
        self.original.dispose();
    }

    /// Whether a submission the service refused or never got can be sent again.
    pub fn can_retry(&self) -> bool {
        self.record.with(Option::is_none)
            && self.submit.get() == SubmitState::Refused
            && self.pending.try_with_value(Option::is_some).unwrap_or(false)
    }

    /// The job's service id, once created.
    pub fn job_id(&self) -> Option<String> {
        // `try_`: async work may outlive a deleted entry.
        self.record.try_with_untracked(|r| r.as_ref().map(|r| r.job.id.clone())).flatten()
    }

    /// Whether the job still needs watching: created, not ended, still on the service.
    pub fn needs_watch(&self) -> bool {
        self.record.try_with(|r| r.as_ref().is_some_and(|r| !r.job.status.is_terminal() && !r.gone)).unwrap_or(false)
            && !self.stopped.try_get().unwrap_or(true)
    }
}

impl Studio {
    /// Queue a new job: saves the submission, waits for a free slot, creates the job, saves it, and
    /// tells the other tabs.
    pub fn submit(&self, submission: Submission) {
        let pending = PendingSubmission::new(self.connection.get_untracked().endpoint, submission);
        let entry = Entry::new(self.next_key(), pending.submission.request().clone(), None, SubmitState::Sending);
        entry.pending.set_value(Some(pending.clone()));
        entry.original.set_value(Some(pending.submission.clone()));
        self.entries.update(|entries| entries.insert(0, entry));
        let studio = *self;
        leptos::task::spawn_local(async move {
            // A fresh id: the lock is free, and holding it keeps another tab's restore off this one.
            crate::tabs::claim(&pending.lock_name()).await;
            studio.store_result(storage::put_pending(&pending.to_js()).await);
            studio.send(entry).await;
        });
    }

    /// Resume a saved submission after a reload (this tab holds its lock).
    pub fn resume(&self, pending: PendingSubmission) {
        let entry = Entry::new(self.next_key(), pending.submission.request().clone(), None, SubmitState::Sending);
        entry.original.set_value(Some(pending.submission.clone()));
        entry.pending.set_value(Some(pending));
        // Submitted after every saved job, so newest: on top.
        self.entries.update(|entries| entries.insert(0, entry));
        let studio = *self;
        leptos::task::spawn_local(async move { studio.send(entry).await });
    }

    /// Send a refused submission again (a network failure, a wrong key since fixed).
    pub fn retry_submission(&self, entry: Entry) {
        if !entry.can_retry() {
            return;
        }
        entry.problem.set(None);
        entry.submit.set(SubmitState::Sending);
        let studio = *self;
        leptos::task::spawn_local(async move { studio.send(entry).await });
    }

    /// Create the entry's saved submission on the service (after looking for it there, if restored).
    async fn send(&self, entry: Entry) {
        let studio = *self;
        let Some(pending) = entry.pending.try_get_value().flatten() else { return };
        let Ok(controller) = web_sys::AbortController::new() else { return };
        entry.submit_abort.set_value(Some(controller.clone()));
        let client = match studio.client_with_signal(&controller.signal()) {
            Ok(client) => client,
            Err(problem) => {
                entry.problem.set(Some(problem));
                entry.submit.set(SubmitState::Refused);
                return;
            }
        };
        let report = move |p: &Progress| {
            if p.job_id.is_none() {
                entry.submit.try_set(SubmitState::WaitingForSlot { position: p.queue_position });
            } else {
                entry.submit.try_set(SubmitState::Sending);
            }
        };
        let result = match studio.find_on_service(&client, &pending).await {
            Ok(Some(job)) => Ok(job),
            Ok(None) => studio.create(&client, &pending.submission, entry, &report).await,
            Err(error) => Err(error),
        };
        entry.submit_abort.try_set_value(None);
        match result {
            Ok(job) => {
                studio.accepted(&pending.submission.request().model);
                let mut record = JobRecord::new(job, pending.endpoint.clone());
                record.submission = Some(pending.id.clone());
                entry.record.try_set(Some(record.clone()));
                entry.submit.try_set(SubmitState::Created);
                entry.pending.try_set_value(None);
                studio.save(&record).await;
                studio.drop_pending(&pending.id).await;
            }
            Err(Error::Aborted) => {
                studio.drop_pending(&pending.id).await;
                studio.remove_entry(entry.key);
            }
            Err(error) => {
                // A request the service judged (invalid, refused by policy) would only be refused again.
                if is_final_refusal(&error) {
                    entry.pending.try_set_value(None);
                    studio.drop_pending(&pending.id).await;
                }
                entry.problem.try_set(Some(studio.refusal_problem(&error, &pending.submission.request().model)));
                entry.submit.try_set(SubmitState::Refused);
            }
        }
    }

    /// The job a restored submission already created, if the service has it (the page may have died
    /// after the service accepted it); `None` when it must be sent.
    async fn find_on_service(
        &self,
        client: &crate::api::StudioClient,
        pending: &PendingSubmission,
    ) -> Result<Option<VideoGenerationJob>, Error> {
        if !pending.restored {
            return Ok(None);
        }
        let query = sora_client::ListJobsQuery { limit: 50, ..Default::default() };
        let page = client.list_jobs(&query).await?;
        let known = |id: &str| self.entry_of(id).is_some();
        Ok(page.data.into_iter().find(|job| pending.matches(job) && !known(&job.id)))
    }

    /// Create the job, waiting out a 429 that outlasts the client's own retries (the wait is shown).
    async fn create(
        &self,
        client: &crate::api::StudioClient,
        submission: &Submission,
        entry: Entry,
        report: &dyn Fn(&Progress),
    ) -> Result<VideoGenerationJob, Error> {
        let mut attempt = 0;
        loop {
            let result = match submission {
                Submission::Text(request) => client.submit_job(request, Some(report)).await,
                // The core queues text requests only; a 429 for the running-jobs limit is waited out below.
                Submission::Media(media) => client.create_job_with_media(media).await,
            };
            let wait = match &result {
                Err(Error::Api(api)) if api.status == 429 && attempt < MAX_BUSY_RETRIES => {
                    api.retry_after_ms.unwrap_or(2_000).clamp(500, 60_000)
                }
                _ => return result,
            };
            attempt += 1;
            entry.submit.try_set(SubmitState::Busy { until_ms: js_sys::Date::now() + wait as f64 });
            client.transport().sleep(wait).await?;
            entry.submit.try_set(SubmitState::Sending);
        }
    }

    /// Save a record and tell the other tabs about it.
    pub async fn save(&self, record: &JobRecord) {
        self.store_result(storage::put_job(&record.job.id, record).await);
        self.tabs.send(&TabMessage::Job { job: record.job.clone(), endpoint: record.endpoint.clone() });
    }

    /// Poll a job until it ends (this tab is the poller); stops when `signal` aborts.
    pub async fn watch(&self, entry: Entry, signal: web_sys::AbortSignal) {
        let Some(job_id) = entry.job_id() else { return };
        let client = match self.client_with_signal(&signal) {
            Ok(client) => client,
            Err(problem) => return entry.problem.set(Some(problem)),
        };
        entry.problem.set(None);
        let studio = *self;
        let on_progress = move |p: &Progress| {
            entry.remaining_ms.try_set(p.estimated_remaining_ms);
            let Some(status) = p.status.clone() else { return };
            let mut changed = None;
            entry.record.try_update(|r| {
                if let Some(r) = r.as_mut().filter(|r| r.job.status != status) {
                    r.job.status = status;
                    changed = Some(r.clone());
                }
            });
            if let Some(record) = changed {
                leptos::task::spawn_local(async move { studio.save(&record).await });
            }
            studio.tabs.send(&TabMessage::Progress {
                job_id: p.job_id.clone().unwrap_or_default(),
                remaining_ms: p.estimated_remaining_ms,
            });
        };
        let options = WaitOptions { on_progress: Some(&on_progress), ..Default::default() };
        // Job timings learned on earlier page loads (or by another tab since this client was made).
        let endpoint = self.connection.with_untracked(|c| c.endpoint.trim().to_owned());
        if let Some(kept) =
            super::load_timings(&endpoint).filter(|k| k.observations() > client.estimator().observations())
        {
            client.set_estimator(kept);
        }
        // Transient failures (429, 5xx, network) outlasting the client's retries: show them, wait, go on.
        let mut pause_ms = 2_000;
        let result = loop {
            let result = client.wait_for_job(&job_id, &options).await;
            match &result {
                // Unreadable answers too (a proxy's error page, a broken body): a poll can be repeated.
                Err(error) if is_retryable(error, Idempotency::Idempotent) || matches!(error, Error::Decode { .. }) => {
                    let mut problem = describe(error);
                    problem
                        .detail
                        .push_str(&format!(" Checking again in {}.", crate::format::duration(pause_ms as f64)));
                    entry.problem.try_set(Some(problem));
                    if client.transport().sleep(pause_ms).await.is_err() {
                        break Err(Error::Aborted);
                    }
                    entry.problem.try_set(None);
                    pause_ms = (pause_ms * 2).min(60_000);
                }
                _ => break result,
            }
        };
        let update = |edit: &dyn Fn(&mut JobRecord)| {
            let mut out = None;
            entry.record.try_update(|r| {
                if let Some(r) = r {
                    edit(r);
                    out = Some(r.clone());
                }
            });
            out
        };
        let record = match result {
            Ok(job) => {
                super::save_timings(&endpoint, &client.estimator());
                update(&|r| r.job = job.clone())
            }
            Err(ended @ (Error::JobFailed { .. } | Error::JobCancelled { .. })) => {
                // The final job has the failure reason and timestamps: fetch it once, else mark it locally.
                match client.get_job(&job_id).await {
                    Ok(job) => update(&|r| r.job = job.clone()),
                    Err(_) => update(&|r| match &ended {
                        Error::JobFailed { reason, .. } => {
                            r.job.status = JobStatus::Failed;
                            r.job.failure_reason = reason.clone();
                        }
                        _ => r.job.status = JobStatus::Cancelled,
                    }),
                }
            }
            Err(Error::Aborted) => None,
            Err(error) if super::is_gone(&error) => update(&|r| r.gone = true),
            Err(error) => {
                entry.problem.try_set(Some(describe(&error)));
                entry.stopped.try_set(true);
                None
            }
        };
        entry.remaining_ms.try_set(None);
        if let Some(record) = record {
            self.save(&record).await;
        }
    }

    /// Delete a saved submission from this device, then let go of its lock (in that order, so no
    /// other tab can restore it in between; kept if the delete failed, for the same reason).
    pub(super) async fn drop_pending(&self, id: &str) {
        if self.store_result(storage::delete_pending(id).await).is_some() {
            crate::tabs::release(&super::pending::lock_name(id));
        }
    }

    /// Stop a submission still waiting for its slot, or dismiss a refused one (it is dropped from the
    /// list and from this device).
    pub fn cancel_submission(&self, entry: Entry) {
        let aborted = entry.submit_abort.with_value(|c| c.as_ref().map(web_sys::AbortController::abort).is_some());
        if !aborted {
            let pending = entry.pending.with_value(|p| p.as_ref().map(|p| p.id.clone()));
            self.remove_entry(entry.key);
            if let Some(id) = pending {
                let studio = *self;
                leptos::task::spawn_local(async move { studio.drop_pending(&id).await });
            }
        }
    }

    /// Delete a job on the service and from this device.
    pub fn delete(&self, entry: Entry) {
        let studio = *self;
        let Some(job_id) = entry.job_id() else { return self.cancel_submission(entry) };
        let gone = entry.record.with_untracked(|r| r.as_ref().is_some_and(|r| r.gone));
        if entry.deleting.get_untracked() {
            return;
        }
        entry.deleting.set(true);
        entry.problem.set(None);
        leptos::task::spawn_local(async move {
            if !gone {
                let result = match studio.client() {
                    Ok(client) => client.delete_job(&job_id).await.map_err(|e| (super::is_gone(&e), describe(&e))),
                    Err(problem) => Err((false, problem)),
                };
                if let Err((false, problem)) = result {
                    entry.problem.try_set(Some(problem));
                    entry.deleting.try_set(false);
                    return;
                }
            }
            studio.store_result(storage::delete_job(&job_id).await);
            studio.remove_entry(entry.key);
            studio.tabs.send(&TabMessage::Removed { job_id });
            studio.library_version.update(|v| *v += 1);
        });
    }
}
