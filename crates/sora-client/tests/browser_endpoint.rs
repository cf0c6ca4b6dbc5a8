//! Endpoints as people paste them, in headless Chromium: the shared table (`common/endpoint_forms.tsv`)
//! through the wasm build, and the portal's target URL of the emulator used for real requests.
#![cfg(target_arch = "wasm32")]

mod browser;
#[path = "common/endpoint_forms.rs"]
mod endpoint_forms;

use sora_client::{Auth, Client, FetchTransport, ListJobsQuery};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn pasted_endpoints_normalise_as_the_table_says() {
    endpoint_forms::check(endpoint_forms::through_endpoint);
    endpoint_forms::check(|pasted, configured| {
        endpoint_forms::through_client(pasted, configured, FetchTransport::default())
    });
}

#[wasm_bindgen_test]
async fn the_emulators_target_and_content_urls_reach_it() {
    let base = [browser::emulator(), "/openai/v1"].concat();
    for pasted in [
        format!("  {base}/video/generations/jobs?api-version=preview\n"),
        format!("{base}/video/generations/gen_x/content/video?api-version=preview&quality=low"),
        format!("{}/openai/", browser::emulator()),
    ] {
        let client = Client::new(&pasted, Auth::ApiKey(browser::api_key().into()), FetchTransport::default()).unwrap();
        assert_eq!((client.endpoint().as_str(), client.api_version()), (base.as_str(), "preview"), "{pasted:?}");
        let listed = client.list_jobs(&ListJobsQuery { limit: 1, ..Default::default() }).await;
        assert!(listed.is_ok(), "{pasted:?}: {listed:?}");
    }
}
