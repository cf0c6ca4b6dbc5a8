//! The studio's one retry-with-pause: for failures that outlast the client's own retries (a 429
//! storm, a flaky connection), shown to the person while the studio waits.

use std::future::Future;

use leptos::prelude::*;
use sora_client::{Error, Transport};

use super::Entry;
use crate::api::{StudioClient, worth_retrying_read};
use crate::format::{self, describe};

/// The first pause after a failed read; each further pause doubles, up to [`MAX_PAUSE_MS`].
const FIRST_PAUSE_MS: u64 = 2_000;
const MAX_PAUSE_MS: u64 = 60_000;

/// Run `attempt` until it succeeds or `pause` says to stop (`None`); between tries the transport
/// sleeps the pause (an abort ends it with [`Error::Aborted`]). `show` is told of each pause with the
/// error that caused it, and `None` when the next try starts.
pub async fn with_pauses<T, Fut>(
    client: &StudioClient,
    mut attempt: impl FnMut() -> Fut,
    mut pause: impl FnMut(&Error) -> Option<u64>,
    show: impl Fn(Option<(&Error, u64)>),
) -> Result<T, Error>
where
    Fut: Future<Output = Result<T, Error>>,
{
    loop {
        let error = match attempt().await {
            Err(error) => error,
            done => return done,
        };
        let Some(ms) = pause(&error) else { return Err(error) };
        show(Some((&error, ms)));
        client.transport().sleep(ms).await?;
        show(None);
    }
}

/// A read (a poll, a download) tried until it works or fails for good: a failure worth another try
/// is shown on the entry's card ("`again` in 4 s") during pauses of 2 s doubling to a minute.
pub async fn read_with_pauses<T, Fut>(
    client: &StudioClient,
    entry: Entry,
    again: &str,
    attempt: impl FnMut() -> Fut,
) -> Result<T, Error>
where
    Fut: Future<Output = Result<T, Error>>,
{
    let mut next_ms = FIRST_PAUSE_MS;
    let pause = move |error: &Error| {
        worth_retrying_read(error).then(|| {
            let ms = next_ms;
            next_ms = (next_ms * 2).min(MAX_PAUSE_MS);
            ms
        })
    };
    let show = move |paused: Option<(&Error, u64)>| {
        let problem = paused.map(|(error, ms)| {
            let mut problem = describe(error);
            problem.detail.push_str(&format!(" {again} in {}.", format::duration(ms as f64)));
            problem
        });
        entry.problem.try_set(problem);
    };
    with_pauses(client, attempt, pause, show).await
}
