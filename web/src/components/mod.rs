//! The studio's parts, one per file.

mod connect;
mod create_form;
mod erased;
mod image_input;
mod job_card;
mod job_list;
mod library;
mod player;
mod problem;
mod server_jobs;

pub use connect::Connect;
pub use create_form::CreateForm;
pub use job_list::JobList;
pub use library::Library;
pub use server_jobs::ServerJobs;

/// Move keyboard focus to an element by id.
pub(crate) fn focus(id: &str) {
    use leptos::wasm_bindgen::JsCast;
    let element = leptos::prelude::document().get_element_by_id(id);
    if let Some(el) = element.and_then(|el| el.dyn_into::<leptos::web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Put `text` into the create form's prompt, ready to edit, and move focus there; a new video
/// unless `remix` (the form's remix source is then already set).
pub(crate) fn edit_prompt(studio: &crate::state::Studio, text: String, remix: bool) {
    use leptos::prelude::Set;
    if !remix {
        studio.remix_of.set(None);
    }
    studio.prompt.set(text);
    focus("prompt");
}
