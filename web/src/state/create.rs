//! Creating a job: the submission is saved, waits for a slot, is sent (and waited out through a
//! 429), and becomes a job record; what follows a refusal (trying again, pointing at what to fix).

use leptos::prelude::*;
use sora_client::videos::ListVideosQuery;
use sora_client::{Error, Progress};

use super::pending::PendingSubmission;
use super::record::JobRecord;
use super::retry::with_pauses;
use super::{Entry, Studio, Submission, SubmitState};
use crate::api::StudioClient;
use crate::format::{self, Problem, describe};
use crate::storage;

/// How many times a create refused with 429 is tried again after the client's own retries.
const MAX_BUSY_RETRIES: u32 = 5;

impl Studio {
    /// Queue a new job: saves the submission, waits for a free slot, creates the job, saves it, and
    /// tells the other tabs.
    pub fn submit(&self, submission: Submission) {
        let pending = PendingSubmission::new(self.connection.get_untracked().endpoint, submission);
        let entry = Entry::new(self.next_key(), pending.submission.summary(), None, SubmitState::Sending);
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
        let entry = Entry::new(self.next_key(), pending.submission.summary(), None, SubmitState::Sending);
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
            Ok(Some(record)) => Ok(record),
            Ok(None) => studio.create(&client, &pending, entry, &report).await,
            Err(Error::Validation { field: "list", message }) => {
                // Sending it again could pay for the same video twice: the person decides.
                entry.pending.try_set_value(Some(PendingSubmission { restored: false, ..pending }));
                entry.problem.try_set(Some(Problem::new("Not sent again", message)));
                entry.submit.try_set(SubmitState::Refused);
                return;
            }
            Err(error) => Err(error),
        };
        entry.submit_abort.try_set_value(None);
        match result {
            Ok(mut record) => {
                super::clock::observe(&pending.endpoint, client.server_clock_offset_ms());
                studio.accepted(pending.submission.model());
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
                entry.problem.try_set(Some(studio.refusal_problem(&error, pending.submission.model())));
                entry.submit.try_set(SubmitState::Refused);
            }
        }
    }

    /// The job a restored submission already created, if the service has it (the page may have died
    /// after the service accepted it); `None` when it must be sent. A gateway that cannot list gives
    /// `Validation` on field `list`, saying why it is not sent again.
    async fn find_on_service(
        &self,
        client: &StudioClient,
        pending: &PendingSubmission,
    ) -> Result<Option<JobRecord>, Error> {
        if !pending.restored {
            return Ok(None);
        }
        let known = |id: &str| self.entry_of(id).is_some();
        let endpoint = || pending.endpoint.clone();
        if !client.protocol().is_videos() {
            let query = sora_client::ListJobsQuery { limit: 50, ..Default::default() };
            let page = client.list_jobs(&query).await?;
            let found = page.data.into_iter().find(|job| pending.matches(job) && !known(&job.id));
            return Ok(found.map(|job| JobRecord::new(job, endpoint())));
        }
        let page = match client.list_videos(&ListVideosQuery { limit: 50, ..Default::default() }).await {
            Ok(page) => page,
            // No list route (LiteLLM answers 400; others 404, 405 or 501); a refused key is not that.
            Err(Error::Api(api)) if matches!(api.status, 400 | 404 | 405 | 501) => {
                return Err(Error::Validation {
                    field: "list",
                    message: format!(
                        "The page closed while this video was being sent, and this service cannot list its videos (it said: {}), so the studio cannot tell whether it was created. Try again to send it (it may then be made twice), or dismiss it.",
                        api.message
                    ),
                });
            }
            Err(error) => return Err(error),
        };
        let found = page.data.iter().find(|v| pending.matches(&super::video_job::job_of(v)) && !known(&v.id));
        let parent = pending.submission.summary().remix_of;
        Ok(found.map(|video| JobRecord::of_video(video, endpoint(), client.protocol(), parent)))
    }

    /// Create the job, waiting out a 429 that outlasts the client's own retries (the wait is shown).
    async fn create(
        &self,
        client: &StudioClient,
        pending: &PendingSubmission,
        entry: Entry,
        report: &dyn Fn(&Progress),
    ) -> Result<JobRecord, Error> {
        let mut attempts = 0;
        let (endpoint, protocol) = (pending.endpoint.as_str(), client.protocol());
        let send = || async move {
            let parent = pending.submission.summary().remix_of;
            let video = |v: sora_client::videos::Video| JobRecord::of_video(&v, endpoint.to_owned(), protocol, parent);
            let job = |j| JobRecord::new(j, endpoint.to_owned());
            match &pending.submission {
                Submission::Text(request) => client.submit_job(request, Some(report)).await.map(job),
                // The core queues text requests only; a 429 for the running-jobs limit is waited out below.
                Submission::Media(media) => client.create_job_with_media(media).await.map(job),
                Submission::Video(request) => client.create_video(request).await.map(video),
                Submission::Remix { video_id, prompt, .. } => client.remix_video(video_id, prompt).await.map(video),
            }
        };
        let pause = |error: &Error| match error {
            Error::Api(api) if api.status == 429 && attempts < MAX_BUSY_RETRIES => {
                attempts += 1;
                Some(api.retry_after_ms.unwrap_or(2_000).clamp(500, 60_000))
            }
            _ => None,
        };
        let show = |paused: Option<(&Error, u64)>| {
            entry.submit.try_set(match paused {
                Some((_, wait)) => SubmitState::Busy { until_ms: js_sys::Date::now() + wait as f64 },
                None => SubmitState::Sending,
            });
        };
        with_pauses(client, send, pause, show).await
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

    /// Create a new job from an ended one's request (with its image when this page sent it); the
    /// ended job keeps its card.
    pub fn try_again(&self, entry: Entry) {
        let Some(summary) = entry.request.try_get_value() else { return };
        let videos = entry.record.with_untracked(|r| r.as_ref().is_some_and(|r| r.protocol.is_videos()));
        let submission =
            entry.original.try_get_value().flatten().or_else(|| Submission::from_summary(&summary, videos));
        if let Some(submission) = submission {
            self.submit(submission);
        }
    }

    /// Make a finished video the one the create form remixes; its prompt, to start from.
    pub fn start_remix(&self, entry: Entry) -> Option<String> {
        let video_id = entry.job_id()?;
        let prompt = entry.request.with_value(|r| r.prompt.clone());
        self.remix_of.set(Some((video_id, prompt.clone())));
        Some(prompt)
    }

    /// The problem to show for a create the service refused. An unknown deployment is also flagged
    /// at the deployment field (which the connection panel shows and focuses).
    pub(super) fn refusal_problem(&self, error: &Error, deployment: &str) -> Problem {
        match error {
            Error::Api(api) if api.is_unknown_deployment() => {
                self.unknown_deployment.try_set(Some(deployment.to_owned()));
                format::unknown_deployment(deployment, api)
            }
            _ => describe(error),
        }
    }

    /// A create with `deployment` was accepted: it exists after all (deployments take a while to appear).
    pub(super) fn accepted(&self, deployment: &str) {
        if self.unknown_deployment.try_with_untracked(|d| d.as_deref() == Some(deployment)).unwrap_or(false) {
            self.unknown_deployment.try_set(None);
        }
    }
}

/// Whether the service judged the request itself (so sending it again would be refused again).
pub(super) fn is_final_refusal(error: &Error) -> bool {
    match error {
        // Meant for the other API (the connection was switched): kept until it is connected again.
        Error::Validation { field: "protocol", .. } => false,
        Error::Validation { .. } => true,
        Error::Api(api) => matches!(api.status, 400 | 404 | 413 | 415 | 422),
        _ => false,
    }
}
