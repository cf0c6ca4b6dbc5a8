//! A finished job's videos: thumbnail first, then an in-page player fed from an authenticated
//! download (kept in the library), side by side for several variants, each with a download link.

use gloo_file::{Blob, ObjectUrl};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sora_client::{JobStatus, Orientation, Transport, VideoSize};

use crate::api;
use crate::format::{self, describe};
use crate::state::{Entry, Studio, VideoMeta};
use crate::storage;
use crate::tabs::TabMessage;

/// One variant on screen; its object URLs are revoked when it is dropped.
#[derive(Clone)]
struct Shown {
    meta: VideoMeta,
    thumbnail: Option<ObjectUrl>,
    video: Option<ObjectUrl>,
}

/// What the view needs of a [`Shown`]: plain strings (the URLs stay owned, and alive, in the signal).
#[derive(Clone)]
struct ShownView {
    meta: VideoMeta,
    thumbnail: Option<String>,
    video: Option<String>,
}

impl Shown {
    fn view_data(&self) -> ShownView {
        ShownView {
            meta: self.meta.clone(),
            thumbnail: self.thumbnail.as_deref().map(str::to_owned),
            video: self.video.as_deref().map(str::to_owned),
        }
    }
}

#[component]
pub fn Player(entry: Entry) -> impl IntoView {
    let studio = expect_context::<Studio>();
    // Local: object URLs are not Send. Dropped with the card, which revokes them.
    let shown = RwSignal::new_local(Vec::<Shown>::new());
    let controller = StoredValue::new_local(web_sys::AbortController::new().ok());
    let busy = StoredValue::new(false);
    on_cleanup(move || {
        controller.try_with_value(|c| {
            if let Some(c) = c {
                c.abort();
            }
        });
        shown.try_update(Vec::clear);
    });

    let state = Memo::new(move |_| {
        entry.record.with(|r| r.as_ref().map_or((false, false), |r| (r.job.status == JobStatus::Succeeded, r.saved)))
    });
    Effect::new(move || {
        let (succeeded, saved) = state.get();
        let leader = studio.tabs.leader.get();
        let complete = shown.with(|s| !s.is_empty() && s.iter().all(|v| v.video.is_some()));
        if !succeeded || complete || busy.get_value() {
            return;
        }
        let Some(signal) = controller.with_value(|c| c.as_ref().map(web_sys::AbortController::signal)) else { return };
        if saved {
            busy.set_value(true);
            spawn_local(async move {
                load_saved(studio, entry, shown).await;
                busy.try_set_value(false);
            });
        } else if leader {
            busy.set_value(true);
            spawn_local(async move {
                download(studio, entry, shown, signal).await;
                busy.try_set_value(false);
            });
        }
    });

    view! {
        <div class="videos" class:several=move || shown.with(|s| s.len() > 1) data-testid="videos">
            <For each=move || shown.with(|s| s.iter().map(Shown::view_data).collect::<Vec<_>>()) key=|v| (v.meta.generation_id.clone(), v.thumbnail.is_some(), v.video.is_some()) let:item>
                <Variant item/>
            </For>
        </div>
    }
}

#[component]
fn Variant(item: ShownView) -> impl IntoView {
    let meta = item.meta;
    let frame = match VideoSize::from_dimensions(meta.width, meta.height).map(VideoSize::orientation) {
        Some(Orientation::Portrait) => "frame portrait",
        Some(Orientation::Square) => "frame square",
        _ => "frame landscape",
    };
    let label = format!("Variant {} of \u{201c}{}\u{201d}", meta.variant, meta.prompt);
    let file_name = format::video_file_name(&meta.prompt, meta.width, meta.height, meta.variant);
    let thumb = item.thumbnail.clone();
    let body = match item.video.clone() {
        Some(src) => view! {
            <video class=frame controls playsinline preload="metadata" src=src.clone() poster=thumb aria-label=label data-testid="video"></video>
            <figcaption>
                {format!("Variant {} · {}×{} · {} s ", meta.variant, meta.width, meta.height, meta.n_seconds)}
                <a href=src download=file_name.clone() data-testid="download">"Download " <span class="file">{file_name.clone()}</span></a>
            </figcaption>
        }
        .into_any(),
        None => view! {
            {match thumb {
                Some(src) => view! { <img class=frame src=src alt=format!("Thumbnail of variant {}", meta.variant) data-testid="thumbnail"/> }.into_any(),
                None => view! { <div class=format!("{frame} placeholder") aria-hidden="true"></div> }.into_any(),
            }}
            <figcaption>"Downloading the video…"</figcaption>
        }
        .into_any(),
    };
    view! { <figure class="variant">{body}</figure> }
}

/// Show the videos saved in the library for this job.
async fn load_saved(studio: Studio, entry: Entry, shown: RwSignal<Vec<Shown>, LocalStorage>) {
    let Some(job_id) = entry.job_id() else { return };
    let Some(mut saved) = studio.store_result(storage::videos_of_job::<VideoMeta>(&job_id).await) else { return };
    saved.sort_by_key(|v| v.meta.variant);
    let items = saved
        .into_iter()
        .map(|v| Shown {
            meta: v.meta,
            thumbnail: v.thumbnail.map(ObjectUrl::from),
            video: Some(ObjectUrl::from(v.video)),
        })
        .collect();
    shown.try_set(items);
}

/// Download one video; a download that breaks off more often than the client retries by itself
/// (a flaky connection, a proxy) is tried again here, with the wait shown on the card. `None` when
/// aborted (the card is gone) or when it cannot work (the problem says why).
async fn download_video(client: &api::StudioClient, entry: Entry, generation_id: &str) -> Option<Blob> {
    let mut pause_ms = 2_000;
    loop {
        match api::video_blob(client, generation_id).await {
            Ok(video) => {
                entry.problem.try_set(None);
                return Some(video);
            }
            Err(sora_client::Error::Aborted) => return None,
            Err(error) if api::worth_retrying_read(&error) => {
                let mut problem = describe(&error);
                problem.detail.push_str(&format!(" Downloading again in {}.", format::duration(pause_ms as f64)));
                entry.problem.try_set(Some(problem));
                client.transport().sleep(pause_ms).await.ok()?;
                pause_ms = (pause_ms * 2).min(60_000);
            }
            Err(error) => {
                entry.problem.try_set(Some(describe(&error)));
                return None;
            }
        }
    }
}

/// Download each variant (thumbnail, then video), show it, and save it in the library.
async fn download(
    studio: Studio,
    entry: Entry,
    shown: RwSignal<Vec<Shown>, LocalStorage>,
    signal: web_sys::AbortSignal,
) {
    let Some(record) = entry.record.get_untracked() else { return };
    let client = match studio.client_with_signal(&signal) {
        Ok(client) => client,
        Err(problem) => return entry.problem.set(Some(problem)),
    };
    let job = &record.job;
    let mut all_saved = true;
    for (index, generation) in job.generations.iter().enumerate() {
        let meta = VideoMeta {
            generation_id: generation.id.clone(),
            job_id: job.id.clone(),
            prompt: job.prompt.clone(),
            width: if generation.width > 0 { generation.width } else { job.width },
            height: if generation.height > 0 { generation.height } else { job.height },
            n_seconds: job.n_seconds,
            variant: index + 1,
            saved_at_ms: js_sys::Date::now(),
            expires_at: job.expires_at,
        };
        let set = move |edit: &dyn Fn(&mut Shown)| {
            shown.try_update(|s| {
                if let Some(item) = s.get_mut(index) {
                    edit(item);
                }
            });
        };
        if shown.with_untracked(|s| s.len() <= index) {
            shown.try_update(|s| s.push(Shown { meta: meta.clone(), thumbnail: None, video: None }));
        }
        // A missing thumbnail only costs the poster image: the video still plays.
        let thumbnail: Option<Blob> = api::thumbnail_blob(&client, &generation.id).await.ok();
        if let Some(t) = &thumbnail {
            let url = ObjectUrl::from(t.clone());
            set(&|item| item.thumbnail = Some(url.clone()));
        }
        let Some(video) = download_video(&client, entry, &generation.id).await else { return };
        let url = ObjectUrl::from(video.clone());
        set(&|item| item.video = Some(url.clone()));
        let web_video: &web_sys::Blob = video.as_ref();
        let saved =
            storage::put_video(&generation.id, &job.id, &meta, web_video, thumbnail.as_ref().map(AsRef::as_ref)).await;
        all_saved &= studio.store_result(saved).is_some();
    }
    if all_saved {
        let mut updated = None;
        entry.record.try_update(|r| {
            if let Some(r) = r {
                r.saved = true;
                updated = Some(r.clone());
            }
        });
        if let Some(record) = updated {
            studio.save(&record).await;
            studio.tabs.send(&TabMessage::Saved { job_id: record.job.id });
            studio.library_version.update(|v| *v += 1);
        }
    }
}
