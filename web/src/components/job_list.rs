//! This device's jobs as cards, newest first.

use leptos::prelude::*;

use super::erased::{KeyedList, Row, When};
use super::job_card::JobCard;
use crate::state::Studio;

#[component]
pub fn JobList() -> impl IntoView {
    let studio = expect_context::<Studio>();
    view! {
        <section class="panel" aria-labelledby="jobs-title">
            <h2 id="jobs-title">"Your jobs"</h2>
            <When when=Signal::derive(move || studio.entries.with(Vec::is_empty))>
                <p class="empty">"No jobs yet: describe a video and press Create."</p>
            </When>
            <ul class="jobs" data-testid="jobs">
                <KeyedList rows=Signal::derive(move || {
                    studio.entries.with(|entries| {
                        entries.iter().map(|&entry| Row::new(entry.key.to_string(), move || view! { <JobCard entry/> }.into_any())).collect()
                    })
                })/>
            </ul>
        </section>
    }
}
