//! Response decoding: any bytes given to `json::decode` as a job, a job list or a generation.
//!
//! Invariants: never panics; a failure is always `Error::Decode` with a bounded snippet; what is
//! accepted depends on the JSON value only, so the same value written out again by serde_json
//! (other spacing, other escapes) decodes to the same result.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sora_client::decode::Decode;
use sora_client::{Error, VideoGeneration, VideoGenerationJob, VideoGenerationJobList, json};

fn check<T: Decode + PartialEq + std::fmt::Debug>(data: &[u8]) {
    match json::decode::<T>(data) {
        Ok(value) => {
            let tree: serde_json::Value = serde_json::from_slice(data).expect("accepted bytes are JSON");
            let rewritten = serde_json::to_vec(&tree).expect("a parsed value writes");
            let again: T = json::decode(&rewritten).expect("the same value rewritten decodes");
            assert_eq!(again, value, "decoding depended on the text's form, not its value");
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
