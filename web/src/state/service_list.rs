//! The service's own job list: a page at a time, a status filter, delete one, delete all failed.
//!
//! A job this device also has a card for is shown in the card's state (one state per job id), so the
//! list never says a job is still running once its card says it ended.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sora_client::{Error, JobStatus, ListJobsQuery, VideoGenerationJob, VideoGenerationJobList};

use super::Studio;
use crate::format::{Problem, describe};

const PAGE_SIZE: u32 = 10;
/// How long after a change on this device the list is reloaded.
const REFRESH_DELAY_MS: u64 = 3_000;

/// Which page to show.
#[derive(Clone, PartialEq)]
pub enum Cursor {
    Newest,
    After(String),
    Before(String),
}

/// The list's state; every field is a reactive handle, so it is `Copy`.
#[derive(Clone, Copy)]
pub struct ServiceList {
    studio: Studio,
    /// The status filter's wire value (empty: all).
    pub filter: RwSignal<String>,
    pub cursor: RwSignal<Cursor>,
    pub page: RwSignal<Option<VideoGenerationJobList>>,
    pub problem: RwSignal<Option<Problem>>,
    pub loading: RwSignal<bool>,
    /// What "delete all failed" did.
    pub note: RwSignal<Option<String>>,
}

impl ServiceList {
    /// Load the newest page now, and again a little after jobs on this device are added, end or go.
    pub fn new(studio: Studio) -> Self {
        let list = Self {
            studio,
            filter: RwSignal::new(String::new()),
            cursor: RwSignal::new(Cursor::Newest),
            page: RwSignal::new(None),
            problem: RwSignal::new(None),
            loading: RwSignal::new(false),
            note: RwSignal::new(None),
        };
        list.load();
        // Changes close together are coalesced into one request, to spare the requests-per-minute
        // budget for polling.
        let scheduled = StoredValue::new(false);
        Effect::new(move |first: Option<()>| {
            studio.entries.with(|entries| {
                for e in entries {
                    e.record.with(|r| r.as_ref().map(|r| r.job.status.is_terminal()));
                }
            });
            if first.is_none() || scheduled.get_value() {
                return;
            }
            scheduled.set_value(true);
            set_timeout(
                move || {
                    scheduled.try_set_value(false);
                    list.load();
                },
                std::time::Duration::from_millis(REFRESH_DELAY_MS),
            );
        });
        list
    }

    fn query(&self) -> ListJobsQuery {
        let statuses = match self.filter.get_untracked().as_str() {
            "" => Vec::new(),
            wire => vec![JobStatus::from_wire(wire)],
        };
        let (before, after) = match self.cursor.get_untracked() {
            Cursor::Newest => (None, None),
            Cursor::After(id) => (None, Some(id)),
            Cursor::Before(id) => (Some(id), None),
        };
        ListJobsQuery { limit: PAGE_SIZE, before, after, statuses }
    }

    /// Load the page the cursor and filter select.
    pub fn load(&self) {
        let list = *self;
        list.loading.set(true);
        let query = list.query();
        spawn_local(async move {
            let result = match list.studio.client() {
                Ok(client) => client.list_jobs(&query).await.map_err(|e| describe(&e)),
                Err(p) => Err(p),
            };
            match result {
                Ok(page) => {
                    list.page.try_set(Some(page));
                    list.problem.try_set(None);
                }
                Err(p) => {
                    list.problem.try_set(Some(p));
                }
            }
            list.loading.try_set(false);
        });
    }

    /// Show the filter's jobs from the newest.
    pub fn set_filter(&self, wire: String) {
        self.filter.set(wire);
        self.cursor.set(Cursor::Newest);
        self.load();
    }

    /// Go to the page before (newer) or after (older) the one shown.
    pub fn turn(&self, older: bool) {
        let edge = self.page.with_untracked(|p| {
            p.as_ref().and_then(|p| {
                if older {
                    p.last_id.clone().or_else(|| p.data.last().map(|j| j.id.clone()))
                } else {
                    p.first_id.clone().or_else(|| p.data.first().map(|j| j.id.clone()))
                }
            })
        });
        if let Some(id) = edge {
            self.cursor.set(if older { Cursor::After(id) } else { Cursor::Before(id) });
            self.load();
        }
    }

    /// Whether an older page exists.
    pub fn has_more(&self) -> bool {
        self.page.with(|p| p.as_ref().is_some_and(|p| p.has_more))
    }

    /// The jobs of the page shown.
    pub fn jobs(&self) -> Vec<VideoGenerationJob> {
        self.page.with(|p| p.as_ref().map(|p| p.data.clone()).unwrap_or_default())
    }

    /// A listed job's status as this device knows it best: its card's once the card has the job
    /// (the card is polled), unless the list already saw it end.
    pub fn status_of(&self, listed: &VideoGenerationJob) -> JobStatus {
        let card = self.studio.entries.with(|entries| {
            entries.iter().find_map(|e| {
                e.record
                    .try_with(|r| r.as_ref().filter(|r| r.job.id == listed.id).map(|r| r.job.status.clone()))
                    .flatten()
            })
        });
        match card {
            Some(status) if status.is_terminal() || !listed.status.is_terminal() => status,
            _ => listed.status.clone(),
        }
    }

    /// Delete one job on the service, then reload.
    pub fn delete(&self, id: String) {
        let list = *self;
        spawn_local(async move {
            let result = match list.studio.client() {
                Ok(client) => client.delete_job(&id).await.map_err(|e| describe(&e)),
                Err(p) => Err(p),
            };
            match result {
                Ok(()) => list.load(),
                Err(p) => {
                    list.problem.try_set(Some(p));
                }
            }
        });
    }

    /// Delete every failed job on the service (all pages), then show the newest page.
    pub fn delete_failed(&self) {
        let list = *self;
        list.note.set(Some("Deleting failed jobs…".into()));
        spawn_local(async move {
            let client = match list.studio.client() {
                Ok(client) => client,
                Err(p) => return list.problem.set(Some(p)),
            };
            let mut pager = client.list_all_jobs(ListJobsQuery {
                limit: 100,
                statuses: vec![JobStatus::Failed],
                ..Default::default()
            });
            let mut ids = Vec::new();
            loop {
                match pager.next_page().await {
                    Ok(Some(jobs)) => ids.extend(jobs.into_iter().map(|j| j.id)),
                    Ok(None) => break,
                    Err(e) => {
                        list.problem.try_set(Some(describe(&e)));
                        break;
                    }
                }
            }
            let mut deleted = 0;
            for id in &ids {
                match client.delete_job(id).await {
                    Ok(()) | Err(Error::NotFound { .. }) => deleted += 1,
                    Err(e) => {
                        list.problem.try_set(Some(describe(&e)));
                        break;
                    }
                }
            }
            list.note.try_set(Some(format!("Deleted {deleted} failed job{}.", if deleted == 1 { "" } else { "s" })));
            list.cursor.try_set(Cursor::Newest);
            list.load();
        });
    }
}
