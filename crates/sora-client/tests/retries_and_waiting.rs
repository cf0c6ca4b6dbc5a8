//! Retries, rate limits, token renewal and ETA-aware waiting, on a fake clock.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::cell::Cell;
use std::rc::Rc;

use sora_client::{
    Auth, Client, ClientOptions, CreateVideoRequest, DurationEstimator, Error, FailureReason, HttpResponse, JobStatus,
    Progress, Token, VideoSize, WaitOptions,
};
use support::{Scripted, block_on, job};

fn client(t: &Scripted) -> Client<&Scripted> {
    Client::new("http://localhost:9", Auth::ApiKey("k".into()), t).unwrap()
}

#[test]
fn transient_failures_are_retried_with_real_waits_and_stop_at_the_cap() {
    let t = Scripted::default();
    t.status(503, "").status(500, "").ok(&job("task_1", "queued", 0));
    assert_eq!(block_on(client(&t).get_job("task_1")).unwrap().id, "task_1");
    assert_eq!(*t.sleeps.borrow(), [375, 750], "equal-jitter backoff from 500 ms, doubling");

    let t = Scripted::default();
    t.status(503, "").status(503, "").status(503, r#"{"error":{"message":"still down"}}"#);
    match block_on(client(&t).get_job("task_1")) {
        Err(Error::Api(e)) => assert_eq!((e.status, e.message.as_str()), (503, "still down")),
        other => panic!("{other:?}"),
    }
    assert_eq!(t.sent.borrow().len(), 3, "one try and two retries (the default cap)");

    let t = Scripted::default();
    t.answer(Err(Error::Network("reset".into()))).ok(&job("task_1", "queued", 0));
    assert!(block_on(client(&t).get_job("task_1")).is_ok(), "network errors are retried on reads");
}

#[test]
fn create_is_retried_only_when_the_service_certainly_refused_it() {
    let request = CreateVideoRequest::new("sora", "p", VideoSize::Square480);
    let t = Scripted::default();
    t.status(500, "");
    assert!(matches!(block_on(client(&t).create_job(&request)), Err(Error::Api(e)) if e.status == 500));
    assert_eq!(t.sent.borrow().len(), 1);

    let t = Scripted::default();
    t.answer(Err(Error::Network("reset".into())));
    assert!(matches!(block_on(client(&t).create_job(&request)), Err(Error::Network(_))));
    assert_eq!(t.sent.borrow().len(), 1, "a create that may have arrived is never repeated");

    let t = Scripted::default();
    t.answer(Ok(HttpResponse { status: 429, retry_after_ms: Some("1200".into()), ..Default::default() }));
    t.ok(&job("task_1", "queued", 0));
    assert!(block_on(client(&t).create_job(&request)).is_ok());
    assert_eq!(*t.sleeps.borrow(), [1200], "the service's retry-after-ms is honoured exactly");
}

#[test]
fn retry_after_forms_and_cap() {
    let t = Scripted::default();
    t.answer(Ok(HttpResponse { status: 429, retry_after: Some("3".into()), ..Default::default() }));
    t.answer(Ok(HttpResponse {
        status: 429,
        retry_after: Some("Thu, 01 Jan 1970 00:00:10 GMT".into()),
        ..Default::default()
    }));
    t.ok(&job("task_1", "queued", 0));
    block_on(client(&t).get_job("task_1")).unwrap();
    assert_eq!(*t.sleeps.borrow(), [3_000, 7_000], "seconds, then an HTTP date 7 s after the fake now");

    let t = Scripted::default();
    t.answer(Ok(HttpResponse { status: 429, retry_after: Some("3600".into()), ..Default::default() }));
    t.ok(&job("task_1", "queued", 0));
    block_on(client(&t).get_job("task_1")).unwrap();
    assert_eq!(*t.sleeps.borrow(), [60_000], "capped at 60 s by default");
}

#[test]
fn the_rpm_budget_spaces_requests() {
    let t = Scripted::default();
    let options = ClientOptions { requests_per_minute: 3, ..Default::default() };
    let client = Client::with_options("http://localhost:9", Auth::ApiKey("k".into()), options, &t).unwrap();
    for _ in 0..5 {
        t.ok(&job("task_1", "queued", 0));
    }
    for _ in 0..5 {
        block_on(client.get_job("task_1")).unwrap();
    }
    let times: Vec<u64> = t.sent.borrow().iter().map(|(at, _)| *at).collect();
    assert_eq!(times, [0, 0, 0, 60_000, 60_000]);
}

#[test]
fn tokens_are_fetched_renewed_before_expiry_and_after_a_401() {
    let calls = Rc::new(Cell::new(0u32));
    let counter = Rc::clone(&calls);
    let provider: sora_client::TokenProvider = Rc::new(move || {
        counter.set(counter.get() + 1);
        let n = counter.get();
        Box::pin(async move { Ok(Token { value: format!("tok{n}"), expires_at_ms: Some(100_000 * u64::from(n)) }) })
    });
    let t = Scripted::default();
    let client = Client::new("http://localhost:9", Auth::TokenProvider(provider), &t).unwrap();
    t.ok(&job("task_1", "queued", 0)).ok(&job("task_1", "queued", 0));
    block_on(client.get_job("task_1")).unwrap();
    block_on(client.get_job("task_1")).unwrap();
    assert_eq!(calls.get(), 1, "cached while valid");
    t.now.set(75_000);
    t.ok(&job("task_1", "queued", 0));
    block_on(client.get_job("task_1")).unwrap();
    assert_eq!(calls.get(), 2, "renewed 30 s before expiry");
    t.status(401, "").ok(&job("task_1", "queued", 0));
    block_on(client.get_job("task_1")).unwrap();
    assert_eq!(calls.get(), 3, "renewed once after a 401");
    let headers: Vec<String> = t.sent.borrow().iter().map(|(_, r)| r.headers[0].1.clone()).collect();
    assert_eq!(headers, ["Bearer tok1", "Bearer tok1", "Bearer tok2", "Bearer tok2", "Bearer tok3"]);
}

#[test]
fn waiting_polls_sparsely_then_densely_once_it_has_learned() {
    let t = Scripted::default();
    let client = client(&t);
    // A client that has seen five 480x480 5 s jobs take 13 s (kept from an earlier session).
    let mut learned = DurationEstimator::default();
    for _ in 0..5 {
        learned.observe(480, 480, 5, 1, 13_000);
    }
    client.set_estimator(learned.clone());
    for _ in 0..5 {
        t.ok(&job("task_1", "running", 0));
    }
    t.ok(&job("task_1", "succeeded", 0).replace(r#""generations":[]"#, r#""finished_at":13,"generations":[]"#));
    let reports = std::cell::RefCell::new(Vec::<Progress>::new());
    let record = |p: &Progress| reports.borrow_mut().push(p.clone());
    let options = WaitOptions { on_progress: Some(&record), ..Default::default() };
    let done = block_on(client.wait_for_job("task_1", &options)).unwrap();
    assert_eq!(done.status, JobStatus::Succeeded);
    let sleeps = t.sleeps.borrow().clone();
    assert!(sleeps[0] >= 8_000, "a long first sleep: {sleeps:?}");
    assert!(sleeps.windows(2).all(|w| w[0] > w[1]) && sleeps[4] < 1_500, "denser near the end: {sleeps:?}");
    let reports = reports.borrow();
    assert_eq!(reports.len(), 6);
    assert!(reports[0].estimated_remaining_ms.is_some_and(|ms| ms.abs_diff(13_000) < 300), "{:?}", reports[0]);
    assert_eq!(reports[5].estimated_remaining_ms, None);
    assert_eq!(client.estimator().observations(), 6, "the new job is learned too");
}

#[test]
fn waiting_learns_from_finished_jobs() {
    let t = Scripted::default();
    let client = client(&t);
    let prior_first_sleep = DurationEstimator::default().next_poll_ms(480, 480, 5, 1, 0, &Default::default());
    t.ok(&job("task_1", "succeeded", 0).replace(r#""generations":[]"#, r#""finished_at":4,"generations":[]"#));
    block_on(client.wait_for_job("task_1", &WaitOptions::default())).unwrap();
    let estimate = client.estimator().estimate_ms(480, 480, 5, 1);
    assert!((4_000..4_600).contains(&estimate), "one job moves the wide guess to it: {estimate}");
    t.now.set(100_000);
    t.ok(&job("task_2", "queued", 100)).ok(&job("task_2", "succeeded", 100));
    block_on(client.wait_for_job("task_2", &WaitOptions::default())).unwrap();
    let first = t.sleeps.borrow()[0];
    assert!(
        first < 4_000 && first * 3 < prior_first_sleep,
        "{first} ms after a 4 s job, {prior_first_sleep} ms before"
    );
}

#[test]
fn waiting_ends_with_the_failure_reason_or_a_timeout() {
    let t = Scripted::default();
    t.ok(&job("task_1", "failed", 0).replace(r#""generations":[]"#, r#""failure_reason":"input_moderation""#));
    match block_on(client(&t).wait_for_job("task_1", &WaitOptions::default())) {
        Err(Error::JobFailed { job_id, reason }) => {
            assert_eq!((job_id.as_str(), reason), ("task_1", Some(FailureReason::InputModeration)));
        }
        other => panic!("{other:?}"),
    }
    let t = Scripted::default();
    for _ in 0..10 {
        t.ok(&job("task_1", "running", 0));
    }
    let options = WaitOptions { max_wait_ms: Some(20_000), ..Default::default() };
    assert_eq!(block_on(client(&t).wait_for_job("task_1", &options)), Err(Error::Timeout(20_000)));
    assert!(t.now.get() <= 20_000);
}

#[test]
fn poll_hints_from_the_service_are_honoured() {
    let t = Scripted::default();
    t.answer(Ok(HttpResponse {
        status: 200,
        retry_after: Some("25".into()),
        body: job("task_1", "running", 0).into_bytes(),
        ..Default::default()
    }));
    t.ok(&job("task_1", "succeeded", 0));
    block_on(client(&t).wait_for_job("task_1", &WaitOptions::default())).unwrap();
    assert_eq!(*t.sleeps.borrow(), [25_000]);
}
