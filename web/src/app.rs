//! The studio's page: header and notices, then connection, create form, jobs, service list, library.

use std::time::Duration;

use leptos::prelude::*;

use crate::components::{Connect, CreateForm, JobList, Library, ServerJobs};
use crate::format;
use crate::state::Studio;

#[component]
pub fn App() -> impl IntoView {
    let studio = Studio::new();
    provide_context(studio);

    // One clock for every elapsed time and countdown on the page.
    if let Ok(handle) = set_interval_with_handle(move || studio.now.set(js_sys::Date::now()), Duration::from_secs(1)) {
        on_cleanup(move || handle.clear());
    }
    // Lets tests and measurements know the app is up.
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-app", "mounted");
    }

    view! {
        <a class="skip" href="#create-title">"Skip to the create form"</a>
        <header class="top">
            <h1>"Sora Studio"</h1>
            <p class="role" data-testid="role">
                {move || if studio.tabs.leader.get() { "This tab checks on your jobs" } else { "Another tab checks on your jobs" }}
            </p>
        </header>
        <div class="notices" aria-live="polite" role="status">
            <BusyNotice/>
            {move || studio.store_problem.get().map(|message| view! {
                <p class="notice error" data-testid="store-problem">{message}
                    <button type="button" class="link" on:click=move |_| studio.store_problem.set(None)>"Dismiss"</button>
                </p>
            })}
        </div>
        <main class="layout">
            <div class="side">
                <Connect/>
                <CreateForm/>
            </div>
            <div class="work">
                <JobList/>
                <Library/>
                <ServerJobs/>
            </div>
        </main>
    }
}

/// Shows a 429 from the service and when the next try happens.
#[component]
fn BusyNotice() -> impl IntoView {
    let studio = expect_context::<Studio>();
    move || {
        studio.busy.get().map(|busy| {
            let wait = busy.until_ms - studio.now.get();
            let text = if wait > 0.0 {
                format!(
                    "The service is busy (HTTP 429, too many requests). Next try in {}.",
                    format::duration(wait.max(1000.0))
                )
            } else {
                "The service was busy (HTTP 429). Trying again now…".to_owned()
            };
            view! { <p class="notice busy" data-testid="busy">{text}</p> }
        })
    }
}
