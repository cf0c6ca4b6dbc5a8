//! The create form: prompt with a live count, size, duration, variants; checked with the core's rules.

use leptos::prelude::*;
use sora_client::{CreateVideoRequest, CreateVideoWithMediaRequest, Error, MAX_PROMPT_CHARS, VideoSize};

use super::focus;
use super::image_input::{ImageFields, ImageInput};

use crate::format;
use crate::state::{Studio, Submission};

#[component]
pub fn CreateForm() -> impl IntoView {
    let studio = expect_context::<Studio>();
    let prompt = studio.prompt;
    let size = RwSignal::new(VideoSize::Landscape480);
    let seconds = RwSignal::new(String::from("5"));
    let variants = RwSignal::new(1u32);
    // Messages show once a field was touched or a submit was tried, not while typing the first word.
    let tried = RwSignal::new(false);
    let form_problem = RwSignal::new(None::<String>);
    let image = ImageFields::new();

    let seconds_value = move || seconds.with(|s| s.trim().parse::<u32>().unwrap_or(0));
    let prompt_error = Memo::new(move |_| prompt.with(|p| format::prompt_error(p)));
    let seconds_error = Memo::new(move |_| format::seconds_error(seconds_value()));
    let variants_error = Memo::new(move |_| format::variants_error(size.get(), variants.get()));

    // Fewer variants are allowed at larger sizes: clamp when the size changes.
    Effect::new(move || {
        let max = size.get().max_variants();
        if variants.get_untracked() > max {
            variants.set(max);
        }
    });

    // A message about the last submit goes away as soon as any field changes.
    Effect::new(move |first: Option<()>| {
        prompt.track();
        size.track();
        seconds.track();
        variants.track();
        image.frame.track();
        image.picked.track();
        for c in image.crop {
            c.track();
        }
        if first.is_some() {
            form_problem.set(None);
            image.error.set(None);
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        let mut request = CreateVideoRequest::new(
            studio.connection.get_untracked().deployment,
            prompt.get_untracked(),
            size.get_untracked(),
        );
        request.n_seconds = seconds_value();
        request.n_variants = variants.get_untracked();
        let (submission, checked) = match image.media_item() {
            Ok(Some(item)) => {
                let media = CreateVideoWithMediaRequest { request, media: vec![item] };
                let checked = media.validate();
                (Submission::Media(media), checked)
            }
            Ok(None) => {
                let checked = request.validate();
                (Submission::Text(request), checked)
            }
            Err(error) => (Submission::Text(request), Err(error)),
        };
        image.error.set(None);
        match checked {
            Ok(()) => {
                form_problem.set(None);
                tried.set(false);
                studio.submit(submission);
            }
            Err(Error::Validation { field, message }) => {
                form_problem.set(Some(format!("Check {}: {message}", format::field_name(field))));
                let id = match field {
                    "prompt" => "prompt",
                    "n_seconds" => "seconds",
                    "n_variants" => "variants",
                    "frame_index" => "frame",
                    "crop_bounds" => "crop-left",
                    "media" | "file_name" => "image",
                    _ => "deployment",
                };
                if matches!(field, "frame_index" | "crop_bounds" | "media" | "file_name") {
                    image.error.set(Some(message));
                }
                focus(id);
            }
            Err(other) => form_problem.set(Some(format::describe(&other).detail)),
        }
    };

    let count_class =
        move || if format::prompt_chars(&prompt.read()) > MAX_PROMPT_CHARS { "count over" } else { "count" };

    view! {
        <form class="panel create" on:submit=submit aria-labelledby="create-title" novalidate>
            <h2 id="create-title" tabindex="-1">"New video"</h2>
            <div class="field">
                <label for="prompt">"Prompt"</label>
                <textarea id="prompt" rows="5" aria-describedby="prompt-count prompt-error"
                    aria-invalid=move || (tried.get() && prompt_error.get().is_some()).to_string()
                    prop:value=prompt on:input=move |ev| prompt.set(event_target_value(&ev))></textarea>
                <p id="prompt-count" class=count_class data-testid="prompt-count" aria-live="polite">{move || format::prompt_counter(&prompt.read())}</p>
                <p id="prompt-error" class="field-error" data-testid="prompt-error">
                    {move || prompt_error.get().filter(|_| tried.get() || format::prompt_chars(&prompt.read()) > MAX_PROMPT_CHARS)}
                </p>
            </div>
            <div class="field">
                <label for="size">"Size"</label>
                <select id="size" on:change=move |ev| {
                    let index: usize = event_target_value(&ev).parse().unwrap_or(1);
                    size.set(VideoSize::ALL.get(index).copied().unwrap_or(VideoSize::Landscape480));
                }>
                    {VideoSize::ALL.iter().enumerate().map(|(i, s)| {
                        let s = *s;
                        view! { <option value=i.to_string() selected=move || size.get() == s>{format::size_label(s)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="row">
                <div class="field">
                    <label for="seconds">"Duration (seconds)"</label>
                    <input id="seconds" type="number" min="1" max="20" step="1" inputmode="numeric"
                        aria-describedby="seconds-error"
                        aria-invalid=move || seconds_error.get().is_some().to_string()
                        prop:value=seconds on:input=move |ev| seconds.set(event_target_value(&ev))/>
                    <p id="seconds-error" class="field-error" data-testid="seconds-error">{move || seconds_error.get()}</p>
                </div>
                <div class="field">
                    <label for="variants">"Variants"</label>
                    <select id="variants" aria-describedby="variants-hint variants-error" on:change=move |ev| {
                        variants.set(event_target_value(&ev).parse().unwrap_or(1));
                    }>
                        {move || {
                            let max = size.get().max_variants();
                            (1..=max).map(|n| view! { <option value=n.to_string() selected=move || variants.get() == n>{n.to_string()}</option> }).collect_view()
                        }}
                    </select>
                    <p id="variants-hint" class="hint">{move || format!("Up to {} at this size", size.get().max_variants())}</p>
                    <p id="variants-error" class="field-error">{move || variants_error.get()}</p>
                </div>
            </div>
            <ImageInput fields=image/>
            <button type="submit" class="primary" data-testid="create">"Create video"</button>
            <p class="field-error" role="alert" data-testid="form-problem">{move || form_problem.get()}</p>
        </form>
    }
}
