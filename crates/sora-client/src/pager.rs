//! Listing every job, page after page.

use crate::client::Client;
use crate::error::Error;
use crate::operations::ListJobsQuery;
use crate::transport::Transport;
use crate::types::VideoGenerationJob;

/// Walks the job list from newest to oldest, one request per page.
pub struct JobPager<T> {
    client: Client<T>,
    query: ListJobsQuery,
    done: bool,
}

impl<T: Transport + Clone> Client<T> {
    /// Page through all jobs matching `query` (its `after` is the starting cursor).
    pub fn list_all_jobs(&self, query: ListJobsQuery) -> JobPager<T> {
        JobPager { client: self.clone(), query, done: false }
    }
}

impl<T: Transport> JobPager<T> {
    /// The next page, or `None` after the last one.
    ///
    /// # Errors
    /// As [`Client::list_jobs`]; the pager can be asked again after an error.
    pub async fn next_page(&mut self) -> Result<Option<Vec<VideoGenerationJob>>, Error> {
        if self.done {
            return Ok(None);
        }
        let page = self.client.list_jobs(&self.query).await?;
        let last = page.last_id.clone().or_else(|| page.data.last().map(|j| j.id.clone()));
        // Stop on the service's word, and also when a page would not move the cursor (no endless loop).
        match last {
            Some(last) if page.has_more && self.query.after.as_deref() != Some(last.as_str()) => {
                self.query.after = Some(last);
            }
            _ => self.done = true,
        }
        Ok(Some(page.data))
    }
}
