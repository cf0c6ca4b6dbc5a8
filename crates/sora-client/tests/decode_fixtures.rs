//! The response decoder on the shared fixture table (`common/decode_fixtures.tsv`), natively.

#![cfg(not(target_arch = "wasm32"))]

#[path = "common/decode_fixtures.rs"]
mod decode_fixtures;

#[test]
fn every_fixture_decodes_as_the_table_says() {
    decode_fixtures::check();
}

#[test]
fn errors_name_the_field() {
    let body = br#"{"id":"t","status":"queued","n_seconds":"five"}"#;
    match sora_client::json::decode::<sora_client::VideoGenerationJob>(body) {
        Err(sora_client::Error::Decode { message, .. }) => assert!(message.contains("`n_seconds`"), "{message}"),
        other => panic!("{other:?}"),
    }
}
