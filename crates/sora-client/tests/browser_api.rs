//! Every operation, both auth modes, token refresh and image-to-video, in headless Chromium.
#![cfg(target_arch = "wasm32")]

mod browser;

use std::cell::Cell;
use std::rc::Rc;

use browser::{PNG, admin, client, emulator, fast_options, reset, sleep};
use sora_client::{
    Auth, Client, CreateVideoRequest, CreateVideoWithMediaRequest, CropBounds, Error, FailureReason, FetchTransport,
    JobStatus, ListJobsQuery, MediaItem, Quality, Token, VideoSize, WaitOptions,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn request(prompt: &str) -> CreateVideoRequest {
    let mut request = CreateVideoRequest::new("sora", prompt, VideoSize::Square480);
    request.n_seconds = 1;
    request
}

#[wasm_bindgen_test]
async fn every_operation() {
    reset().await;
    let client = client();
    let mut req = request("Two variants of a kite");
    req.n_variants = 2;
    let job = client.create_and_wait(&req, &WaitOptions::default()).await.unwrap();
    assert_eq!(job.generations.len(), 2);
    assert!(job.expires_at.is_some() && job.finished_at.is_some());

    let fetched = client.get_job(&job.id).await.unwrap();
    assert_eq!(fetched.status, JobStatus::Succeeded);
    let generation = client.get_generation(&job.generations[1].id).await.unwrap();
    assert_eq!((generation.job_id.as_str(), generation.width, generation.n_seconds), (job.id.as_str(), 480, 1));

    let high = client.video_content(&generation.id, Quality::High).await.unwrap();
    let low = client.video_content(&generation.id, Quality::Low).await.unwrap();
    assert_eq!(&high[4..8], b"ftyp");
    assert!(low.len() < high.len(), "low {} < high {}", low.len(), high.len());
    assert_eq!(client.video_size(&generation.id, Quality::Low).await.unwrap(), low.len() as u64);
    let thumbnail = client.thumbnail(&generation.id).await.unwrap();
    assert_eq!(&thumbnail[..2], &[0xFF, 0xD8], "a JPEG");

    let succeeded = ListJobsQuery { statuses: vec![JobStatus::Succeeded], ..Default::default() };
    let page = client.list_jobs(&succeeded).await.unwrap();
    assert_eq!(page.data.iter().map(|j| j.id.as_str()).collect::<Vec<_>>(), [job.id.as_str()]);
    let failed = ListJobsQuery { statuses: vec![JobStatus::Failed], ..Default::default() };
    assert!(client.list_jobs(&failed).await.unwrap().data.is_empty());

    client.delete_job(&job.id).await.unwrap();
    assert_eq!(client.get_job(&job.id).await, Err(Error::NotFound { what: "job", id: job.id.clone() }));
    assert!(matches!(client.video_content(&generation.id, Quality::High).await, Err(Error::NotFound { .. })));
}

#[wasm_bindgen_test]
async fn pager_walks_every_page() {
    reset().await;
    let client = client();
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(client.submit_job(&request(&format!("job {i}")), None).await.unwrap().id);
    }
    let mut pager = client.list_all_jobs(ListJobsQuery { limit: 2, ..Default::default() });
    let mut seen = Vec::new();
    while let Some(page) = pager.next_page().await.unwrap() {
        assert!(page.len() <= 2);
        seen.extend(page.into_iter().map(|j| j.id));
    }
    ids.reverse();
    assert_eq!(seen, ids, "newest first, each once");
}

#[wasm_bindgen_test]
async fn failures_are_typed() {
    reset().await;
    let client = client();
    let reasons = [
        ("a harbour blocked-by-moderation", FailureReason::InputModeration),
        ("a harbour __output_moderation__", FailureReason::OutputModeration),
        ("trigger __internal_error__ now", FailureReason::InternalError),
    ];
    for (prompt, expected) in reasons {
        match client.create_and_wait(&request(prompt), &WaitOptions::default()).await {
            Err(Error::JobFailed { reason, .. }) => assert_eq!(reason, Some(expected), "{prompt}"),
            other => panic!("{prompt}: {other:?}"),
        }
    }
    match client.create_and_wait(&request("a harbour __cancelled__"), &WaitOptions::default()).await {
        Err(Error::JobCancelled { job_id }) => {
            assert_eq!(client.get_job(&job_id).await.unwrap().status, JobStatus::Cancelled)
        }
        other => panic!("{other:?}"),
    }
}

/// Refused at create: read by the wasm decoder from the service's wrapped envelope.
#[wasm_bindgen_test]
async fn refusals_at_create_are_recognised() {
    reset().await;
    let client = client();
    let mut unknown = request("A calm lake");
    unknown.model = "no-such-deployment".into();
    match client.create_job(&unknown).await {
        Err(Error::Api(e)) => {
            assert!(e.status == 404 && e.is_unknown_deployment(), "{e:?}");
            assert!(e.message.contains("'no-such-deployment'"), "{}", e.message);
        }
        other => panic!("{other:?}"),
    }
    match client.create_job(&request("A scene of violence in the street, <b>not bold</b>")).await {
        Err(Error::Api(e)) => {
            assert!(e.status == 400 && e.is_content_policy() && !e.is_unknown_deployment(), "{e:?}");
            assert_eq!((e.code.as_deref(), e.param.as_deref()), (Some("content_policy_violation"), Some("prompt")));
            assert_eq!(e.inner_code.as_deref(), Some("ResponsibleAIPolicyViolation"));
            assert_eq!(e.revised_prompt.as_deref(), Some("A scene of in the street, <b>not bold</b>"));
        }
        other => panic!("{other:?}"),
    }
    assert!(client.list_jobs(&ListJobsQuery::default()).await.unwrap().data.is_empty(), "neither made a job");
    let created = client.create_job(&request("A calm lake")).await.unwrap();
    assert_eq!(created.status, JobStatus::Queued, "an accepted create answers queued");
}

#[wasm_bindgen_test]
async fn bearer_token_and_token_refresh() {
    reset().await;
    let bearer = Client::with_options(
        emulator(),
        Auth::Bearer(browser::api_key().into()),
        fast_options(),
        FetchTransport::default(),
    )
    .unwrap();
    bearer.list_jobs(&ListJobsQuery::default()).await.unwrap();

    let calls = Rc::new(Cell::new(0u32));
    let counter = Rc::clone(&calls);
    let provider: sora_client::TokenProvider = Rc::new(move || {
        counter.set(counter.get() + 1);
        Box::pin(async move {
            // Tokens valid for 31 s: the client renews 30 s early, so each lasts about 1 s.
            let minted = admin("/admin/tokens", r#"{"ttl_seconds":31}"#).await;
            let value: serde_json_lite::Minted = serde_json_lite::parse(&minted);
            Ok(Token { value: value.token, expires_at_ms: Some(value.expires_at * 1000) })
        })
    });
    let client =
        Client::with_options(emulator(), Auth::TokenProvider(provider), fast_options(), FetchTransport::default())
            .unwrap();
    client.list_jobs(&ListJobsQuery::default()).await.unwrap();
    client.list_jobs(&ListJobsQuery::default()).await.unwrap();
    assert_eq!(calls.get(), 1, "the token is cached while valid");
    sleep(2_100).await;
    client.list_jobs(&ListJobsQuery::default()).await.unwrap();
    assert_eq!(calls.get(), 2, "renewed before it expired");

    let wrong =
        Client::with_options(emulator(), Auth::Bearer("not-a-token".into()), fast_options(), FetchTransport::default())
            .unwrap();
    assert!(matches!(wrong.list_jobs(&ListJobsQuery::default()).await, Err(Error::Api(e)) if e.status == 401));
}

/// Parses the admin token answer with the same JSON path the library uses.
mod serde_json_lite {
    use sora_client::decode::{Decode, Node};

    pub struct Minted {
        pub token: String,
        pub expires_at: u64,
    }

    impl Decode for Minted {
        fn decode<N: Node>(node: &N) -> Result<Self, String> {
            let token = node.get("token").and_then(|t| t.string()).ok_or("token")?;
            let expires_at = node.get("expires_at").and_then(|t| t.number()).ok_or("expires_at")?;
            Ok(Self { token, expires_at: expires_at as u64 })
        }
    }

    pub fn parse(text: &str) -> Minted {
        sora_client::json::decode(text.as_bytes()).unwrap()
    }
}

#[wasm_bindgen_test]
async fn image_to_video() {
    reset().await;
    let client = client();
    let media = MediaItem {
        file_name: "red.png".into(),
        content_type: "image/png".into(),
        bytes: PNG.to_vec(),
        frame_index: 0,
        crop: CropBounds { left_fraction: 0.25, top_fraction: 0.0, right_fraction: 1.0, bottom_fraction: 0.75 },
    };
    let with_media =
        CreateVideoWithMediaRequest { request: request("The red square opens the video"), media: vec![media] };
    let job = client.create_job_with_media(&with_media).await.unwrap();
    let job = client.wait_for_job(&job.id, &WaitOptions::default()).await.unwrap();
    let thumbnail = client.thumbnail(&job.generations[0].id).await.unwrap();
    assert_eq!(&thumbnail[..2], &[0xFF, 0xD8]);

    let mut bad = with_media.clone();
    bad.media[0].crop.left_fraction = 1.0;
    assert!(matches!(client.create_job_with_media(&bad).await, Err(Error::Validation { field: "crop_bounds", .. })));
    let posts = browser::requests().await.into_iter().filter(|r| r.method == "POST").count();
    assert_eq!(posts, 1, "the invalid request was never sent");
}
