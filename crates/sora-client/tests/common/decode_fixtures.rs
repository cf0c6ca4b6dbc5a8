//! The decoder's fixture table (`decode_fixtures.tsv`), checked by the native and the Chromium tests.

use sora_client::{Error, VideoGeneration, VideoGenerationJob, VideoGenerationJobList, json};

/// Decode every row's text as its kind and compare with the row's outcome: the value, or the error message.
pub fn check() {
    let (mut rows, mut oks) = (0, 0);
    for line in include_str!("decode_fixtures.tsv").lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let columns: Vec<&str> = line.splitn(4, '\t').collect();
        let [kind, text, outcome, expected] = columns[..] else { panic!("not four columns: {line}") };
        let body = text.as_bytes();
        let got = match kind {
            "generation" => show(json::decode::<VideoGeneration>(body)),
            "job" => show(json::decode::<VideoGenerationJob>(body)),
            "list" => show(json::decode::<VideoGenerationJobList>(body)),
            other => panic!("unknown kind {other}"),
        };
        assert_eq!((got.0, got.1.as_str()), (outcome, expected), "{kind}: {text}");
        rows += 1;
        oks += usize::from(outcome == "ok");
    }
    // The table exercises both outcomes.
    assert!(rows > 500 && oks > 100 && oks < rows - 100, "{oks} of {rows} decoded");
}

fn show<T: std::fmt::Debug>(result: Result<T, Error>) -> (&'static str, String) {
    match result {
        Ok(value) => ("ok", format!("{value:?}")),
        Err(Error::Decode { message, .. }) => ("error", message),
        Err(other) => panic!("not a decode error: {other}"),
    }
}
