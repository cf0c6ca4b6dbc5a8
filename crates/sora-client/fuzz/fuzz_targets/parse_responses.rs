//! Response parsing: any bytes given to `json::parse` as a job, a job list or a generation.
//!
//! Invariants: never panics; a failure is always `Error::Decode` with a bounded snippet; anything
//! accepted survives a serialize / parse round trip unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sora_client::{Error, VideoGeneration, VideoGenerationJob, VideoGenerationJobList, json};

fn check<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(data: &[u8]) {
    match json::parse::<T>(data) {
        Ok(value) => {
            let text = json::to_string(&value).expect("an accepted value serializes");
            let again: T = json::parse(text.as_bytes()).expect("a serialized value parses");
            assert_eq!(again, value, "round trip changed the value");
        }
        Err(Error::Decode { message, snippet }) => {
            assert!(!message.is_empty());
            // 200 characters and an ellipsis at most.
            assert!(snippet.chars().count() <= 201, "snippet of {} chars", snippet.chars().count());
            let text = Error::Decode { message, snippet }.to_string();
            assert!(text.starts_with("unreadable response"));
        }
        Err(other) => panic!("expected Error::Decode, got {other:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    check::<VideoGenerationJob>(data);
    check::<VideoGenerationJobList>(data);
    check::<VideoGeneration>(data);
});
