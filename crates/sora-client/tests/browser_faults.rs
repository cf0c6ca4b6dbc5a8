//! Faults injected by the emulator: retries with real waits, caps, 429 storms, aborts, slots, expiry.
#![cfg(target_arch = "wasm32")]

mod browser;

use browser::{admin, clear_faults, client, client_with, fast_options, requests, reset, sleep};
use sora_client::{CreateVideoRequest, Error, FetchTransport, Progress, Quality, VideoSize, WaitOptions};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn request(prompt: &str) -> CreateVideoRequest {
    let mut request = CreateVideoRequest::new("sora", prompt, VideoSize::Square480);
    request.n_seconds = 1;
    request
}

fn now() -> f64 {
    js_sys::Date::now()
}

async fn fault(kind: &str, count: u32, path_contains: &str) {
    admin(
        "/admin/faults",
        &format!(r#"{{"kind":"{kind}","count":{count},"path_contains":"{path_contains}","retry_after_ms":400}}"#),
    )
    .await;
}

async fn finished_job() -> (sora_client::Client<FetchTransport>, sora_client::VideoGenerationJob) {
    let client = client();
    let job = client.create_and_wait(&request("a calm sea"), &WaitOptions::default()).await.unwrap();
    (client, job)
}

#[wasm_bindgen_test]
async fn server_errors_are_retried_with_real_waits_and_stop_at_the_cap() {
    reset().await;
    let (client, job) = finished_job().await;
    fault("503", 2, "/jobs/").await;
    let started = now();
    client.get_job(&job.id).await.unwrap();
    let waited = now() - started;
    // Equal-jitter backoff from 200 ms: at least 100 + 200 ms of real waiting.
    assert!(waited >= 300.0, "retried after only {waited} ms");

    fault("500", 5, "/jobs/").await;
    match client.get_job(&job.id).await {
        Err(Error::Api(e)) => assert_eq!(e.status, 500),
        other => panic!("{other:?}"),
    }
    let gets = requests()
        .await
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with(&job.id) && r.status == 500)
        .count();
    assert_eq!(gets, 3, "one try and two retries, then the error");
    clear_faults().await;
}

#[wasm_bindgen_test]
async fn a_429_storm_is_waited_out_as_the_service_asks() {
    reset().await;
    let (_, job) = finished_job().await;
    let mut options = fast_options();
    options.retry.max_retries = 6;
    let patient = client_with(options);
    fault("429", 4, "/jobs/").await;
    let started = now();
    patient.get_job(&job.id).await.unwrap();
    assert!(now() - started >= 4.0 * 400.0, "each retry waited retry-after-ms (400 ms)");
    let log: Vec<_> = requests().await.into_iter().filter(|r| r.method == "GET" && r.path.ends_with(&job.id)).collect();
    let log = &log[log.len().saturating_sub(5)..];
    assert_eq!(log.iter().filter(|r| r.status == 429).count(), 4);
    for pair in log.windows(2) {
        assert!(pair[1].at_ms - pair[0].at_ms >= 390, "requests {} ms apart", pair[1].at_ms - pair[0].at_ms);
    }
}

#[wasm_bindgen_test]
async fn connection_resets_and_truncated_downloads_recover() {
    reset().await;
    let (client, job) = finished_job().await;
    // Chromium itself repeats a request once when a reused connection is reset: three resets
    // make sure the client's own retries are exercised too.
    fault("reset", 3, "/jobs/").await;
    assert_eq!(client.get_job(&job.id).await.unwrap().id, job.id, "resets mid-poll are retried");

    let generation = &job.generations[0].id;
    let full = client.video_size(generation, Quality::High).await.unwrap();
    fault("truncate", 1, "content/video").await;
    let video = client.video_content(generation, Quality::High).await.unwrap();
    assert_eq!(video.len() as u64, full, "the broken download was retried in full");
    let downloads =
        requests().await.into_iter().filter(|r| r.method == "GET" && r.path.ends_with("content/video")).count();
    assert_eq!(downloads, 2);
}

#[wasm_bindgen_test]
async fn a_reset_that_outlasts_the_retries_reads_as_the_browser_said_it() {
    reset().await;
    let (_, job) = finished_job().await;
    let mut options = fast_options();
    options.retry.max_retries = 1;
    fault("reset", 10, "/jobs/").await;
    let result = client_with(options).get_job(&job.id).await;
    clear_faults().await;
    // The JS error's name and message, as `error.toString()` gives them (`TypeError: Failed to fetch`).
    let Err(error @ Error::Network(message)) = &result else { panic!("expected a network error, got {result:?}") };
    assert!(message.starts_with("TypeError: ") && message.len() > "TypeError: ".len(), "{message}");
    assert_eq!(error.to_string(), ["network error: ", message.as_str()].concat());
}

#[wasm_bindgen_test]
async fn malformed_json_and_latency() {
    reset().await;
    let (client, job) = finished_job().await;
    fault("malformed", 1, "/jobs/").await;
    assert!(matches!(client.get_job(&job.id).await, Err(Error::Decode { .. })));
    admin("/admin/faults", r#"{"kind":"latency","count":1,"latency_ms":500,"path_contains":"/jobs/"}"#).await;
    let started = now();
    client.get_job(&job.id).await.unwrap();
    assert!(now() - started >= 500.0);
}

#[wasm_bindgen_test]
async fn abort_mid_wait_stops_and_optionally_deletes() {
    reset().await;
    admin("/admin/config", r#"{"speed":1}"#).await;
    let client = client();
    let job = client.submit_job(&request("a slow sunrise"), None).await.unwrap();
    let controller = web_sys::AbortController::new().unwrap();
    let bound = client.with_transport(FetchTransport::with_signal(Some(controller.signal())));
    let abort_later = {
        let controller = controller.clone();
        gloo_timers::callback::Timeout::new(300, move || controller.abort())
    };
    let started = now();
    let options = WaitOptions { delete_on_abort: true, ..Default::default() };
    assert_eq!(bound.wait_for_job(&job.id, &options).await, Err(Error::Aborted));
    drop(abort_later);
    assert!(now() - started < 2_000.0, "aborting stopped the timers at once");
    sleep(200).await;
    assert!(matches!(client.get_job(&job.id).await, Err(Error::NotFound { .. })), "deleteOnAbort removed the job");
    admin("/admin/reset", "{}").await;
}

#[wasm_bindgen_test]
async fn a_third_job_waits_for_a_free_slot() {
    reset().await;
    let client = client();
    let waited_for_slot = std::cell::Cell::new(false);
    let record = |p: &Progress| waited_for_slot.set(waited_for_slot.get() || p.job_id.is_none());
    let (a, b, c) = futures_util::future::join3(
        client.create_and_wait(&request("slot one"), &WaitOptions::default()),
        client.create_and_wait(&request("slot two"), &WaitOptions::default()),
        client
            .create_and_wait(&request("slot three"), &WaitOptions { on_progress: Some(&record), ..Default::default() }),
    )
    .await;
    assert!(a.is_ok() && b.is_ok() && c.is_ok(), "{a:?} {b:?} {c:?}");
    assert!(waited_for_slot.get(), "the third reported waiting for a slot");
    let posts: Vec<_> = requests().await.into_iter().filter(|r| r.method == "POST").collect();
    assert_eq!(posts.len(), 3);
    // The emulator refuses a third running job with 429: none means the client held it back.
    assert!(posts.iter().all(|r| r.status == 200), "no create was refused: the client kept to 2 running jobs");
}

#[wasm_bindgen_test]
async fn an_expired_job_is_not_found() {
    reset().await;
    admin("/admin/config", r#"{"ttl_seconds":1}"#).await;
    let (client, job) = finished_job().await;
    sleep(1_600).await;
    assert_eq!(client.get_job(&job.id).await, Err(Error::NotFound { what: "job", id: job.id.clone() }));
    let video = client.video_content(&job.generations[0].id, Quality::High).await;
    assert!(matches!(video, Err(Error::NotFound { what: "video", .. })));
    admin("/admin/reset", "{}").await;
}

#[wasm_bindgen_test]
async fn a_429_storm_never_exceeds_the_request_budget() {
    reset().await;
    let (_, job) = finished_job().await;
    // A budget of 5 requests per 2 s (a scaled-down "per minute"), and a storm of 429s that ask
    // for only 50 ms: the budget, not the hint, must bound the request rate.
    let mut options = fast_options();
    options.requests_per_minute = 5;
    options.rate_window_ms = 2_000;
    options.retry.max_retries = 10;
    let limited = client_with(options);
    let polls_of = |log: Vec<browser::LoggedRequest>| -> Vec<u64> {
        log.into_iter().filter(|r| r.method == "GET" && r.path.ends_with(&job.id)).map(|r| r.at_ms).collect()
    };
    let earlier = polls_of(requests().await).len();
    admin("/admin/faults", r#"{"kind":"429","count":8,"path_contains":"/jobs/","retry_after_ms":50}"#).await;
    let calls: Vec<_> = (0..4).map(|_| limited.get_job(&job.id)).collect();
    for result in futures_util::future::join_all(calls).await {
        assert_eq!(result.unwrap().id, job.id, "every call recovered");
    }
    let sent = polls_of(requests().await).split_off(earlier);
    assert_eq!(sent.len(), 12, "4 successes after 8 refusals");
    for (i, &t) in sent.iter().enumerate() {
        let in_window = sent[i..].iter().take_while(|&&u| u < t + 1_950).count();
        assert!(in_window <= 5, "{in_window} requests within 2 s starting at {t}");
    }
}

/// The issue's reproduction: polls that answer 200 with `retry-after-ms: u64::MAX`. The wait ends
/// with a timeout at its max wait, neither at once nor (as it did) after the 24.8-day timer.
#[wasm_bindgen_test]
async fn a_huge_wait_hint_on_a_successful_poll_ends_the_wait_at_its_deadline() {
    reset().await;
    admin("/admin/config", r#"{"speed":1}"#).await;
    let client = client();
    let job = client.submit_job(&request("a long tide"), None).await.unwrap();
    let path = format!("/jobs/{}", job.id);
    admin(
        "/admin/faults",
        &format!(r#"{{"kind":"retry_hint","count":5,"path_contains":"{path}","retry_after_ms":18446744073709551615}}"#),
    )
    .await;
    // The fault is served: a plain fetch sees the hint on a 200.
    let url = format!("{}/openai/v1/video/generations{path}?api-version=preview", browser::emulator());
    let probe = gloo_net::http::Request::get(&url).header("api-key", browser::api_key()).send().await.unwrap();
    assert_eq!((probe.status(), probe.headers().get("retry-after-ms").as_deref()), (200, Some("18446744073709551615")));
    let before = requests().await.len();
    let started = now();
    let options = WaitOptions { max_wait_ms: Some(3_000), ..Default::default() };
    let wait = std::pin::pin!(client.wait_for_job(&job.id, &options));
    let give_up = std::pin::pin!(sleep(15_000));
    let result = match futures_util::future::select(wait, give_up).await {
        futures_util::future::Either::Left((result, _)) => result,
        futures_util::future::Either::Right(_) => panic!("the wait had not settled after 15 s"),
    };
    let waited = now() - started;
    assert_eq!(result, Err(Error::Timeout(3_000)));
    assert!((2_900.0..6_000.0).contains(&waited), "settled after {waited} ms");
    let polls: Vec<_> = requests()
        .await
        .split_off(before)
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with(&path))
        .collect();
    assert_eq!(polls.iter().map(|r| r.status).collect::<Vec<_>>(), [200], "one poll, none against the hint");
    let _ = client.delete_job(&job.id).await;
    admin("/admin/reset", "{}").await;
}

/// A JSON answer padded past 16 MiB, chunked (no Content-Length) and sent as `text/plain`, whose
/// end only comes 20 s later: refused as soon as the cap is passed, without waiting for the rest.
#[wasm_bindgen_test]
async fn an_oversized_json_answer_is_refused_while_it_streams() {
    reset().await;
    let (client, job) = finished_job().await;
    let before = requests().await.len();
    admin(
        "/admin/faults",
        &format!(r#"{{"kind":"oversize_body","count":1,"path_contains":"/jobs/{}","latency_ms":20000}}"#, job.id),
    )
    .await;
    let started = now();
    let result = client.get_job(&job.id).await;
    let waited = now() - started;
    let Err(Error::Decode { message, .. }) = &result else { panic!("expected a decode error, got {result:?}") };
    assert!(message.starts_with("response too large: more than 16777216 bytes"), "{message}");
    assert!(waited < 10_000.0, "refused after {waited} ms: it waited for the rest");
    let polls: Vec<_> = requests()
        .await
        .split_off(before)
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with(&job.id))
        .map(|r| r.status)
        .collect();
    assert_eq!(polls, [200], "the padded answer was served, once");
    clear_faults().await;
}
