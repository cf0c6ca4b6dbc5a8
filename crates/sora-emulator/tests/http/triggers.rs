//! Prompt triggers: every terminal status and failure reason is reachable, after the right phases.

use std::time::Duration;

use futures_util::future::join_all;
use serde_json::Value;
use sora_emulator::Config;

use crate::common::{Emu, ids, small, status_sequence};

/// Creates a job with `prompt` and polls it to its end; returns its statuses and last body.
async fn run(emu: &Emu, prompt: &str) -> (Vec<String>, Value) {
    let created = emu.create_ok(small(prompt)).await;
    let polls = emu.polls(created["id"].as_str().unwrap(), Duration::from_millis(15)).await;
    let last = polls.last().unwrap().clone();
    (status_sequence(&created, &polls), last)
}

#[tokio::test]
async fn each_trigger_ends_its_job_after_the_documented_phases() {
    // 480x480 1 s at speed 6: 2.6 s in all, every phase at least 0.39 s (half of running: 0.65 s).
    let emu = Emu::start(Config { speed: 6.0, rpm: 0, max_running: 10, ..Config::default() }).await;
    let cases: [(&str, &[&str], &str, Option<&str>); 4] = [
        ("a Blocked-By-Moderation test", &["queued", "preprocessing"], "failed", Some("input_moderation")),
        ("a __CANCELLED__ test", &["queued", "preprocessing", "running"], "cancelled", None),
        ("an __internal_error__ test", &["queued", "preprocessing", "running"], "failed", Some("internal_error")),
        (
            "an __Output_Moderation__ test",
            &["queued", "preprocessing", "running", "processing"],
            "failed",
            Some("output_moderation"),
        ),
    ];
    // Side by side, so the test takes one job's time.
    let runs = join_all(cases.iter().map(|case| run(&emu, case.0))).await;
    for ((prompt, phases, end, reason), (seen, job)) in cases.iter().zip(runs) {
        let mut expected: Vec<&str> = phases.to_vec();
        expected.push(end);
        assert_eq!(seen, expected, "{prompt}: {job}");
        assert_eq!(job["failure_reason"].as_str(), *reason, "{prompt}: {job}");
        assert!(job["generations"].as_array().unwrap().is_empty(), "{prompt}: {job}");
        let finished = job["finished_at"].as_u64().expect("finished_at");
        assert_eq!(job["expires_at"].as_u64(), Some(finished + 86_400), "{prompt}: {job}");
    }
}

#[tokio::test]
async fn a_cancelled_job_is_listed_as_cancelled() {
    let emu = Emu::shared();
    let (_, job) = run(&emu, "__cancelled__").await;
    let id = job["id"].as_str().unwrap();
    let (_, list) = emu.list("limit=100&statuses=cancelled").await;
    assert!(ids(&list).iter().any(|listed| listed == id), "{list}");
    assert!(list["data"].as_array().unwrap().iter().all(|j| j["status"] == "cancelled"), "{list}");
}
