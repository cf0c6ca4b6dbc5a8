//! HTTP dates in `Retry-After`, in headless Chromium: the shared table (`common/http_dates.tsv`)
//! through the wasm build (`Date.parse`).
#![cfg(target_arch = "wasm32")]

#[path = "common/http_dates.rs"]
mod http_dates;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn http_dates_read_as_the_table_says() {
    http_dates::check();
}

/// The obsolete forms are not read here: `Date.parse` takes asctime as local time.
#[wasm_bindgen_test]
fn obsolete_forms_are_not_read_in_the_browser() {
    for value in ["Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
        assert_eq!(http_dates::through_header(value), None, "{value}");
    }
}
