//! The service's own job list: pages, a status filter, refresh, and "delete all failed".

use leptos::prelude::*;
use leptos::task::spawn_local;
use sora_client::{JobStatus, ListJobsQuery, VideoGenerationJobList};

use super::problem::ProblemView;
use crate::format::{self, Problem, describe};
use crate::state::Studio;

const PAGE_SIZE: u32 = 10;
/// How long after a change on this device the list is reloaded.
const REFRESH_DELAY_MS: u64 = 3_000;

/// Which page to show.
#[derive(Clone, PartialEq)]
enum Cursor {
    Newest,
    After(String),
    Before(String),
}

#[component]
pub fn ServerJobs() -> impl IntoView {
    let studio = expect_context::<Studio>();
    let filter = RwSignal::new(String::new());
    let cursor = RwSignal::new(Cursor::Newest);
    let page = RwSignal::new(None::<VideoGenerationJobList>);
    let problem = RwSignal::new(None::<Problem>);
    let loading = RwSignal::new(false);
    let note = RwSignal::new(None::<String>);

    let query = move || {
        let statuses = match filter.get_untracked().as_str() {
            "" => Vec::new(),
            wire => vec![JobStatus::from_wire(wire)],
        };
        let (before, after) = match cursor.get_untracked() {
            Cursor::Newest => (None, None),
            Cursor::After(id) => (None, Some(id)),
            Cursor::Before(id) => (Some(id), None),
        };
        ListJobsQuery { limit: PAGE_SIZE, before, after, statuses }
    };
    let load = move || {
        loading.set(true);
        let query = query();
        spawn_local(async move {
            let result = match studio.client() {
                Ok(client) => client.list_jobs(&query).await.map_err(|e| describe(&e)),
                Err(p) => Err(p),
            };
            match result {
                Ok(list) => {
                    page.try_set(Some(list));
                    problem.try_set(None);
                }
                Err(p) => {
                    problem.try_set(Some(p));
                }
            }
            loading.try_set(false);
        });
    };
    // Load now, and again a little after jobs on this device are added, end or go; changes close
    // together are coalesced into one request, to spare the requests-per-minute budget for polling.
    load();
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
                load();
            },
            std::time::Duration::from_millis(REFRESH_DELAY_MS),
        );
    });

    let delete_one = move |id: String| {
        spawn_local(async move {
            let result = match studio.client() {
                Ok(client) => client.delete_job(&id).await.map_err(|e| describe(&e)),
                Err(p) => Err(p),
            };
            match result {
                Ok(()) => load(),
                Err(p) => {
                    problem.try_set(Some(p));
                }
            }
        });
    };
    let delete_failed = move |_| {
        note.set(Some("Deleting failed jobs…".into()));
        spawn_local(async move {
            let client = match studio.client() {
                Ok(client) => client,
                Err(p) => return problem.set(Some(p)),
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
                        problem.try_set(Some(describe(&e)));
                        break;
                    }
                }
            }
            let mut deleted = 0;
            for id in &ids {
                match client.delete_job(id).await {
                    Ok(()) | Err(sora_client::Error::NotFound { .. }) => deleted += 1,
                    Err(e) => {
                        problem.try_set(Some(describe(&e)));
                        break;
                    }
                }
            }
            note.try_set(Some(format!("Deleted {deleted} failed job{}.", if deleted == 1 { "" } else { "s" })));
            cursor.try_set(Cursor::Newest);
            load();
        });
    };

    let rows = move || {
        page.with(|p| {
            p.as_ref().map(|p| p.data.clone()).unwrap_or_default().into_iter().map(|job| {
                let id = job.id.clone();
                let label = format!("Delete job {}", job.id);
                view! {
                    <tr>
                        <td><span class=format!("chip {}", job.status.as_str())>{format::status_label(&job.status)}</span></td>
                        <td class="prompt-cell">{job.prompt.clone()}</td>
                        <td class="num">{format!("{}×{} · {} s", job.width, job.height, job.n_seconds)}</td>
                        <td class="id"><code>{job.id.clone()}</code></td>
                        <td><button type="button" class="small danger" aria-label=label on:click=move |_| delete_one(id.clone())>"Delete"</button></td>
                    </tr>
                }
            }).collect_view()
        })
    };
    let first_id = move || {
        page.with(|p| p.as_ref().and_then(|p| p.first_id.clone().or_else(|| p.data.first().map(|j| j.id.clone()))))
    };
    let last_id = move || {
        page.with(|p| p.as_ref().and_then(|p| p.last_id.clone().or_else(|| p.data.last().map(|j| j.id.clone()))))
    };
    let has_more = move || page.with(|p| p.as_ref().is_some_and(|p| p.has_more));

    view! {
        <section class="panel" aria-labelledby="server-title">
            <h2 id="server-title">"Jobs on the service"</h2>
            <div class="toolbar">
                <label for="status-filter">"Status"</label>
                <select id="status-filter" on:change=move |ev| {
                    filter.set(event_target_value(&ev));
                    cursor.set(Cursor::Newest);
                    load();
                }>
                    <option value="">"All"</option>
                    {JobStatus::KNOWN.iter().map(|s| view! { <option value=s.as_str().to_owned()>{format::status_label(s)}</option> }).collect_view()}
                </select>
                <button type="button" data-testid="refresh" on:click=move |_| load() prop:disabled=loading>"Refresh"</button>
                <button type="button" class="danger" on:click=delete_failed>"Delete all failed"</button>
            </div>
            <p class="hint" role="status">{move || note.get()}</p>
            {move || problem.get().map(|problem| view! { <ProblemView problem/> })}
            <div class="table-wrap">
                <table data-testid="server-jobs">
                    <caption class="visually-hidden">"Jobs the service has, newest first"</caption>
                    <thead><tr><th scope="col">"Status"</th><th scope="col">"Prompt"</th><th scope="col">"Size"</th><th scope="col">"Job id"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="pager">
                <button type="button" prop:disabled=move || cursor.get() == Cursor::Newest on:click=move |_| {
                    if let Some(id) = first_id() {
                        cursor.set(Cursor::Before(id));
                        load();
                    }
                }>"← Newer"</button>
                <button type="button" prop:disabled=move || !has_more() on:click=move |_| {
                    if let Some(id) = last_id() {
                        cursor.set(Cursor::After(id));
                        load();
                    }
                }>"Older →"</button>
            </div>
        </section>
    }
}
