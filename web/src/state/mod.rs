//! The studio's state and work: what the components share, and one file per workflow (connect,
//! create, watch, download and save, the library, the service's list). Components render these
//! signals and call these functions; they make no service or storage calls of their own.

pub mod clock;
mod connection;
mod create;
mod download;
mod entry;
mod library;
mod pending;
mod record;
mod retry;
mod service_list;
mod timings;
mod video_job;
mod watch;

pub use connection::{load_connection, save_connection};
pub use download::{Shown, ShownVideo};
pub use entry::{Entry, Submission, SubmitState, Summary};
pub use library::{SavedVideo, remix_tree};
pub use pending::PendingSubmission;
pub use record::{JobRecord, VideoMeta};
pub use service_list::{Cursor, ServiceList};
pub use timings::{load_timings, save_timings};

use leptos::prelude::*;
use sora_client::Error;

use crate::api::{self, Busy, Connection, StudioClient, StudioTransport};
use crate::format::{Problem, describe};
use crate::tabs::{TabMessage, Tabs};

/// Everything the components share, provided as a context.
#[derive(Clone, Copy)]
pub struct Studio {
    pub connection: RwSignal<Connection>,
    /// Keep the key in localStorage (otherwise in memory only).
    pub remember: RwSignal<bool>,
    /// This device's jobs, newest first.
    pub entries: RwSignal<Vec<Entry>>,
    pub tabs: Tabs,
    /// The service's last 429, until a request succeeds again.
    pub busy: RwSignal<Option<Busy>>,
    /// The clock, ticking once a second, for elapsed times and countdowns.
    pub now: RwSignal<f64>,
    /// The create form's prompt (a revised prompt can be put into it from a job card).
    pub prompt: RwSignal<String>,
    /// The finished video the create form remixes (Videos API): its id and prompt.
    pub remix_of: RwSignal<Option<(String, String)>>,
    /// A deployment name the service said this resource does not have (shown at the deployment field).
    pub unknown_deployment: RwSignal<Option<String>>,
    /// Bumped whenever the library changes, so its view reloads.
    pub library_version: RwSignal<u64>,
    /// The last problem with the local library (quota above all).
    pub store_problem: RwSignal<Option<String>>,
    client_cache: StoredValue<Option<(Connection, StudioClient)>, LocalStorage>,
    next_key: StoredValue<u64>,
}

impl Studio {
    /// Set up the state, join the other tabs and restore saved jobs.
    #[expect(clippy::new_without_default, reason = "it reads storage and starts tasks: not a plain default value")]
    pub fn new() -> Self {
        let (connection, remember) = load_connection();
        let now = RwSignal::new(js_sys::Date::now());
        let entries = RwSignal::new(Vec::new());
        let library_version = RwSignal::new(0);
        // Messages from other tabs are applied as they come, each one (a signal in between would keep
        // only the last of a burst), and not in an effect: an effect's re-run disposes the signals
        // its last run created, so the entries of jobs created in other tabs died with the next message.
        let target = StoredValue::new_local(None::<Studio>);
        let tabs = Tabs::join(move |message| {
            if let Some(studio) = target.try_get_value().flatten() {
                studio.apply(message);
            }
        });
        let studio = Self {
            connection: RwSignal::new(connection),
            remember: RwSignal::new(remember),
            entries,
            tabs,
            busy: RwSignal::new(None),
            now,
            prompt: RwSignal::new(String::from("A paper boat sailing down a rainy street at dusk")),
            remix_of: RwSignal::new(None),
            unknown_deployment: RwSignal::new(None),
            library_version,
            store_problem: RwSignal::new(None),
            client_cache: StoredValue::new_local(None),
            next_key: StoredValue::new(0),
        };
        target.set_value(Some(studio));
        Effect::new(move || save_connection(&studio.connection.get(), studio.remember.get()));
        // Connected to another endpoint or API: resume what was submitted to it before.
        Effect::new(move |previous: Option<(String, bool)>| {
            let now = studio.connection.with(|c| (c.endpoint.clone(), c.protocol.is_videos()));
            if previous.is_some_and(|p| p != now) {
                leptos::task::spawn_local(async move { studio.resume_pending().await });
            }
            now
        });
        // Ask the browser to keep the library through storage pressure.
        crate::storage::persist();
        studio.restore();
        studio
    }

    /// The client for the current connection (one per connection: it holds the slot queue and rate budget).
    pub fn client(&self) -> Result<StudioClient, Problem> {
        let connection = self.connection.get_untracked();
        let cached = self
            .client_cache
            .with_value(|cache| cache.as_ref().filter(|(c, _)| *c == connection).map(|(_, client)| client.clone()));
        if let Some(client) = cached {
            return Ok(client);
        }
        let transport = StudioTransport::new(self.busy, self.tabs.hidden, None);
        let client = api::client(&connection, transport).map_err(|e| describe(&e))?;
        self.client_cache.set_value(Some((connection, client.clone())));
        Ok(client)
    }

    /// The client bound to an abort signal.
    pub fn client_with_signal(&self, signal: &web_sys::AbortSignal) -> Result<StudioClient, Problem> {
        let client = self.client()?;
        let transport = client.transport().with_signal(Some(signal.clone()));
        Ok(client.with_transport(transport))
    }

    /// A fresh key for a new entry.
    pub fn next_key(&self) -> u64 {
        let key = self.next_key.get_value() + 1;
        self.next_key.set_value(key);
        key
    }

    /// The entry showing a job, if any.
    pub fn entry_of(&self, job_id: &str) -> Option<Entry> {
        self.entries.with_untracked(|entries| {
            entries
                .iter()
                .copied()
                .find(|e| e.record.with_untracked(|r| r.as_ref().is_some_and(|r| r.job.id == job_id)))
        })
    }

    /// Drop an entry from the list and free its signals.
    pub fn remove_entry(&self, key: u64) {
        let mut removed = None;
        self.entries.update(|entries| {
            if let Some(index) = entries.iter().position(|e| e.key == key) {
                removed = Some(entries.remove(index));
            }
        });
        if let Some(entry) = removed {
            entry.dispose();
        }
    }

    /// Report a library problem (or clear it).
    pub fn store_result<T>(&self, result: Result<T, crate::storage::StoreError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.store_problem.set(Some(error.message));
                None
            }
        }
    }

    /// Apply what another tab said.
    fn apply(&self, message: TabMessage) {
        match message {
            TabMessage::Job { record } => match self.entry_of(&record.job.id) {
                Some(entry) => entry.record.update(|r| {
                    if let Some(r) = r {
                        r.job = record.job;
                        r.progress = record.progress;
                    }
                }),
                None => {
                    let entry = Entry::restored(self.next_key(), record);
                    self.entries.update(|entries| entries.insert(0, entry));
                }
            },
            TabMessage::Progress { job_id, remaining_ms } => {
                if let Some(entry) = self.entry_of(&job_id) {
                    entry.remaining_ms.set(remaining_ms);
                }
            }
            TabMessage::Saved { job_id } => {
                if let Some(entry) = self.entry_of(&job_id) {
                    entry.record.update(|r| {
                        if let Some(r) = r {
                            r.saved = true;
                        }
                    });
                }
                self.library_version.update(|v| *v += 1);
            }
            TabMessage::Removed { job_id } => {
                if let Some(entry) = self.entry_of(&job_id) {
                    self.remove_entry(entry.key);
                }
                self.library_version.update(|v| *v += 1);
            }
            TabMessage::Library => self.library_version.update(|v| *v += 1),
        }
    }

    /// Load the jobs saved on this device.
    fn restore(&self) {
        let studio = *self;
        leptos::task::spawn_local(async move {
            let Some(mut records) = studio.store_result(crate::storage::all_jobs::<JobRecord>().await) else { return };
            records.sort_by_key(|r| std::cmp::Reverse(r.job.created_at));
            let restored: Vec<Entry> = records
                .into_iter()
                .filter(|r| studio.entry_of(&r.job.id).is_none())
                .map(|r| Entry::restored(studio.next_key(), r))
                .collect();
            studio.entries.update(|entries| entries.extend(restored));
            studio.resume_pending().await;
        });
    }

    /// Resume the submissions saved on this device that no open tab is working on.
    async fn resume_pending(&self) {
        let Some(values) = self.store_result(crate::storage::all_pending().await) else { return };
        let (endpoint, videos) = self.connection.with_untracked(|c| (c.endpoint.clone(), c.protocol.is_videos()));
        let created: Vec<String> = self.entries.with_untracked(|entries| {
            entries
                .iter()
                .filter_map(|e| e.record.with_untracked(|r| r.as_ref().and_then(|r| r.submission.clone())))
                .collect()
        });
        let mut saved: Vec<PendingSubmission> = values.iter().filter_map(PendingSubmission::from_js).collect();
        saved.sort_by(|a, b| a.submitted_ms.total_cmp(&b.submitted_ms));
        // Meant for another endpoint or API: kept until the studio is connected to that one again.
        for pending in saved.into_iter().filter(|p| p.endpoint == endpoint && p.submission.is_videos() == videos) {
            if !crate::tabs::claim(&pending.lock_name()).await {
                continue; // another tab (or this one) is sending it
            }
            if created.contains(&pending.id) {
                // Its job was saved just before the page went: only the submission was left over.
                self.drop_pending(&pending.id).await;
            } else {
                self.resume(pending);
            }
        }
    }
}

/// Whether an error means the job is no longer on the service.
pub fn is_gone(error: &Error) -> bool {
    matches!(error, Error::NotFound { .. })
}
