//! Listing everything, page after page: jobs or videos, one pager.

use std::future::Future;

use crate::client::Client;
use crate::error::Error;
use crate::operations::ListJobsQuery;
use crate::transport::Transport;
use crate::types::{Page, VideoGenerationJob};
use crate::videos::{ListVideosQuery, Video};

/// A list query a [`Pager`] can walk: it fetches one page and moves its `after` cursor.
pub trait ListQuery: Sized {
    /// What the list holds.
    type Item;

    /// Fetch the page this query names.
    fn fetch<T: Transport>(&self, client: &Client<T>) -> impl Future<Output = Result<Page<Self::Item>, Error>>;

    /// The cursor: list after this id.
    fn after(&mut self) -> &mut Option<String>;

    /// An item's id, the cursor for the page after it.
    fn id(item: &Self::Item) -> &str;
}

impl ListQuery for ListJobsQuery {
    type Item = VideoGenerationJob;

    fn fetch<T: Transport>(&self, client: &Client<T>) -> impl Future<Output = Result<Page<Self::Item>, Error>> {
        client.list_jobs(self)
    }

    fn after(&mut self) -> &mut Option<String> {
        &mut self.after
    }

    fn id(item: &Self::Item) -> &str {
        &item.id
    }
}

impl ListQuery for ListVideosQuery {
    type Item = Video;

    fn fetch<T: Transport>(&self, client: &Client<T>) -> impl Future<Output = Result<Page<Self::Item>, Error>> {
        client.list_videos(self)
    }

    fn after(&mut self) -> &mut Option<String> {
        &mut self.after
    }

    fn id(item: &Self::Item) -> &str {
        &item.id
    }
}

/// Walks a list one request per page, following the `after` cursor.
pub struct Pager<T, Q> {
    client: Client<T>,
    query: Q,
    done: bool,
}

/// Walks the job list from newest to oldest.
pub type JobPager<T> = Pager<T, ListJobsQuery>;
/// Walks the video list in the query's order.
pub type VideoPager<T> = Pager<T, ListVideosQuery>;

impl<T: Transport + Clone> Client<T> {
    /// Page through all jobs matching `query` (its `after` is the starting cursor).
    pub fn list_all_jobs(&self, query: ListJobsQuery) -> JobPager<T> {
        Pager { client: self.clone(), query, done: false }
    }

    /// Page through all videos (`query.after` is the starting cursor). A gateway may not list.
    pub fn list_all_videos(&self, query: ListVideosQuery) -> VideoPager<T> {
        Pager { client: self.clone(), query, done: false }
    }
}

impl<T: Transport, Q: ListQuery> Pager<T, Q> {
    /// The next page, or `None` after the last one.
    ///
    /// # Errors
    /// As the list operation ([`Client::list_jobs`], [`Client::list_videos`]); the pager can be
    /// asked again after an error.
    pub async fn next_page(&mut self) -> Result<Option<Vec<Q::Item>>, Error> {
        if self.done {
            return Ok(None);
        }
        let page = self.query.fetch(&self.client).await?;
        let last = page.last_id.clone().or_else(|| page.data.last().map(|item| Q::id(item).to_owned()));
        // Stop on the service's word, and also when a page would not move the cursor (no endless loop).
        let after = self.query.after();
        match last {
            Some(last) if page.has_more && after.as_deref() != Some(last.as_str()) => *after = Some(last),
            _ => self.done = true,
        }
        Ok(Some(page.data))
    }
}
