//! The local library: every saved video, playable offline, with export and clear.

use gloo_file::ObjectUrl;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::JsCast;

use super::erased::{KeyedList, Row, When};
use crate::format;
use crate::state::clock;
use crate::state::{SavedVideo, Studio, VideoMeta};

/// What the view needs of a [`SavedVideo`]: plain strings (the URLs stay owned, and alive, in the signal).
#[derive(Clone)]
struct ItemView {
    meta: VideoMeta,
    video: String,
    thumbnail: Option<String>,
    bytes: f64,
    depth: usize,
}

fn view_data(item: &SavedVideo) -> ItemView {
    ItemView {
        meta: item.meta.clone(),
        video: (*item.video).to_owned(),
        thumbnail: item.thumbnail.as_deref().map(str::to_owned),
        bytes: item.bytes,
        depth: item.depth,
    }
}

#[component]
pub fn Library() -> impl IntoView {
    let studio = expect_context::<Studio>();
    let items = RwSignal::new_local(Vec::<SavedVideo>::new());
    let usage = RwSignal::new(None::<(f64, f64)>);
    let open = RwSignal::new(false);
    on_cleanup(move || {
        items.try_update(Vec::clear);
    });

    Effect::new(move || {
        studio.library_version.track();
        spawn_local(async move {
            let Some(list) = studio.saved_videos().await else { return };
            items.try_set(list);
            usage.try_set(studio.storage_usage().await);
        });
    });

    let clear = move |_| spawn_local(async move { studio.clear_library().await });
    let export_all = move |_| {
        // One download per video: the browser may ask once to allow several downloads.
        items.with(|items| {
            for item in items {
                let name =
                    format::video_file_name(&item.meta.prompt, item.meta.width, item.meta.height, item.meta.variant);
                click_download(&item.video, &name);
            }
        });
    };
    let total = move || items.with(|i| i.iter().fold(0.0, |sum, i| sum + i.bytes));

    view! {
        <section class="panel" aria-labelledby="library-title">
            <h2 id="library-title">"Library on this device"</h2>
            <p class="hint" data-testid="library-summary">
                {move || {
                    let count = items.with(Vec::len);
                    let mut text = format!("{count} saved video{} ({}). ", if count == 1 { "" } else { "s" }, format::bytes(total()));
                    if let Some((used, quota)) = usage.get() {
                        text.push_str(&format!("This site uses {} of {} available.", format::bytes(used), format::bytes(quota)));
                    }
                    text
                }}
            </p>
            <div class="toolbar">
                <button type="button" aria-expanded=move || open.get().to_string() aria-controls="library-list" on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "Hide library" } else { "Show library" }}
                </button>
                <button type="button" on:click=export_all prop:disabled=move || items.with(Vec::is_empty)>"Export all"</button>
                <button type="button" class="danger" data-testid="clear-library" on:click=clear prop:disabled=move || items.with(Vec::is_empty)>"Clear library"</button>
            </div>
            <When when=Signal::derive(move || open.get())>
                <ul id="library-list" class="library" data-testid="library">
                    <KeyedList rows=Signal::derive(move || {
                        items.with(|items| {
                            items.iter().map(view_data).map(|item| Row::new(item.meta.generation_id.clone(), move || view! { <LibraryItem item=item.clone()/> }.into_any())).collect()
                        })
                    })/>
                </ul>
            </When>
        </section>
    }
}

#[component]
fn LibraryItem(item: ItemView) -> impl IntoView {
    let studio = expect_context::<Studio>();
    let meta = item.meta.clone();
    let name = format::video_file_name(&meta.prompt, meta.width, meta.height, meta.variant);
    let playing = RwSignal::new(false);
    let video = item.video.clone();
    let export_href = item.video.clone();
    let poster = item.thumbnail.clone();
    let id = meta.generation_id.clone();
    // A remix sits under the video it remixes.
    let indent = format!("calc({} * 1.5rem)", item.depth.min(4));
    // The library keeps no endpoint per video: the current connection's clock offset is the best guess.
    let expiry = move || {
        let now = studio.connection.with(|c| clock::service_now_ms(&c.endpoint, studio.now.get()));
        format::expiry(meta.expires_at, now).unwrap_or_default()
    };
    view! {
        <li class="library-item" style:margin-left=indent
            data-testid="library-item" data-depth=item.depth.to_string()>
            <When when=Signal::derive(move || playing.get()) fallback={
                let poster = poster.clone();
                move || match poster.clone() {
                    Some(src) => view! { <img class="thumb" src=src alt="Thumbnail"/> }.into_any(),
                    None => view! { <div class="thumb placeholder" aria-hidden="true"></div> }.into_any(),
                }
            }>
                <video class="thumb" controls playsinline src=video.clone() poster=poster.clone() data-testid="library-video"></video>
            </When>
            <div class="library-text">
                <p class="prompt">{item.meta.prompt.clone()}</p>
                {item.meta.remixed_from.clone().map(|parent| view! { <p class="meta" data-testid="library-remix-of">"Remix of " <code>{parent}</code></p> })}
                <p class="meta">{format!("{}×{} · {} s · variant {} · {}", item.meta.width, item.meta.height, item.meta.n_seconds, item.meta.variant, format::bytes(item.bytes))}</p>
                <p class="meta">{expiry}</p>
                <div class="actions">
                    <button type="button" on:click=move |_| playing.set(true) prop:disabled=playing>"Play"</button>
                    <a class="button" href=export_href download=name.clone()>"Export"</a>
                    <button type="button" class="danger" on:click=move |_| {
                        let id = id.clone();
                        spawn_local(async move { studio.remove_video(&id).await });
                    }>"Remove"</button>
                </div>
            </div>
        </li>
    }
}

/// Start a download of an object URL under a file name.
fn click_download(url: &ObjectUrl, name: &str) {
    let Some(anchor) =
        document().create_element("a").ok().and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    anchor.set_href(url);
    anchor.set_download(name);
    anchor.click();
}
