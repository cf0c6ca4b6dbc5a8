//! The studio's one page: connection, create form, this session's jobs, and the service's job list.

use gloo_file::ObjectUrl;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sora_client::{CreateVideoRequest, ListJobsQuery, VideoGenerationJob, VideoSize};

use crate::api;

/// One job created in this session, with its videos once they are downloaded.
#[derive(Clone)]
struct SessionJob {
    job: RwSignal<VideoGenerationJob>,
    videos: RwSignal<Vec<ObjectUrl>, LocalStorage>,
    error: RwSignal<Option<String>>,
}

#[component]
pub fn App() -> impl IntoView {
    let endpoint = RwSignal::new(api::default_endpoint());
    let api_key = RwSignal::new(api::EMULATOR_KEY.to_owned());
    let session_jobs = RwSignal::new_local(Vec::<SessionJob>::new());
    let server_jobs = RwSignal::new(Vec::<VideoGenerationJob>::new());
    let list_error = RwSignal::new(None::<String>);

    let refresh = move || {
        spawn_local(async move {
            let result = match api::client(&endpoint.get_untracked(), &api_key.get_untracked()) {
                Ok(client) => client.list_jobs(&ListJobsQuery { limit: 20, ..Default::default() }).await,
                Err(e) => Err(e),
            };
            match result {
                Ok(page) => {
                    server_jobs.set(page.data);
                    list_error.set(None);
                }
                Err(e) => list_error.set(Some(e.to_string())),
            }
        });
    };
    refresh();

    let on_created = move |job: VideoGenerationJob| {
        let entry = SessionJob {
            job: RwSignal::new(job),
            videos: RwSignal::new_local(Vec::new()),
            error: RwSignal::new(None),
        };
        session_jobs.update(|jobs| jobs.insert(0, entry.clone()));
        spawn_local(watch(entry, endpoint.get_untracked(), api_key.get_untracked(), refresh));
        refresh();
    };

    view! {
        <header><h1>"Sora Studio"</h1></header>
        <main>
            <section aria-labelledby="connection-title">
                <h2 id="connection-title">"Connection"</h2>
                <label>"Endpoint " <input type="url" prop:value=endpoint on:input=move |ev| endpoint.set(event_target_value(&ev))/></label>
                <label>"API key " <input type="password" autocomplete="off" prop:value=api_key on:input=move |ev| api_key.set(event_target_value(&ev))/></label>
            </section>
            <CreateForm endpoint api_key on_created/>
            <section aria-labelledby="session-title">
                <h2 id="session-title">"Your jobs"</h2>
                <ul class="jobs" data-testid="session-jobs">
                    <For each=move || session_jobs.get() key=|entry| entry.job.get_untracked().id let:entry>
                        <JobCard entry/>
                    </For>
                </ul>
            </section>
            <section aria-labelledby="server-title">
                <h2 id="server-title">"Jobs on the service"</h2>
                <button on:click=move |_| refresh()>"Refresh"</button>
                <p class="error" role="alert">{move || list_error.get()}</p>
                <table data-testid="server-jobs">
                    <thead><tr><th>"Job"</th><th>"Status"</th><th>"Size"</th><th>"Prompt"</th></tr></thead>
                    <tbody>
                        <For each=move || server_jobs.get() key=|job| (job.id.clone(), job.status.clone()) let:job>
                            <tr>
                                <td>{job.id.clone()}</td>
                                <td>{job.status.to_string()}</td>
                                <td>{format!("{}x{} · {} s", job.width, job.height, job.n_seconds)}</td>
                                <td>{job.prompt.clone()}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </section>
        </main>
    }
}

/// Poll a job until it ends, then download its videos.
async fn watch(entry: SessionJob, endpoint: String, api_key: String, on_change: impl Fn() + 'static) {
    let client = match api::client(&endpoint, &api_key) {
        Ok(client) => client,
        Err(e) => return entry.error.set(Some(e.to_string())),
    };
    let id = entry.job.get_untracked().id;
    loop {
        api::sleep(1000).await;
        match client.get_job(&id).await {
            Ok(job) => {
                let changed = job.status != entry.job.get_untracked().status;
                let done = job.status.is_terminal();
                entry.job.set(job);
                if changed {
                    on_change();
                }
                if done {
                    break;
                }
            }
            Err(e) => entry.error.set(Some(e.to_string())),
        }
    }
    let job = entry.job.get_untracked();
    if let Some(reason) = &job.failure_reason {
        entry.error.set(Some(format!("The job failed: {reason}")));
    }
    for generation in &job.generations {
        match api::video_url(&client, &generation.id).await {
            Ok(url) => entry.videos.update(|v| v.push(url)),
            Err(e) => entry.error.set(Some(e.to_string())),
        }
    }
}

#[component]
fn JobCard(entry: SessionJob) -> impl IntoView {
    let job = entry.job;
    view! {
        <li class="job">
            <p>
                <span class="status" data-testid="status">{move || job.get().status.to_string()}</span>
                " " {move || format!("{}x{} · {} s", job.get().width, job.get().height, job.get().n_seconds)}
            </p>
            <p class="prompt">{move || job.get().prompt}</p>
            <p class="error" role="alert">{move || entry.error.get()}</p>
            <div class="videos">
                {move || entry.videos.with(|videos| videos.iter().map(|url| {
                    let src = url.to_string();
                    view! { <video controls muted playsinline src=src></video> }
                }).collect_view())}
            </div>
        </li>
    }
}

#[component]
fn CreateForm(
    endpoint: RwSignal<String>,
    api_key: RwSignal<String>,
    on_created: impl Fn(VideoGenerationJob) + Copy + 'static,
) -> impl IntoView {
    let prompt = RwSignal::new(String::from("A paper boat sailing down a rainy street at dusk"));
    let size = RwSignal::new(VideoSize::Landscape480);
    let seconds = RwSignal::new(5u32);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut request = CreateVideoRequest::new("sora", prompt.get_untracked(), size.get_untracked());
        request.n_seconds = seconds.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let result = match api::client(&endpoint.get_untracked(), &api_key.get_untracked()) {
                Ok(client) => client.create_job(&request).await,
                Err(e) => Err(e),
            };
            busy.set(false);
            match result {
                Ok(job) => {
                    error.set(None);
                    on_created(job);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };

    view! {
        <form on:submit=submit aria-labelledby="create-title">
            <h2 id="create-title">"New video"</h2>
            <label>"Prompt "
                <textarea maxlength="4000" prop:value=prompt on:input=move |ev| prompt.set(event_target_value(&ev))></textarea>
            </label>
            <label>"Size "
                <select on:change=move |ev| {
                    let index: usize = event_target_value(&ev).parse().unwrap_or(0);
                    size.set(VideoSize::ALL.get(index).copied().unwrap_or(VideoSize::Landscape480));
                }>
                    {VideoSize::ALL.iter().enumerate().map(|(i, s)| view! {
                        <option value=i.to_string() selected=*s == VideoSize::Landscape480>{s.to_string()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>"Seconds "
                <input type="number" min="1" max="20" prop:value=move || seconds.get().to_string()
                    on:input=move |ev| seconds.set(event_target_value(&ev).parse().unwrap_or(5))/>
            </label>
            <button type="submit" prop:disabled=busy>"Create"</button>
            <p class="error" role="alert">{move || error.get()}</p>
        </form>
    }
}
