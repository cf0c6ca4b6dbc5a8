//! The service's own job list: a page at a time, a status filter, delete one, delete all failed.
//! On the Videos API its videos are listed as jobs (filtered on this device: the API has no status
//! filter), and a gateway that cannot list is said to be one.
//!
//! A job this device also has a card for is shown in the card's state (one state per job id), so the
//! list never says a job is still running once its card says it ended.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sora_client::videos::{ListVideosQuery, Order};
use sora_client::{Error, JobStatus, ListJobsQuery, Page, VideoGenerationJob, VideoGenerationJobList};

use super::Studio;
use super::video_job::job_of;
use crate::api::StudioClient;
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
                Ok(client) if client.protocol().is_videos() => list_videos(&client, &query).await.map_err(cannot_list),
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
                Ok(client) => delete(&client, &id).await.map_err(|e| describe(&e)),
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
            let ids = match failed_ids(&client).await {
                Ok(ids) => ids,
                Err(e) => {
                    list.problem.try_set(Some(describe(&e)));
                    Vec::new()
                }
            };
            let mut deleted = 0;
            for id in &ids {
                match delete(&client, id).await {
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

/// A page of videos as jobs: `query`'s cursor and status filter applied (a page before the one
/// shown is read in ascending order from its first id).
async fn list_videos(client: &StudioClient, query: &ListJobsQuery) -> Result<VideoGenerationJobList, Error> {
    let (after, order) = match (&query.after, &query.before) {
        (_, Some(first)) => (Some(first.clone()), Order::Asc),
        (after, None) => (after.clone(), Order::Desc),
    };
    let page = client.list_videos(&ListVideosQuery { limit: query.limit, after, order }).await?;
    let mut data: Vec<VideoGenerationJob> = page
        .data
        .iter()
        .map(job_of)
        .filter(|j| query.statuses.is_empty() || query.statuses.contains(&j.status))
        .collect();
    if order == Order::Asc {
        data.reverse();
    }
    Ok(Page { data, has_more: page.has_more, first_id: None, last_id: None })
}

/// What to show when the list fails: a gateway that cannot list says so plainly.
fn cannot_list(error: Error) -> Problem {
    match &error {
        Error::Api(api) if matches!(api.status, 400 | 404 | 405 | 501) => Problem::new(
            "This service cannot list its videos",
            format!(
                "It answered the list with HTTP {} ({}). Gateways such as the LiteLLM proxy do not route the Videos API's list. Nothing is lost: the studio works from its own record of the videos it creates here (the cards above and the library).",
                api.status,
                api.message.trim_end_matches('.')
            ),
        ),
        _ => describe(&error),
    }
}

/// Delete one job or video on the service.
async fn delete(client: &StudioClient, id: &str) -> Result<(), Error> {
    if client.protocol().is_videos() { client.delete_video(id).await.map(drop) } else { client.delete_job(id).await }
}

/// Every failed job (or video) on the service.
async fn failed_ids(client: &StudioClient) -> Result<Vec<String>, Error> {
    let failed = |status: &JobStatus| *status == JobStatus::Failed;
    let mut ids = Vec::new();
    if client.protocol().is_videos() {
        let mut pager = client.list_all_videos(ListVideosQuery { limit: 100, ..Default::default() });
        while let Some(videos) = pager.next_page().await? {
            ids.extend(videos.into_iter().filter(|v| failed(&v.status)).map(|v| v.id));
        }
    } else {
        let query = ListJobsQuery { limit: 100, statuses: vec![JobStatus::Failed], ..Default::default() };
        let mut pager = client.list_all_jobs(query);
        while let Some(jobs) = pager.next_page().await? {
            ids.extend(jobs.into_iter().filter(|j| failed(&j.status)).map(|j| j.id));
        }
    }
    Ok(ids)
}
