//! A finished job's videos: thumbnail first, then an in-page player fed from an authenticated
//! download (kept in the library), side by side for several variants, each with a download link.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sora_client::{Orientation, VideoSize};

use super::erased::{KeyedList, Row};
use crate::format;
use crate::state::{Entry, ShownVideo, Studio, VideoMeta};

/// What the view needs of a [`ShownVideo`]: plain strings (the URLs stay owned, and alive, in the signal).
#[derive(Clone)]
struct ShownView {
    meta: VideoMeta,
    thumbnail: Option<String>,
    video: Option<String>,
    spritesheet: Option<String>,
}

fn view_data(shown: &ShownVideo) -> ShownView {
    ShownView {
        meta: shown.meta.clone(),
        thumbnail: shown.thumbnail.as_deref().map(str::to_owned),
        video: shown.video.as_deref().map(str::to_owned),
        spritesheet: shown.spritesheet.as_deref().map(str::to_owned),
    }
}

#[component]
pub fn Player(entry: Entry) -> impl IntoView {
    let studio = expect_context::<Studio>();
    // Local: object URLs are not Send. Dropped with the card, which revokes them.
    let shown = RwSignal::new_local(Vec::<ShownVideo>::new());
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
        entry.record.with(|r| r.as_ref().map_or((false, false), |r| (r.job.status.is_success(), r.saved)))
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
                studio.load_saved(entry, shown).await;
                busy.try_set_value(false);
            });
        } else if leader {
            busy.set_value(true);
            spawn_local(async move {
                studio.download(entry, shown, signal).await;
                busy.try_set_value(false);
            });
        }
    });

    view! {
        <div class="videos" class:several=move || shown.with(|s| s.len() > 1) data-testid="videos">
            <KeyedList rows=Signal::derive(move || {
                shown.with(|shown| {
                    shown.iter().map(view_data).map(|item| {
                        // A variant is drawn again when its thumbnail or video arrives.
                        let key = format!("{} {} {} {}", item.meta.generation_id, item.thumbnail.is_some(), item.video.is_some(), item.spritesheet.is_some());
                        Row::new(key, move || view! { <Variant item=item.clone()/> }.into_any())
                    }).collect()
                })
            })/>
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
    let scrub = item.spritesheet.clone().map(|sheet| view! { <Scrub sheet width=meta.width height=meta.height/> });
    let body = match item.video.clone() {
        Some(src) => view! {
            <video class=frame controls playsinline preload="metadata" src=src.clone() poster=thumb aria-label=label data-testid="video"></video>
            {scrub}
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

/// A strip that shows the frame under the pointer, from the server's spritesheet (a grid of frames).
#[component]
fn Scrub(sheet: String, width: u32, height: u32) -> impl IntoView {
    // Columns and rows, once the sheet has loaded and its grid is known.
    let grid = RwSignal::new(None::<(u32, u32)>);
    let tile = RwSignal::new(0u32);
    let on_load = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        if let Some(img) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlImageElement>().ok()) {
            grid.set(format::sheet_grid((img.natural_width(), img.natural_height()), (width, height)));
        }
    };
    let on_move = move |ev: leptos::ev::MouseEvent| {
        use leptos::wasm_bindgen::JsCast;
        let (Some((columns, rows)), Some(el)) =
            (grid.get_untracked(), ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()))
        else {
            return;
        };
        let width = el.client_width().max(1) as f64;
        let tiles = columns * rows;
        tile.set(((f64::from(ev.offset_x()) / width * f64::from(tiles)) as u32).min(tiles - 1));
    };
    let position = move || {
        let (columns, rows) = grid.get()?;
        // Integers only, in a CSS calc: formatting a float would pull std's float printing into the wasm.
        let at = |i: u32, n: u32| format!("calc(100% * {i} / {})", n.saturating_sub(1).max(1));
        let index = tile.get();
        Some(format!("{} {}", at(index % columns, columns), at(index / columns, rows)))
    };
    let size = move || grid.get().map(|(c, r)| format!("{}% {}%", c * 100, r * 100));
    view! {
        <img src=sheet.clone() alt="" hidden on:load=on_load/>
        <div class="scrub" data-testid="scrub" hidden=move || grid.with(Option::is_none)
            role="img" aria-label="Frames of the video: move the pointer across to preview them"
            data-tile=move || tile.get().to_string()
            style:background-image=format!("url(\"{sheet}\")")
            style:background-size=size style:background-position=position
            style:aspect-ratio=format!("{width} / {height}")
            on:mousemove=on_move></div>
    }
}
