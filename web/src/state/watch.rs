//! Watching a job: polling it until it ends (in the tab that polls), through failures that outlast
//! the client's retries, then keeping its final state.

use leptos::prelude::*;
use sora_client::{Error, FailureReason, JobStatus, Progress, WaitOptions};

use super::record::JobRecord;
use super::retry::read_with_pauses;
use super::{Entry, Studio};
use crate::format::describe;
use crate::tabs::TabMessage;

/// What a finished wait gives: a job, or a video of the Videos API.
enum Done {
    Job(sora_client::VideoGenerationJob),
    Video(sora_client::videos::Video),
}

impl Studio {
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
                if let Some(r) = r.as_mut().filter(|r| r.job.status != status || r.progress != p.percent) {
                    r.job.status = status;
                    r.progress = p.percent.or(r.progress);
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
        // Transient failures (429, 5xx, network) and unreadable answers (a proxy's error page, a broken
        // body) outlasting the client's retries: show them, wait, go on (a poll can be repeated).
        let videos = client.protocol().is_videos();
        let result = read_with_pauses(&client, entry, "Checking again", || async {
            if videos {
                client.wait_for_video(&job_id, &options).await.map(Done::Video)
            } else {
                client.wait_for_job(&job_id, &options).await.map(Done::Job)
            }
        })
        .await;
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
            Ok(done) => {
                super::save_timings(&endpoint, &client.estimator());
                match done {
                    Done::Job(job) => update(&|r| r.job = job.clone()),
                    Done::Video(video) => update(&|r| r.set_video(&video)),
                }
            }
            Err(Error::VideoFailed { code, message, .. }) => match client.get_video(&job_id).await {
                Ok(video) => update(&|r| r.set_video(&video)),
                Err(_) => update(&|r| {
                    r.job.status = JobStatus::Failed;
                    let said =
                        [code.as_deref(), message.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(": ");
                    r.job.failure_reason = Some(FailureReason::Other(said));
                }),
            },
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
}
