//! A readable error box, with the revised-prompt action when the service offers one.

use leptos::prelude::*;

use crate::format::{self, Problem};
use crate::state::Studio;

#[component]
pub fn ProblemView(problem: Problem) -> impl IntoView {
    let studio = expect_context::<Studio>();
    let retry = problem
        .retry_after_ms
        .map(|ms| format!(" The service asked to wait {} before trying again.", format::duration(ms.max(1000) as f64)));
    let revised = problem.revised_prompt.clone().map(|revised| {
        let text = revised.clone();
        view! {
            <p class="revised">"The service suggests: " <q data-testid="revised-prompt">{revised}</q></p>
            <button type="button" on:click=move |_| super::edit_prompt(&studio, text.clone(), false)>"Use revised prompt"</button>
        }
    });
    view! {
        <div class="problem" role="alert" data-testid="problem">
            <p class="problem-title">{problem.title}</p>
            <p class="problem-detail">{problem.detail}{retry}</p>
            {revised}
        </div>
    }
}
