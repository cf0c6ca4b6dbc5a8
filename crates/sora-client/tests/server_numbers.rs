//! Numbers a server chooses (wait hints, timestamps) never overflow, and never buy an absurd sleep.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use sora_client::{Auth, Client, Error, HttpResponse, PollOptions, Quality, WaitOptions, json};
use support::{Scripted, block_on, job};

fn client(t: &Scripted) -> Client<&Scripted> {
    Client::new("http://localhost:9", Auth::ApiKey("k".into()), t).unwrap()
}

/// A 200 poll answer for a running job carrying the given hint headers.
fn running_with(retry_after_ms: Option<&str>, retry_after: Option<&str>) -> Result<HttpResponse, Error> {
    Ok(HttpResponse {
        status: 200,
        retry_after_ms: retry_after_ms.map(Into::into),
        retry_after: retry_after.map(Into::into),
        body: job("task_1", "running", 0).into_bytes(),
        ..Default::default()
    })
}

#[test]
fn a_huge_hint_on_a_poll_ends_the_wait_at_its_deadline() {
    // The issue's reproduction: polls answer `retry-after-ms: u64::MAX`; a 3 s wait settles at 3 s.
    let t = Scripted::default();
    for _ in 0..5 {
        t.answer(running_with(Some("18446744073709551615"), None));
    }
    let options = WaitOptions { max_wait_ms: Some(3_000), ..Default::default() };
    assert_eq!(block_on(client(&t).wait_for_job("task_1", &options)), Err(Error::Timeout(3_000)));
    assert_eq!(*t.sleeps.borrow(), [3_000], "slept up to the deadline, not past it, and not zero");
    assert_eq!(t.sent.borrow().len(), 1, "no poll against the service's wish");
}

#[test]
fn every_form_of_poll_hint_is_capped_like_a_429s() {
    for (ms, seconds) in [
        (Some("18446744073709551615"), None),
        (None, Some("18446744073709551615")),
        (None, Some("Fri, 31 Dec 9999 23:59:59 GMT")),
    ] {
        let t = Scripted::default();
        // A first poll without a hint, so the huge one arrives with time already elapsed.
        t.ok(&job("task_1", "running", 0)).answer(running_with(ms, seconds)).ok(&job("task_1", "succeeded", 0));
        block_on(client(&t).wait_for_job("task_1", &WaitOptions::default())).unwrap();
        // The first gap is the poll schedule's own; the second is the hint's, capped.
        let sleeps = t.sleeps.borrow();
        assert_eq!(sleeps.len(), 2, "{ms:?} {seconds:?}: {sleeps:?}");
        assert!(sleeps[0] < 60_000, "{ms:?} {seconds:?}: the schedule's gap {sleeps:?}");
        assert_eq!(sleeps[1], 60_000, "{ms:?} {seconds:?}: capped at retry.max_delay_ms");
    }
}

#[test]
fn retries_inside_a_wait_never_sleep_past_its_deadline() {
    let t = Scripted::default();
    t.answer(Ok(HttpResponse { status: 429, retry_after_ms: Some("50000".into()), ..Default::default() }));
    let options = WaitOptions { max_wait_ms: Some(3_000), ..Default::default() };
    assert_eq!(block_on(client(&t).wait_for_job("task_1", &options)), Err(Error::Timeout(3_000)));
    assert_eq!(*t.sleeps.borrow(), [3_000]);

    // A schedule longer than the time left: one last poll exactly at the deadline.
    let t = Scripted::default();
    t.ok(&job("task_1", "running", 0)).ok(&job("task_1", "succeeded", 0));
    let options = WaitOptions { max_wait_ms: Some(4_000), ..Default::default() };
    assert!(block_on(client(&t).wait_for_job("task_1", &options)).is_ok());
    assert_eq!(*t.sleeps.borrow(), [4_000]);
}

#[test]
fn an_api_errors_hint_is_capped_too() {
    let t = Scripted::default();
    for _ in 0..3 {
        t.answer(Ok(HttpResponse {
            status: 503,
            retry_after: Some("18446744073709551615".into()),
            ..Default::default()
        }));
    }
    match block_on(client(&t).get_job("task_1")) {
        Err(Error::Api(e)) => assert_eq!(e.retry_after_ms, Some(60_000)),
        other => panic!("{other:?}"),
    }
    assert_eq!(*t.sleeps.borrow(), [60_000, 60_000]);
}

#[test]
fn extreme_timestamps_neither_panic_nor_teach_absurd_timings() {
    let t = Scripted::default();
    let extreme = job("task_1", "succeeded", i64::MIN)
        .replace(r#""generations":[]"#, &format!(r#""finished_at":{},"generations":[]"#, i64::MAX));
    t.ok(&extreme);
    let client = client(&t);
    block_on(client.wait_for_job("task_1", &WaitOptions::default())).unwrap();
    // What it learned is at most a day: the next job's first sleep is the schedule's maximum, not years.
    t.ok(&job("task_2", "running", i64::MAX)).ok(&job("task_2", "succeeded", i64::MAX));
    block_on(client.wait_for_job("task_2", &WaitOptions::default())).unwrap();
    assert_eq!(*t.sleeps.borrow(), [20_000]);
    let far = PollOptions { min_interval_ms: u64::MAX, max_interval_ms: u64::MAX, ..Default::default() };
    assert_eq!(far.next_delay_ms(u64::MAX, 0, Some(u64::MAX)), u64::MAX, "saturates instead of overflowing");
}

#[test]
fn json_answers_are_read_only_up_to_the_cap_and_downloads_whole() {
    let t = Scripted::default();
    t.ok(&job("task_1", "queued", 0)).answer(Ok(HttpResponse { status: 200, body: vec![0; 8], ..Default::default() }));
    let client = client(&t);
    block_on(client.get_job("task_1")).unwrap();
    block_on(client.video_content("gen_1", Quality::High)).unwrap();
    let limits: Vec<_> = t.sent.borrow().iter().map(|(_, r)| r.max_body_bytes).collect();
    assert_eq!(limits, [Some(json::MAX_BODY_BYTES), None]);
}
