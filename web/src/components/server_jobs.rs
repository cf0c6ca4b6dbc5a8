//! The service's own job list: pages, a status filter, refresh, and "delete all failed".

use leptos::prelude::*;
use sora_client::JobStatus;

use super::problem::ProblemView;
use crate::format;
use crate::state::{Cursor, ServiceList, Studio};

#[component]
pub fn ServerJobs() -> impl IntoView {
    let list = ServiceList::new(expect_context::<Studio>());

    let rows = move || {
        list.jobs().into_iter().map(|job| {
            let id = job.id.clone();
            let label = format!("Delete job {}", job.id);
            let status = {
                let job = job.clone();
                Memo::new(move |_| list.status_of(&job))
            };
            view! {
                <tr>
                    <td><span class=move || status.with(|s| format!("chip {}", s.as_str()))>{move || status.with(format::status_label)}</span></td>
                    <td class="prompt-cell">{job.prompt.clone()}</td>
                    <td class="num">{format!("{}×{} · {} s", job.width, job.height, job.n_seconds)}</td>
                    <td class="id"><code>{job.id.clone()}</code></td>
                    <td><button type="button" class="small danger" aria-label=label on:click=move |_| list.delete(id.clone())>"Delete"</button></td>
                </tr>
            }
        }).collect_view()
    };

    view! {
        <section class="panel" aria-labelledby="server-title">
            <h2 id="server-title">"Jobs on the service"</h2>
            <div class="toolbar">
                <label for="status-filter">"Status"</label>
                <select id="status-filter" on:change=move |ev| list.set_filter(event_target_value(&ev))>
                    <option value="">"All"</option>
                    {JobStatus::KNOWN.iter().map(|s| view! { <option value=s.as_str().to_owned()>{format::status_label(s)}</option> }).collect_view()}
                </select>
                <button type="button" data-testid="refresh" on:click=move |_| list.load() prop:disabled=list.loading>"Refresh"</button>
                <button type="button" class="danger" on:click=move |_| list.delete_failed()>"Delete all failed"</button>
            </div>
            <p class="hint" role="status">{move || list.note.get()}</p>
            {move || list.problem.get().map(|problem| view! { <ProblemView problem/> })}
            <div class="table-wrap">
                <table data-testid="server-jobs">
                    <caption class="visually-hidden">"Jobs the service has, newest first"</caption>
                    <thead><tr><th scope="col">"Status"</th><th scope="col">"Prompt"</th><th scope="col">"Size"</th><th scope="col">"Job id"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="pager">
                <button type="button" prop:disabled=move || list.cursor.get() == Cursor::Newest on:click=move |_| list.turn(false)>"← Newer"</button>
                <button type="button" prop:disabled=move || !list.has_more() on:click=move |_| list.turn(true)>"Older →"</button>
            </div>
        </section>
    }
}
