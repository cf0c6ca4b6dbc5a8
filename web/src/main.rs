//! Sora Studio: create Sora video jobs, watch them run, play the results in the page.

mod api;
mod app;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
