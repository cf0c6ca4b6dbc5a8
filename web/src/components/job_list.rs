//! This device's jobs as cards, newest first.

use leptos::prelude::*;

use super::job_card::JobCard;
use crate::state::Studio;

#[component]
pub fn JobList() -> impl IntoView {
    let studio = expect_context::<Studio>();
    view! {
        <section class="panel" aria-labelledby="jobs-title">
            <h2 id="jobs-title">"Your jobs"</h2>
            <Show when=move || studio.entries.with(Vec::is_empty)>
                <p class="empty">"No jobs yet: describe a video and press Create."</p>
            </Show>
            <ul class="jobs" data-testid="jobs">
                <For each=move || studio.entries.get() key=|entry| entry.key let:entry>
                    <JobCard entry/>
                </For>
            </ul>
        </section>
    }
}
