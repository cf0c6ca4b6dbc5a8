//! The create form: prompt with a live count, size, duration, variants; checked with the core's rules.

use leptos::prelude::*;
use sora_client::videos::{CreateVideo, ModelRules, one_of};
use sora_client::{
    CreateVideoRequest, CreateVideoWithMediaRequest, Error, MAX_PROMPT_CHARS, VideoSize, dimensions_name,
    parse_dimensions,
};

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
    let videos = Memo::new(move |_| studio.connection.with(|c| c.protocol.is_videos()));
    // The model's row of the core's table (`None`: a model it does not know, or the jobs API).
    let rules = Memo::new(move |_| studio.connection.with(|c| ModelRules::of(c.deployment.trim())));
    let remixing = move || studio.remix_of.with(Option::is_some);
    // The Videos API's size as `WIDTHxHEIGHT`; empty leaves the server's default.
    let video_size = RwSignal::new(String::new());

    let seconds_value = move || seconds.with(|s| s.trim().parse::<u32>().unwrap_or(0));
    let prompt_error = Memo::new(move |_| prompt.with(|p| format::prompt_error(p)));
    let seconds_error = Memo::new(move |_| (!videos.get()).then(|| format::seconds_error(seconds_value())).flatten());
    // A table model: its first size and duration, where the current ones are not its own.
    Effect::new(move || {
        if let Some(rules) = rules.get().filter(|_| videos.get()) {
            let size_ok = video_size.with_untracked(|s| parse_dimensions(s).is_some_and(|d| rules.sizes.contains(&d)));
            if !size_ok {
                video_size.set(dimensions_name(rules.sizes[0]));
            }
            let seconds_ok = seconds.with_untracked(|s| s.trim().parse().is_ok_and(|n| rules.seconds.contains(&n)));
            if !seconds_ok {
                seconds.set(rules.seconds[0].to_string());
            }
        }
    });
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

    // The jobs API's request, with its image when one was picked, and the core's verdict on it.
    let job_submission = move || {
        let mut request = CreateVideoRequest::new(
            studio.connection.get_untracked().deployment,
            prompt.get_untracked(),
            size.get_untracked(),
        );
        request.n_seconds = seconds_value();
        request.n_variants = variants.get_untracked();
        match image.media_item() {
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
        }
    };
    // The Videos API's request (or a remix), and the core's verdict on it.
    let video_submission = move || {
        let model = studio.connection.get_untracked().deployment.trim().to_owned();
        let mut video = CreateVideo::new(model, prompt.get_untracked());
        if let Some((video_id, _)) = studio.remix_of.get_untracked() {
            let checked = video.validate();
            let CreateVideo { model, prompt, .. } = video;
            return (Submission::Remix { video_id, model, prompt }, checked);
        }
        let size_text = video_size.get_untracked();
        let size_text = size_text.trim();
        video.size = parse_dimensions(size_text);
        video.seconds = seconds.with_untracked(|s| s.trim().parse().ok());
        video.input_reference = image.reference();
        let checked = if video.size.is_none() && !size_text.is_empty() {
            let message = format!("must be WIDTHxHEIGHT, e.g. 1280x720, not \"{size_text}\"");
            Err(Error::Validation { field: "size", message })
        } else {
            video.validate()
        };
        (Submission::Video(video), checked)
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        let (submission, checked) = if videos.get_untracked() { video_submission() } else { job_submission() };
        image.error.set(None);
        match checked {
            Ok(()) => {
                form_problem.set(None);
                tried.set(false);
                studio.remix_of.set(None);
                studio.submit(submission);
            }
            Err(Error::Validation { field, message }) => {
                form_problem.set(Some(format!("Check {}: {message}", format::field_name(field))));
                let id = match field {
                    "prompt" => "prompt",
                    "n_seconds" | "seconds" => "seconds",
                    "n_variants" => "variants",
                    "size" => "size",
                    "frame_index" => "frame",
                    "crop_bounds" => "crop-left",
                    "media" | "file_name" | "input_reference" => "image",
                    _ => "deployment",
                };
                if matches!(field, "frame_index" | "crop_bounds" | "media" | "file_name" | "input_reference") {
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
            {move || studio.remix_of.get().map(|(id, source)| view! {
                <p class="remix" data-testid="remix-of">
                    "Remix of \u{201c}" {source} "\u{201d} (" <code>{id}</code> "): the prompt says what to change. "
                    <button type="button" on:click=move |_| studio.remix_of.set(None)>"Cancel remix"</button>
                </p>
            })}
            <div class="field" hidden=remixing>
                <label for="size">"Size"</label>
                {move || match (videos.get(), rules.get()) {
                    (false, _) => view! {
                        <select id="size" on:change=move |ev| {
                            let index: usize = event_target_value(&ev).parse().unwrap_or(1);
                            size.set(VideoSize::ALL.get(index).copied().unwrap_or(VideoSize::Landscape480));
                        }>
                            {VideoSize::ALL.iter().enumerate().map(|(i, s)| {
                                let s = *s;
                                view! { <option value=i.to_string() selected=move || size.get() == s>{format::size_label(s)}</option> }
                            }).collect_view()}
                        </select>
                    }.into_any(),
                    (true, Some(rules)) => view! {
                        <select id="size" prop:value=video_size on:change=move |ev| video_size.set(event_target_value(&ev))>
                            {rules.sizes.iter().map(|d| {
                                let name = dimensions_name(*d);
                                let label = format!("{}×{}", d.0, d.1);
                                view! { <option value=name.clone() selected=move || video_size.with(|s| *s == name)>{label}</option> }
                            }).collect_view()}
                        </select>
                    }.into_any(),
                    (true, None) => view! {
                        <input id="size" type="text" spellcheck="false" placeholder="e.g. 1280x720; empty: the server's default"
                            aria-describedby="size-hint" prop:value=video_size on:input=move |ev| video_size.set(event_target_value(&ev))/>
                        <p id="size-hint" class="hint">"The studio has no rules for this model: the size and duration go as entered, and the server decides."</p>
                    }.into_any(),
                }}
            </div>
            <div class="row" hidden=remixing>
                <div class="field">
                    <label for="seconds">"Duration (seconds)"</label>
                    <input id="seconds" type="number" min="1" max="20" step="1" inputmode="numeric"
                        aria-describedby="seconds-error"
                        aria-invalid=move || seconds_error.get().is_some().to_string()
                        prop:value=seconds on:input=move |ev| seconds.set(event_target_value(&ev))/>
                    <p id="seconds-error" class="field-error" data-testid="seconds-error">{move || seconds_error.get()}</p>
                    <p class="hint">{move || rules.get().filter(|_| videos.get()).map(|r| format!("{} makes {} s", r.model, one_of(r.seconds.iter().map(u32::to_string).collect())))}</p>
                </div>
                <div class="field" hidden=videos>
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
            <div hidden=remixing><ImageInput fields=image/></div>
            <button type="submit" class="primary" data-testid="create">
                {move || if studio.remix_of.with(Option::is_some) { "Remix video" } else { "Create video" }}
            </button>
            <p class="field-error" role="alert" data-testid="form-problem">{move || form_problem.get()}</p>
        </form>
    }
}
