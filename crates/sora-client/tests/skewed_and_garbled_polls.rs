//! Waiting survives a service clock hours off ours, and a poll answer garbled on the way.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::cell::RefCell;

use sora_client::{Auth, Client, CreateVideoRequest, Error, JobStatus, Progress, VideoSize, WaitOptions};
use support::{Scripted, block_on, job};

fn client(t: &Scripted) -> Client<&Scripted> {
    Client::new("http://localhost:9", Auth::ApiKey("k".into()), t).unwrap()
}

/// Creates a job whose `created_at` is `skew_s` off the local clock, then waits for it.
fn create_and_wait_skewed(skew_s: i64) -> (Vec<Progress>, Vec<u64>) {
    let t = Scripted::default();
    let local_s: i64 = 1_800_000_000;
    t.now.set(local_s as u64 * 1000);
    let created = local_s + skew_s;
    t.ok(&job("task_1", "preprocessing", created));
    for _ in 0..5 {
        t.ok(&job("task_1", "running", created));
    }
    t.ok(&job("task_1", "succeeded", created));
    let client = client(&t);
    let request = CreateVideoRequest::new("sora", "p", VideoSize::Square480);
    block_on(client.create_job(&request)).unwrap();
    let reports = RefCell::new(Vec::<Progress>::new());
    let record = |p: &Progress| reports.borrow_mut().push(p.clone());
    let options = WaitOptions { on_progress: Some(&record), max_wait_ms: Some(120_000), ..Default::default() };
    let done = block_on(client.wait_for_job("task_1", &options)).unwrap();
    assert_eq!(done.status, JobStatus::Succeeded);
    let sleeps = t.sleeps.borrow().clone();
    (reports.into_inner(), sleeps)
}

#[test]
fn a_skewed_service_clock_changes_neither_the_eta_nor_the_schedule() {
    let (straight, straight_sleeps) = create_and_wait_skewed(0);
    // The built-in guess for a 480x480 5 s job: a minute.
    assert_eq!(straight[0].estimated_remaining_ms, Some(60_000));
    for skew in [-3600, 3600, -86_400 * 3] {
        let (reports, sleeps) = create_and_wait_skewed(skew);
        assert_eq!(
            reports[0].estimated_remaining_ms,
            Some(60_000),
            "skew {skew}: a fresh job has its whole estimate ahead"
        );
        assert_eq!(sleeps, straight_sleeps, "skew {skew}: the poll schedule is the unskewed one");
        let elapsed: Vec<u64> = reports.iter().map(|p| p.elapsed_ms).collect();
        assert!(elapsed.windows(2).all(|w| w[0] <= w[1]), "skew {skew}: {elapsed:?}");
    }
}

#[test]
fn the_server_clock_offset_is_learned_from_a_create() {
    for skew_s in [0, -3600, 3600] {
        let t = Scripted::default();
        let local_s: i64 = 1_800_000_000;
        t.now.set(local_s as u64 * 1000 + 400);
        t.ok(&job("task_1", "preprocessing", local_s + skew_s));
        let client = client(&t);
        assert_eq!(client.server_clock_offset_ms(), None, "nothing created yet");
        block_on(client.create_job(&CreateVideoRequest::new("sora", "p", VideoSize::Square480))).unwrap();
        assert_eq!(client.server_clock_offset_ms(), Some(400 - skew_s * 1000), "skew {skew_s}");
    }
}

#[test]
fn a_create_without_a_real_created_at_leaves_the_offset_as_it_was() {
    let t = Scripted::default();
    t.now.set(1_800_000_000_400);
    t.ok(&job("task_1", "preprocessing", 1_800_000_000)).ok(&job("task_2", "preprocessing", 0));
    t.ok(&job("task_3", "preprocessing", -5));
    let client = client(&t);
    let request = CreateVideoRequest::new("sora", "p", VideoSize::Square480);
    block_on(client.create_job(&request)).unwrap();
    assert_eq!(client.server_clock_offset_ms(), Some(400));
    for id in ["task_2", "task_3"] {
        let created = block_on(client.create_job(&request)).unwrap();
        assert_eq!(created.id, id, "the create was answered");
        assert_eq!(client.server_clock_offset_ms(), Some(400), "{id}: created_at <= 0 is not a clock reading");
    }
}

#[test]
fn a_garbled_poll_is_polled_again_but_not_forever() {
    let t = Scripted::default();
    t.ok("{\"object\": \"video.generation.job\", \"id\": \"task_");
    t.ok(&job("task_1", "running", 0)).ok("<html>proxy error").ok(&job("task_1", "succeeded", 0));
    let done = block_on(client(&t).wait_for_job("task_1", &WaitOptions::default())).unwrap();
    assert_eq!(done.status, JobStatus::Succeeded);
    assert_eq!(t.sent.borrow().len(), 4);

    // Three garbled answers in a row (one more than max_retries) end the wait with the decode error.
    let t = Scripted::default();
    t.ok(&job("task_1", "running", 0)).ok("{").ok("{").ok("{").ok(&job("task_1", "succeeded", 0));
    match block_on(client(&t).wait_for_job("task_1", &WaitOptions::default())) {
        Err(Error::Decode { snippet, .. }) => assert_eq!(snippet, "{"),
        other => panic!("{other:?}"),
    }
    assert_eq!(t.sent.borrow().len(), 4);
}
