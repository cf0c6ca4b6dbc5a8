//! Component tests in headless Chromium: pure helpers, the local library, and the mounted app
//! creating and playing a video against the emulator (`SORA_EMULATOR_URL`, set by `cargo xtask test`).

use gloo_net::http::Request;
use leptos::wasm_bindgen::JsCast;
use sora_client::{ApiError, Error, FailureReason, VideoSize};
use sora_studio::format;
use sora_studio::state::{JobRecord, VideoMeta};
use sora_studio::storage;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn emulator() -> Option<&'static str> {
    option_env!("SORA_EMULATOR_URL")
}

async fn sleep(ms: u32) {
    gloo_timers::future::TimeoutFuture::new(ms).await;
}

#[wasm_bindgen_test]
fn size_labels_name_orientation_and_resolution() {
    assert_eq!(format::size_label(VideoSize::Landscape480), "Landscape · 480p (854×480)");
    assert_eq!(format::size_label(VideoSize::Portrait1080), "Portrait · 1080p (1080×1920)");
    assert_eq!(format::size_label(VideoSize::Square720), "Square · 720p (720×720)");
}

#[wasm_bindgen_test]
fn prompt_counts_unicode_scalar_values() {
    assert_eq!(format::prompt_counter("猫".repeat(4000).as_str()), "4000 / 4000 characters");
    assert_eq!(format::prompt_chars("e\u{301}"), 2, "combining marks count, as the service counts them");
    assert!(format::prompt_error(&"猫".repeat(4000)).is_none());
    assert!(format::prompt_error(&"猫".repeat(4001)).is_some_and(|m| m.contains("4001")));
    assert!(format::prompt_error("  ").is_some());
    assert!(
        format::seconds_error(0).is_some()
            && format::seconds_error(20).is_none()
            && format::seconds_error(21).is_some()
    );
    assert!(format::variants_error(VideoSize::Landscape1080, 2).is_some());
    assert!(format::variants_error(VideoSize::Landscape480, 4).is_none());
}

#[wasm_bindgen_test]
fn requests_per_minute_is_a_whole_number_from_1_to_10000() {
    assert_eq!(format::requests_per_minute("60"), Ok(60));
    assert_eq!(format::requests_per_minute(" 1 "), Ok(1));
    assert_eq!(format::requests_per_minute("10000"), Ok(10_000));
    for bad in ["0", "10001", "-5", "1.5", "abc", ""] {
        let message = format::requests_per_minute(bad).expect_err(bad);
        assert!(message.contains("1 to 10,000"), "{bad}: {message}");
    }
}

#[wasm_bindgen_test]
fn download_names_are_sanitised() {
    assert_eq!(format::video_file_name("A red fox in snow", 854, 480, 1), "a-red-fox-in-snow_854x480_v1.mp4");
    assert_eq!(format::video_file_name("../../etc/passwd", 480, 480, 2), "etc-passwd_480x480_v2.mp4");
    assert_eq!(format::video_file_name("猫猫猫", 480, 480, 1), "video_480x480_v1.mp4");
    assert_eq!(
        format::video_file_name("<script>alert(1)</script>", 480, 480, 1),
        "script-alert-1-script_480x480_v1.mp4"
    );
    let long = format::video_file_name(&"word ".repeat(100), 1920, 1080, 1);
    assert!(long.len() < 70, "{long}");
}

#[wasm_bindgen_test]
fn durations_read_well() {
    assert_eq!(format::duration(0.0), "0 s");
    assert_eq!(format::duration(45_400.0), "45 s");
    assert_eq!(format::duration(185_000.0), "3 min 05 s");
    assert_eq!(format::duration(7_800_000.0), "2 h 10 min");
    assert_eq!(format::expiry(Some(100), 101_000.0).as_deref(), Some("Expired on the service"));
}

#[wasm_bindgen_test]
fn byte_counts_round_to_one_decimal() {
    let cases = [
        (0.0, "0 B"),
        (999.0, "999 B"),
        (1000.0, "1 kB"),
        (1499.0, "1 kB"),
        (999_999.0, "1000 kB"),
        (1_000_000.0, "1.0 MB"),
        (1_250_000.0, "1.3 MB"),
        (1_940_000.0, "1.9 MB"),
        (2_500_000_000.0, "2.5 GB"),
        (f64::NAN, "0 B"),
        (-5.0, "0 B"),
        (1e30, "1844674406.4 GB"),
    ];
    for (n, text) in cases {
        assert_eq!(format::bytes(n), text, "{n}");
    }
}

#[wasm_bindgen_test]
fn typed_decimals_read_as_std_reads_them() {
    for text in [
        "0",
        "1",
        "0.25",
        ".5",
        "5.",
        "-0.75",
        "+1",
        " 0.1 ",
        "1e-3",
        "2E2",
        "0.30000000000000004",
        "123456789012345",
        "0e999999",
        "1e400",
    ] {
        assert_eq!(format::decimal(text), text.trim().parse::<f64>().ok(), "{text:?}");
    }
    for text in ["", " ", ".", "-", "e1", "1e", "1.2.3", "0x10", "1,5", "inf", "NaN", "--1"] {
        assert_eq!(format::decimal(text), None, "{text:?}");
    }
}

#[wasm_bindgen_test]
fn errors_are_explained() {
    let api =
        |status, body: &str, retry| Error::Api(Box::new(ApiError::from_response(status, body.as_bytes(), None, retry)));
    let p = format::describe(&api(401, r#"{"error":{"code":"401","message":"Access denied"}}"#, None));
    assert!(p.title.contains("refused") && p.detail.contains("HTTP 401"), "{p:?}");
    let p = format::describe(&api(429, "", Some(1500)));
    assert_eq!(p.retry_after_ms, Some(1500));
    assert!(p.title.contains("busy"));
    let p = format::describe(&api(
        400,
        r#"{"error":{"code":"content_policy_violation","message":"blocked","inner_error":{"code":"ResponsibleAIPolicyViolation","revised_prompt":"a calm street"}}}"#,
        None,
    ));
    assert_eq!(p.revised_prompt.as_deref(), Some("a calm street"));
    assert!(p.title.contains("content policy"));
    let p = format::describe(&Error::JobFailed { job_id: "t".into(), reason: Some(FailureReason::InputModeration) });
    assert!(p.title.contains("content moderation") && p.detail.contains("input_moderation"));
    let p = format::describe(&Error::Network("Failed to fetch".into()));
    assert!(p.detail.contains("CORS"));
}

fn job(id: &str) -> sora_client::VideoGenerationJob {
    let json = format!(
        r#"{{"id":"{id}","status":"succeeded","created_at":1,"prompt":"p","model":"sora","n_variants":1,"n_seconds":5,"width":480,"height":480,"generations":[]}}"#
    );
    sora_client::json::decode(json.as_bytes()).expect("job json")
}

#[wasm_bindgen_test]
async fn library_keeps_jobs_and_videos() {
    storage::clear().await.expect("clear");
    let record = JobRecord::new(job("task_lib"), "http://127.0.0.1".into());
    storage::put_job("task_lib", &record).await.expect("put job");
    let jobs: Vec<JobRecord> = storage::all_jobs().await.expect("jobs");
    assert_eq!(jobs, vec![record.clone()]);
    let meta = VideoMeta {
        generation_id: "gen_1".into(),
        job_id: "task_lib".into(),
        prompt: "p".into(),
        width: 480,
        height: 480,
        n_seconds: 5,
        variant: 1,
        saved_at_ms: 1.0,
        expires_at: None,
        remixed_from: None,
    };
    let video = gloo_file::Blob::new_with_options(&b"\0\0\0\x18ftypmp42"[..], Some("video/mp4"));
    storage::put_video("gen_1", "task_lib", &meta, video.as_ref(), None).await.expect("put video");
    let saved = storage::videos_of_job::<VideoMeta>("task_lib").await.expect("videos");
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].meta, meta);
    assert_eq!(saved[0].video.size(), 12.0);
    assert!(saved[0].thumbnail.is_none());
    let other = VideoMeta { generation_id: "gen_2".into(), job_id: "task_other".into(), ..meta.clone() };
    storage::put_video("gen_2", "task_other", &other, video.as_ref(), Some(video.as_ref())).await.expect("put other");
    storage::delete_job("task_lib").await.expect("delete");
    let left = storage::all_videos::<VideoMeta>().await.expect("all");
    assert_eq!(
        left.iter().map(|v| &v.meta).collect::<Vec<_>>(),
        vec![&other],
        "videos go with their job, and only those"
    );
    assert!(left[0].thumbnail.is_some());
    assert!(storage::all_jobs::<JobRecord>().await.expect("jobs").is_empty());
    storage::delete_video("gen_2").await.expect("delete video");
    assert!(storage::all_videos::<VideoMeta>().await.expect("all").is_empty());
    storage::put_job("task_lib", &record).await.expect("put job");
    storage::clear().await.expect("clear");
    assert!(storage::all_jobs::<JobRecord>().await.expect("jobs").is_empty(), "clear empties the library");
}

#[wasm_bindgen_test]
async fn a_record_the_library_cannot_store_is_refused_with_a_reason() {
    // A function cannot be cloned into IndexedDB: the browser refuses the put itself.
    let record = js_sys::Object::new();
    js_sys::Reflect::set(&record, &"id".into(), &"unstorable".into()).unwrap();
    js_sys::Reflect::set(&record, &"f".into(), &js_sys::Function::new_no_args("return 1")).unwrap();
    let error = storage::put_pending(&record).await.expect_err("a function is not storable");
    assert!(!error.quota && error.message.starts_with("The local library failed: "), "{error:?}");
    // The browser's own error is named.
    assert!(error.message.contains("DataCloneError"), "{error:?}");
    let left = storage::all_pending().await.expect("listed");
    assert!(
        left.iter().all(|p| js_sys::Reflect::get(p, &"id".into()).ok().and_then(|id| id.as_string()).as_deref()
            != Some("unstorable"))
    );
}

#[wasm_bindgen_test]
fn library_errors_say_what_failed() {
    let error = |name: &str, message: &str| {
        let error = js_sys::Error::new(message);
        error.set_name(name);
        storage::StoreError::from(wasm_bindgen::JsValue::from(error))
    };
    let full = error("QuotaExceededError", "The quota has been exceeded.");
    assert!(full.quota && full.message.contains("no room left"), "{full:?}");
    let other = error("VersionError", "The requested version is less than the existing version.");
    assert!(!other.quota, "{other:?}");
    assert_eq!(
        other.message,
        "The local library failed: VersionError: The requested version is less than the existing version."
    );
    let bare = storage::StoreError::from(wasm_bindgen::JsValue::from_str("IndexedDB is disabled"));
    assert_eq!(bare.message, "The local library failed: IndexedDB is disabled");
}

fn query(selector: &str) -> Option<web_sys::Element> {
    leptos::prelude::document().query_selector(selector).ok().flatten()
}

async fn wait_for(selector: &str, seconds: u32) -> web_sys::Element {
    for _ in 0..seconds * 10 {
        if let Some(el) = query(selector) {
            return el;
        }
        sleep(100).await;
    }
    panic!("{selector} did not appear within {seconds} s");
}

fn set_field(input: &web_sys::HtmlInputElement, value: &str) {
    input.set_value(value);
    for kind in ["input", "change"] {
        input.dispatch_event(&web_sys::Event::new(kind).expect("event")).expect("dispatch");
    }
}

/// The Connection panel's "Requests per minute": restored, labelled, validated, saved.
async fn check_requests_per_minute_field() {
    let input: web_sys::HtmlInputElement = wait_for("#requests-per-minute", 10).await.dyn_into().expect("input");
    // Signals update the DOM on the next tick.
    sleep(50).await;
    assert_eq!(input.value(), "120", "restored from localStorage");
    let label = query("label[for=requests-per-minute]").and_then(|l| l.text_content());
    assert_eq!(label.as_deref(), Some("Requests per minute"));
    let described = input.get_attribute("aria-describedby").unwrap_or_default();
    let hint = query("#requests-per-minute-hint").and_then(|h| h.text_content()).unwrap_or_default();
    assert!(described.contains("requests-per-minute-hint") && hint.contains("quota"), "{described}: {hint}");
    let error = || query("[data-testid=requests-per-minute-error]").and_then(|e| e.text_content()).unwrap_or_default();
    let saved = || storage::local_get("sora-studio.requests-per-minute");

    set_field(&input, "0");
    sleep(50).await;
    assert!(error().contains("1 to 10,000"), "{}", error());
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(saved().as_deref(), Some("120"), "a bad value is not used");

    set_field(&input, "600");
    sleep(50).await;
    assert_eq!(error(), "");
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("false"));
    assert_eq!(saved().as_deref(), Some("600"), "saved like the endpoint");
}

/// The Connection panel's endpoint: what the core makes of the text, shown as it is typed.
async fn check_endpoint_field(emulator: &str) {
    let input: web_sys::HtmlInputElement = wait_for("#endpoint", 10).await.dyn_into().expect("input");
    let line = || query("[data-testid=endpoint-in-use]").and_then(|e| e.text_content()).unwrap_or_default();
    let cases = [
        (
            format!(" {emulator}/openai/v1/video/generations/jobs?api-version=v1\n"),
            format!("Requests go to {emulator}/openai/v1 with api-version v1"),
        ),
        ("https://x.openai.azure.com/?api-version=2024-01-01".into(), "it must be preview or v1".into()),
        (emulator.to_owned(), format!("Requests go to {emulator}/openai/v1 with api-version preview")),
    ];
    for (typed, shown) in cases {
        // Typing only (an `input` event): the connection itself changes on `change`.
        input.set_value(&typed);
        input.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
        sleep(50).await;
        assert!(line().contains(&shown), "{typed:?} shows {:?}", line());
        let invalid = input.get_attribute("aria-invalid");
        assert_eq!(invalid.as_deref(), Some(if shown.starts_with("Requests") { "false" } else { "true" }), "{typed:?}");
    }
}

/// A 429 asking for `u64::MAX` ms: the busy banner counts down the capped wait the client takes.
#[wasm_bindgen_test]
async fn a_429s_absurd_hint_shows_the_capped_wait() {
    use leptos::prelude::{GetUntracked, RwSignal};
    use sora_client::{Body, HttpRequest, Method, Transport};
    let url = emulator().expect("build with SORA_EMULATOR_URL set: run `cargo xtask test`");
    let fault = r#"{"kind":"429","count":1,"path_contains":"hint-probe","retry_after_ms":18446744073709551615}"#;
    let token = env!("SORA_EMULATOR_ADMIN_TOKEN", "build with SORA_EMULATOR_ADMIN_TOKEN set: run `cargo xtask test`");
    let queued = Request::post(&format!("{url}/admin/faults"))
        .header("content-type", "application/json")
        .header("x-admin-token", token)
        .body(fault)
        .expect("body");
    assert!(queued.send().await.expect("fault").ok());
    let busy = RwSignal::new(None);
    let transport = sora_studio::api::StudioTransport::new(busy, RwSignal::new(false), None);
    let request = HttpRequest {
        method: Method::Get,
        url: format!("{url}/openai/v1/video/generations/jobs/hint-probe?api-version=preview"),
        headers: vec![("api-key", "emulator-key".into())],
        body: Body::None,
        max_body_bytes: None,
    };
    let response = transport.send(request).await.expect("answer");
    assert_eq!(
        (response.status, response.retry_after_ms.as_deref()),
        (429, Some("18446744073709551615")),
        "the fault was served"
    );
    let wait = busy.get_untracked().expect("busy").until_ms - js_sys::Date::now();
    assert!(wait > 50_000.0 && wait <= 60_000.0, "the banner waits {wait} ms");
}

#[wasm_bindgen_test]
fn learned_timings_survive_a_reload_of_the_store() {
    use sora_client::DurationEstimator;
    use sora_studio::state::{load_timings, save_timings};
    let endpoint = "https://timings.example";
    storage::local_set("sora-studio.timings", None);
    assert_eq!(load_timings(endpoint), None);
    let mut learned = DurationEstimator::default();
    learned.observe(480, 480, 5, 1, 13_000);
    learned.observe(1080, 1080, 5, 1, 34_123);
    save_timings(endpoint, &learned);
    // Read back from localStorage as a new page load reads it: the same sums, the same forecasts.
    let kept = load_timings(endpoint).expect("kept");
    assert_eq!(kept, learned);
    assert_eq!(kept.estimate_ms(720, 720, 5, 1), learned.estimate_ms(720, 720, 5, 1));
    assert_ne!(kept, DurationEstimator::default());
    assert_eq!(load_timings("https://another.example"), None, "another service starts from the guess");
    // Damaged or impossible sums are ignored, not trusted.
    let text = storage::local_get("sora-studio.timings").expect("stored");
    assert!(text.contains("\"n\":2"), "{text}");
    storage::local_set("sora-studio.timings", Some(&text.replace("\"n\":2", "\"n\":-2")));
    assert_eq!(load_timings(endpoint), None);
    storage::local_set("sora-studio.timings", Some("{not json"));
    assert_eq!(load_timings(endpoint), None);
    storage::local_set("sora-studio.timings", None);
}

#[wasm_bindgen_test]
async fn the_app_creates_and_plays_a_video() {
    // Never skip silently: a run without an emulator is a failed run.
    let url = emulator().expect("build with SORA_EMULATOR_URL set: run `cargo xtask test`");
    let token = env!("SORA_EMULATOR_ADMIN_TOKEN", "build with SORA_EMULATOR_ADMIN_TOKEN set: run `cargo xtask test`");
    let reset =
        Request::post(&format!("{url}/admin/reset")).header("x-admin-token", token).send().await.expect("reset");
    assert!(reset.ok());
    storage::clear().await.expect("clear");
    storage::local_set("sora-studio.endpoint", Some(url));
    storage::local_set("sora-studio.requests-per-minute", Some("120"));
    storage::local_set("sora-studio.timings", None);
    sora_studio::mount();
    check_requests_per_minute_field().await;
    check_endpoint_field(url).await;
    let prompt: web_sys::HtmlTextAreaElement = wait_for("#prompt", 10).await.dyn_into().expect("textarea");
    prompt.set_value("A kite over green hills");
    prompt.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
    // Signals update the DOM on the next tick.
    sleep(50).await;
    let count = wait_for("[data-testid=prompt-count]", 2).await;
    assert_eq!(count.text_content().as_deref(), Some("23 / 4000 characters"));
    let button: web_sys::HtmlElement = wait_for("[data-testid=create]", 2).await.dyn_into().expect("button");
    button.click();
    let card = wait_for("[data-testid=job]", 10).await;
    let video: web_sys::HtmlVideoElement = wait_for("[data-testid=job] video", 120).await.dyn_into().expect("video");
    assert!(video.src().starts_with("blob:"), "played from an authenticated download");
    let status = card.query_selector("[data-testid=status]").ok().flatten().and_then(|s| s.text_content());
    assert_eq!(status.as_deref(), Some("Done"));
    // What the client learned from the job is kept for the next page load.
    let learned = sora_studio::state::load_timings(url).expect("timings kept");
    assert_eq!(learned.observations(), 1);
    let link = wait_for("[data-testid=download]", 2).await;
    assert_eq!(link.get_attribute("download").as_deref(), Some("a-kite-over-green-hills_854x480_v1.mp4"));
    // Saved to the library as soon as it was downloaded.
    for _ in 0..50 {
        if !storage::all_videos::<VideoMeta>().await.expect("videos").is_empty() {
            return;
        }
        sleep(100).await;
    }
    panic!("the video was not saved to the library");
}

#[wasm_bindgen_test]
async fn a_saved_submission_reads_back_with_its_image_and_is_recognised_on_the_service() {
    use sora_client::{CreateVideoRequest, CreateVideoWithMediaRequest, CropBounds, MediaItem, VideoGenerationJob};
    use sora_studio::state::{PendingSubmission, Submission};

    let mut request = CreateVideoRequest::new("sora", "A kite over dunes", VideoSize::Landscape480);
    request.n_seconds = 3;
    let crop = CropBounds { left_fraction: 0.1, top_fraction: 0.2, right_fraction: 0.9, bottom_fraction: 0.8 };
    let image = MediaItem {
        file_name: "kite.png".into(),
        content_type: "image/png".into(),
        bytes: vec![137, 80, 78, 71, 0, 255],
        frame_index: 12,
        crop,
    };
    let media = CreateVideoWithMediaRequest { request: request.clone(), media: vec![image.clone()] };
    let pending = PendingSubmission::new("http://127.0.0.1:1/openai/v1".into(), Submission::Media(media));
    storage::put_pending(&pending.to_js()).await.expect("saved");
    let saved = storage::all_pending().await.expect("listed");
    let back = saved.iter().filter_map(PendingSubmission::from_js).find(|p| p.id == pending.id).expect("read back");
    assert!(back.restored, "read back means restored after a reload");
    assert_eq!((back.endpoint.as_str(), back.submitted_ms), (pending.endpoint.as_str(), pending.submitted_ms));
    let Submission::Media(read) = &back.submission else { panic!("the image was lost") };
    assert_eq!(read.request, request);
    assert_eq!(read.media, vec![image]);
    storage::delete_pending(&pending.id).await.expect("deleted");
    let left = storage::all_pending().await.expect("listed");
    assert!(left.iter().filter_map(PendingSubmission::from_js).all(|p| p.id != pending.id));
    assert!(PendingSubmission::from_js(&wasm_bindgen::JsValue::from_str("not a record")).is_none());

    let job = |prompt: &str, width: u32, created_at: i64| -> VideoGenerationJob {
        let text = format!(
            r#"{{"object":"video.generation.job","id":"task_1","status":"queued","created_at":{created_at},"finished_at":null,"expires_at":null,"generations":[],"prompt":"{prompt}","model":"sora","n_variants":1,"n_seconds":3,"height":480,"width":{width}}}"#
        );
        sora_client::json::decode(text.as_bytes()).expect("a job")
    };
    let submitted_s = (pending.submitted_ms / 1000.0) as i64;
    assert!(pending.matches(&job("A kite over dunes", 854, submitted_s + 2)));
    assert!(pending.matches(&job("A kite over dunes", 854, submitted_s - 600)), "the service's clock may be behind");
    assert!(!pending.matches(&job("A kite over dunes", 854, submitted_s - 7200)), "an older job of the same prompt");
    assert!(!pending.matches(&job("A kite over the sea", 854, submitted_s)));
    assert!(!pending.matches(&job("A kite over dunes", 480, submitted_s)));
}

#[wasm_bindgen_test]
async fn a_submission_lock_is_held_until_released() {
    use sora_studio::tabs;
    let name = "sora-studio-test-lock";
    assert!(tabs::claim(name).await, "a free lock is taken");
    assert!(!tabs::claim(name).await, "a held lock is not taken again");
    tabs::release(name);
    // The lock manager frees it once the holder's promise settles.
    sleep(50).await;
    assert!(tabs::claim(name).await, "a released lock is free again");
    tabs::release(name);
}

#[wasm_bindgen_test]
fn spritesheet_grids_are_read_from_the_sheet_and_frame_sizes() {
    // 5 columns of 144x256 tiles (a 720x1280 video at a fifth): one, two and three rows.
    assert_eq!(format::sheet_grid((720, 256), (720, 1280)), Some((5, 1)));
    assert_eq!(format::sheet_grid((720, 768), (720, 1280)), Some((5, 3)));
    // 10 landscape tiles in one row; a single frame.
    assert_eq!(format::sheet_grid((1280, 72), (1280, 720)), Some((10, 1)));
    assert_eq!(format::sheet_grid((128, 72), (1280, 720)), Some((1, 1)));
    // Nothing to read: no grid, no scrubbing.
    assert_eq!(format::sheet_grid((0, 72), (1280, 720)), None);
    assert_eq!(format::sheet_grid((100, 100), (0, 0)), None);
    assert_eq!(format::sheet_grid((1000, 7), (720, 1280)), None, "no whole number of rows");
}

#[wasm_bindgen_test]
fn remixes_sit_under_the_videos_they_remix() {
    use sora_studio::state::remix_tree;
    // Newest first: a remix of a remix, an unrelated video, the remix, the original, an orphan.
    let items = [("c", Some("b")), ("x", None), ("b", Some("a")), ("a", None), ("o", Some("deleted"))];
    assert_eq!(remix_tree(&items), vec![(1, 0), (3, 0), (2, 1), (0, 2), (4, 0)]);
    // A cycle read from damaged storage still shows every item once.
    let cycle = [("p", Some("q")), ("q", Some("p"))];
    let order = remix_tree(&cycle);
    assert_eq!(order.len(), 2);
    assert!(order.iter().any(|(i, _)| *i == 0) && order.iter().any(|(i, _)| *i == 1));
}

#[wasm_bindgen_test]
fn card_details_name_size_length_parent_and_backend() {
    let summary = sora_studio::state::Summary {
        model: "sora-2".into(),
        prompt: "p".into(),
        width: 720,
        height: 1280,
        seconds: 8,
        variants: 1,
        remix_of: Some("video_1".into()),
    };
    assert_eq!(
        format::request_detail(&summary, Some("Azure Sora 2 (Videos API)")),
        "720×1280 · 8 s · remix of video_1 · Azure Sora 2 (Videos API)"
    );
    let defaults =
        sora_studio::state::Summary { width: 0, height: 0, seconds: 0, remix_of: None, variants: 2, ..summary };
    assert_eq!(format::request_detail(&defaults, Some("Azure OpenAI jobs API")), "2 variants");
}
