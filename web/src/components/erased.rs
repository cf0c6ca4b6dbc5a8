//! Leptos' `For` and `Show`, each compiled once for the whole studio.
//!
//! Both are generic over their closures and views, so every use is compiled anew (`For` with its
//! keyed diff, `Show` with its switch between two views). The studio's lists and conditional parts
//! share one instance of each instead: a string key, a `Signal<bool>`, views drawn through `AnyView`.

use std::sync::Arc;

use leptos::prelude::*;

/// A list row: its key, and how to draw it when the key first appears.
#[derive(Clone)]
pub struct Row {
    key: String,
    draw: Arc<dyn Fn() -> AnyView + Send + Sync>,
}

impl Row {
    /// Create a row that `draw`s itself the first time its `key` is in the list.
    pub fn new(key: String, draw: impl Fn() -> AnyView + Send + Sync + 'static) -> Self {
        Self { key, draw: Arc::new(draw) }
    }
}

/// Draw `rows` in order; a key that stays keeps its row (its elements and their state), a new
/// key's row is drawn, a key that goes takes its row with it.
#[component]
pub fn KeyedList(rows: Signal<Vec<Row>>) -> impl IntoView {
    view! { <For each=move || rows.get() key=|row| row.key.clone() children=|row| (row.draw)()/> }
}

/// Draw the children while `when` is true, else the `fallback` (by default nothing); each is drawn
/// again only when `when` changes.
#[component]
pub fn When(when: Signal<bool>, children: ChildrenFn, #[prop(optional, into)] fallback: ViewFn) -> impl IntoView {
    view! { <Show when=move || when.get() fallback>{children()}</Show> }
}
