//! Sora Studio: create Sora video jobs, watch them run, play and keep the results in the page.
//!
//! A library so the component tests in `web/tests/` can reach the parts; `main.rs` only mounts it.

pub mod api;
pub mod app;
pub mod components;
pub mod format;
pub mod json;
pub mod state;
pub mod storage;
pub mod tabs;

/// Mount the studio on the page's body.
pub fn mount() {
    #[cfg(panic = "unwind")]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
