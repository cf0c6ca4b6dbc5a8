//! Endpoints as people paste them: the shared table (`common/endpoint_forms.tsv`), natively.

#![cfg(not(target_arch = "wasm32"))]

// Shared helpers: this file uses only some of them.
#[path = "common/endpoint_forms.rs"]
mod endpoint_forms;
#[allow(dead_code)]
mod support;

use sora_client::{Auth, Client, ListJobsQuery};
use support::{Scripted, block_on};

#[test]
fn pasted_endpoints_normalise_as_the_table_says() {
    endpoint_forms::check(endpoint_forms::through_endpoint);
    endpoint_forms::check(|pasted, configured| {
        endpoint_forms::through_client(pasted, configured, &Scripted::default())
    });
}

#[test]
fn a_pasted_target_url_is_called_at_its_base_with_its_api_version() {
    let t = Scripted::default();
    t.ok(r#"{"object":"list","data":[],"has_more":false}"#);
    let target = " https://my-res.openai.azure.com/openai/v1/video/generations/jobs?api-version=v1\n";
    let client = Client::new(target, Auth::ApiKey("k".into()), &t).unwrap();
    block_on(client.list_jobs(&ListJobsQuery { limit: 1, ..Default::default() })).unwrap();
    assert_eq!(t.urls(), ["https://my-res.openai.azure.com/openai/v1/video/generations/jobs?api-version=v1&limit=1"]);
}
