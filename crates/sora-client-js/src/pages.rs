//! Async iterators over a list (`for await ... of`): one generic walk, a class per item type.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use sora_client::videos::ListVideosQuery;
use sora_client::{Error, FetchTransport, ListJobsQuery, ListQuery, Pager};

use crate::{error, output, settle};

/// A pager and the items of its current page not handed out yet (in reverse order).
pub struct Walk<Q: ListQuery> {
    pager: Pager<FetchTransport, Q>,
    buffer: Vec<Q::Item>,
}

/// A walk shared with the promises of `next()`; `None` while one of them is running.
type Shared<Q> = Rc<RefCell<Option<Walk<Q>>>>;

/// The shared state of a new walk over `pager`.
pub fn walk<Q: ListQuery>(pager: Pager<FetchTransport, Q>) -> Shared<Q> {
    Rc::new(RefCell::new(Some(Walk { pager, buffer: Vec::new() })))
}

impl<Q: ListQuery> Walk<Q> {
    async fn next(&mut self) -> Result<Option<Q::Item>, Error> {
        while self.buffer.is_empty() {
            match self.pager.next_page().await? {
                Some(mut page) => {
                    page.reverse();
                    self.buffer = page;
                }
                None => return Ok(None),
            }
        }
        Ok(self.buffer.pop())
    }
}

/// The next item as `{ value, done }`, as the async-iterator protocol wants.
fn advance<Q: ListQuery + 'static>(state: &Shared<Q>, item: fn(&Q::Item) -> JsValue) -> Promise {
    let state = Rc::clone(state);
    settle(Box::pin(async move {
        // Take the state out while awaiting, so overlapping next() calls cannot double-borrow it.
        let taken = state.borrow_mut().take();
        let Some(mut current) = taken else {
            return Err(error::bad_argument("next", "wait for the previous next() to settle"));
        };
        let result = current.next().await;
        *state.borrow_mut() = Some(current);
        let next = result?;
        let value = next.as_ref().map_or(JsValue::UNDEFINED, item);
        Ok(output::object(&[("value", value), ("done", next.is_none().into())]))
    }))
}

/// An async iterator over jobs (`for await ... of`), fetching one page at a time.
#[wasm_bindgen]
pub struct JobIterator {
    pub(crate) state: Shared<ListJobsQuery>,
}

#[wasm_bindgen]
impl JobIterator {
    /// The next job: `{ value, done }`, as the async-iterator protocol wants.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<VideoGenerationJob, undefined>>")]
    pub fn next(&self) -> Promise {
        advance(&self.state, output::job)
    }
}

/// An async iterator over videos of the Videos API (`for await ... of`), fetching one page at a time.
#[wasm_bindgen]
pub struct VideoIterator {
    pub(crate) state: Shared<ListVideosQuery>,
}

#[wasm_bindgen]
impl VideoIterator {
    /// The next video: `{ value, done }`, as the async-iterator protocol wants.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<Video, undefined>>")]
    pub fn next(&self) -> Promise {
        advance(&self.state, crate::videos::video)
    }
}
