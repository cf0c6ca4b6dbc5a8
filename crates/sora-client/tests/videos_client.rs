//! The Videos API's client over a scripted transport: paths and bodies per protocol, the poll
//! hint, the creates' own budget, failures, pages, and refusals that send nothing.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use std::cell::RefCell;

use sora_client::videos::{ContentVariant, CreateVideo, ListVideosQuery, Order};
use sora_client::{
    Auth, Body, Client, ClientOptions, Error, HttpResponse, JobStatus, ListJobsQuery, Method, Protocol, WaitOptions,
};
use support::{Scripted, block_on};

/// A LiteLLM-style id: base64 with `+`, `/` and `=` padding.
const GATEWAY_ID: &str = "video_bGl0ZWxs+bTpj/dXN0b20==";

fn video(id: &str, status: &str, progress: u32) -> String {
    format!(
        r#"{{"id":"{id}","object":"video","model":"sora-2","status":"{status}","progress":{progress},"created_at":100,"completed_at":null,"prompt":"p","seconds":"4","size":"720x1280","error":null}}"#
    )
}

fn with_hint(body: &str, hint: &str) -> Result<HttpResponse, Error> {
    Ok(HttpResponse {
        status: 200,
        poll_after_ms: Some(hint.into()),
        body: body.as_bytes().to_vec(),
        ..Default::default()
    })
}

fn client<'a>(t: &'a Scripted, protocol: Protocol, endpoint: &str) -> Client<&'a Scripted> {
    Client::with_options(endpoint, Auth::ApiKey("k1".into()), ClientOptions::for_protocol(protocol), t).unwrap()
}

#[test]
fn every_operation_goes_to_its_path_without_an_api_version() {
    let t = Scripted::default();
    for _ in 0..2 {
        t.ok(&video(GATEWAY_ID, "queued", 0));
    }
    t.ok(r#"{"object":"list","data":[],"has_more":false}"#);
    t.ok(r#"{"id":"x","object":"video.deleted","deleted":true}"#);
    t.answer(Ok(HttpResponse { status: 200, body: b"\xFF\xD8\xFFJPEG".to_vec(), ..Default::default() }));
    for _ in 0..3 {
        t.ok(&video("video_2", "queued", 0));
    }
    let c = client(&t, Protocol::AzureVideos, "https://r.openai.azure.com/openai/v1/videos");
    let created = block_on(c.create_video(&CreateVideo::new("sora-2", "a fox"))).unwrap();
    assert_eq!(created.id, GATEWAY_ID, "ids are kept verbatim");
    block_on(c.get_video(GATEWAY_ID)).unwrap();
    let query = ListVideosQuery { limit: 5, after: Some("video_1".into()), order: Order::Asc };
    block_on(c.list_videos(&query)).unwrap();
    assert!(block_on(c.delete_video(GATEWAY_ID)).unwrap().deleted);
    assert_eq!(block_on(c.download_content(GATEWAY_ID, ContentVariant::Thumbnail)).unwrap(), b"\xFF\xD8\xFFJPEG");
    block_on(c.remix_video(GATEWAY_ID, "at night")).unwrap();
    block_on(c.edit_video("video_1", "in colour")).unwrap();
    block_on(c.extend_video("video_1", "and then", 12)).unwrap();
    let base = "https://r.openai.azure.com/openai/v1/videos";
    let encoded = "video_bGl0ZWxs%2BbTpj%2FdXN0b20%3D%3D";
    let expected = [
        (Method::Post, base.to_owned()),
        (Method::Get, format!("{base}/{encoded}")),
        (Method::Get, format!("{base}?limit=5&order=asc&after=video_1")),
        (Method::Delete, format!("{base}/{encoded}")),
        (Method::Get, format!("{base}/{encoded}/content?variant=thumbnail")),
        (Method::Post, format!("{base}/{encoded}/remix")),
        (Method::Post, format!("{base}/edits")),
        (Method::Post, format!("{base}/extensions")),
    ];
    let sent = t.sent.borrow();
    let got: Vec<(Method, String)> = sent.iter().map(|(_, r)| (r.method, r.url.clone())).collect();
    assert_eq!(got, expected);
    assert!(sent.iter().all(|(_, r)| r.headers == vec![("api-key", "k1".to_owned())]));
    assert!(matches!(&sent[0].1.body, Body::Multipart(m) if m.texts.contains(&("prompt", "a fox".into()))));
    let json = |i: usize| match &sent[i].1.body {
        Body::Json(text) => text.clone(),
        other => panic!("request {i} sent {other:?}"),
    };
    assert_eq!(json(5), r#"{"prompt":"at night"}"#);
    assert_eq!(json(6), r#"{"prompt":"in colour","video":{"id":"video_1"}}"#);
    assert_eq!(json(7), r#"{"prompt":"and then","seconds":"12","video":{"id":"video_1"}}"#);
}

#[test]
fn an_openai_compatible_base_is_used_as_given_with_a_bearer_key() {
    let t = Scripted::default();
    t.ok(&video("v", "queued", 0));
    let options = ClientOptions::for_protocol(Protocol::OpenAiVideos);
    let c = Client::with_options("https://gateway.example/llm/v1/", Auth::Bearer("sk-1".into()), options, &t).unwrap();
    block_on(c.get_video("v")).unwrap();
    let sent = t.sent.borrow();
    assert_eq!(sent[0].1.url, "https://gateway.example/llm/v1/videos/v");
    assert_eq!(sent[0].1.headers, vec![("authorization", "Bearer sk-1".to_owned())]);
    drop(sent);
    // A key, too, goes as a bearer token there (on Azure it is the `api-key` header).
    t.ok(&video("v", "queued", 0));
    let options = ClientOptions { creates_per_minute: Some(0), ..ClientOptions::for_protocol(Protocol::OpenAiVideos) };
    let c = Client::with_options("https://gateway.example/v1", Auth::ApiKey("sk-2".into()), options, &t).unwrap();
    block_on(c.get_video("v")).unwrap();
    assert_eq!(t.sent.borrow()[1].1.headers, vec![("authorization", "Bearer sk-2".to_owned())]);
}

#[test]
fn the_other_apis_operations_are_refused_before_sending() {
    let t = Scripted::default();
    let videos = client(&t, Protocol::OpenAiVideos, "http://127.0.0.1:4000");
    let refused = block_on(videos.list_jobs(&ListJobsQuery::default())).unwrap_err();
    assert!(matches!(refused, Error::Validation { field: "protocol", .. }), "{refused}");
    assert!(refused.to_string().contains("speaks the Videos API (openai-videos)"), "{refused}");
    let jobs = Client::new("http://127.0.0.1:4000", Auth::ApiKey("k".into()), &t).unwrap();
    let refused = block_on(jobs.get_video("v")).unwrap_err();
    assert!(refused.to_string().contains("speaks the jobs API (azure-jobs)"), "{refused}");
    let refused = block_on(videos.extend_video("v", "more", 30)).unwrap_err();
    assert_eq!(refused.to_string(), "seconds: must be 4 to 20 seconds to add, not 30");
    let refused = block_on(videos.remix_video("v", " ")).unwrap_err();
    assert!(matches!(refused, Error::Validation { field: "prompt", .. }), "{refused}");
    let query = ListVideosQuery { limit: 101, ..Default::default() };
    assert!(matches!(block_on(videos.list_videos(&query)), Err(Error::Validation { field: "limit", .. })));
    assert!(matches!(block_on(videos.get_video("..")), Err(Error::Validation { field: "video_id", .. })));
    assert!(t.sent.borrow().is_empty());
}

#[test]
fn waiting_sleeps_as_long_as_the_server_hints() {
    let t = Scripted::default();
    t.answer(with_hint(&video("v", "queued", 0), "700"));
    t.answer(with_hint(&video("v", "in_progress", 40), "1500.5"));
    t.answer(with_hint(&video("v", "in_progress", 80), "0"));
    t.answer(with_hint(&video("v", "in_progress", 90), "99999999999"));
    t.ok(&video("v", "completed", 100));
    let c = client(&t, Protocol::OpenAiVideos, "http://127.0.0.1:4000/v1");
    let seen = RefCell::new(Vec::new());
    let report = |p: &sora_client::Progress| seen.borrow_mut().push((p.status.clone(), p.percent));
    let options = WaitOptions { on_progress: Some(&report), ..Default::default() };
    let done = block_on(c.create_video_and_wait(&CreateVideo::new("sora-2", "p"), &options)).unwrap();
    assert_eq!(done.status, JobStatus::Completed);
    // The hint as sent, a fraction rounded up, 0 raised to a floor, a huge one capped at the poll maximum.
    assert_eq!(*t.sleeps.borrow(), vec![700, 1501, 100, 20_000]);
    let percents: Vec<Option<u32>> = seen.borrow().iter().map(|(_, p)| *p).collect();
    assert_eq!(percents, vec![Some(0), Some(40), Some(80), Some(90), Some(100)]);
}

#[test]
fn without_a_hint_polls_are_planned_and_bounded() {
    let t = Scripted::default();
    t.ok(&video("v", "queued", 0));
    for _ in 0..3 {
        t.ok(&video("v", "in_progress", 50));
    }
    t.ok(&video("v", "completed", 100));
    let c = client(&t, Protocol::AzureVideos, "https://r.openai.azure.com");
    block_on(c.wait_for_video("v", &WaitOptions::default())).unwrap();
    let sleeps = t.sleeps.borrow();
    assert_eq!(sleeps.len(), 4);
    assert!(sleeps.iter().all(|ms| (1_000..=20_000).contains(ms)), "{sleeps:?}");
}

#[test]
fn a_failed_video_is_an_error_in_the_servers_words() {
    let t = Scripted::default();
    t.ok(r#"{"id":"v","status":"failed","created_at":1,"error":{"code":"moderation_blocked","message":"Your request was blocked by our moderation system."}}"#);
    let c = client(&t, Protocol::OpenAiVideos, "http://127.0.0.1:4000/v1");
    let error = block_on(c.wait_for_video("v", &WaitOptions::default())).unwrap_err();
    assert_eq!(
        error.to_string(),
        "video v failed: Your request was blocked by our moderation system. (moderation_blocked)"
    );
    t.ok(r#"{"id":"w","status":"failed","created_at":1}"#);
    let error = block_on(c.wait_for_video("w", &WaitOptions::default())).unwrap_err();
    assert_eq!(error, Error::VideoFailed { video_id: "w".into(), code: None, message: None });
}

#[test]
fn a_timeout_ends_the_wait_at_its_deadline() {
    let t = Scripted::default();
    t.answer(with_hint(&video("v", "in_progress", 10), "5000"));
    let c = client(&t, Protocol::OpenAiVideos, "http://127.0.0.1:4000/v1");
    let options = WaitOptions { max_wait_ms: Some(3_000), ..Default::default() };
    assert_eq!(block_on(c.wait_for_video("v", &options)), Err(Error::Timeout(3_000)));
    assert_eq!(*t.sleeps.borrow(), vec![3_000]);
}

#[test]
fn azure_sora_2_creates_are_spaced_to_two_a_minute() {
    let unlimited = ClientOptions { creates_per_minute: Some(0), ..ClientOptions::for_protocol(Protocol::AzureVideos) };
    for (options, expected_sleeps) in [
        (ClientOptions::for_protocol(Protocol::AzureVideos), vec![60_000]),
        (ClientOptions::for_protocol(Protocol::OpenAiVideos), vec![]),
        (unlimited, vec![]),
    ] {
        let t = Scripted::default();
        for _ in 0..3 {
            t.ok(&video("v", "queued", 0));
        }
        let protocol = options.protocol;
        let c = Client::with_options("http://127.0.0.1:4000", Auth::ApiKey("k".into()), options, &t).unwrap();
        for _ in 0..3 {
            block_on(c.create_video(&CreateVideo::new("sora-2", "p"))).unwrap();
        }
        assert_eq!(*t.sleeps.borrow(), expected_sleeps, "{protocol:?}");
    }
}

#[test]
fn gone_videos_and_missing_assets_are_named() {
    let t = Scripted::default();
    let not_found = r#"{"error":{"message":"not here","type":"invalid_request_error","code":"not_found"}}"#;
    t.status(404, not_found).status(404, not_found);
    let c = client(&t, Protocol::OpenAiVideos, "http://127.0.0.1:4000/v1");
    let gone = block_on(c.remix_video("video_9", "again")).unwrap_err();
    assert_eq!(gone, Error::NotFound { what: "video", id: "video_9".into() });
    let none = block_on(c.download_content("video_9", ContentVariant::Spritesheet)).unwrap_err();
    assert_eq!(
        none.to_string(),
        "no spritesheet of video video_9 on this host: it does not make them, or the video was deleted or expired"
    );
    // A gateway that drops `variant` sends the MP4 for a thumbnail: that is no thumbnail.
    t.answer(Ok(HttpResponse { status: 200, body: b"\0\0\0\x18ftypmp42".to_vec(), ..Default::default() }));
    let none = block_on(c.download_content("video_9", ContentVariant::Thumbnail)).unwrap_err();
    assert_eq!(none, Error::NotFound { what: "thumbnail of video", id: "video_9".into() });
    // A create's 404 (an unknown Azure deployment) keeps the server's words.
    t.status(404, not_found);
    let unknown = block_on(c.create_video(&CreateVideo::new("sora-9", "p"))).unwrap_err();
    assert!(matches!(&unknown, Error::Api(api) if api.status == 404 && api.message == "not here"), "{unknown}");
}

#[test]
fn the_pager_walks_videos_by_cursor() {
    let t = Scripted::default();
    let page = |ids: &[&str], more: bool| {
        let data: Vec<String> = ids.iter().map(|id| video(id, "completed", 100)).collect();
        format!(r#"{{"object":"list","data":[{}],"has_more":{more}}}"#, data.join(","))
    };
    t.ok(&page(&["a", "b"], true)).ok(&page(&["c"], false));
    let c = client(&t, Protocol::OpenAiVideos, "http://127.0.0.1:4000/v1");
    let mut pager = c.list_all_videos(ListVideosQuery { limit: 2, ..Default::default() });
    let mut ids = Vec::new();
    while let Some(page) = block_on(pager.next_page()).unwrap() {
        ids.extend(page.into_iter().map(|v| v.id));
    }
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(t.urls()[1], "http://127.0.0.1:4000/v1/videos?limit=2&order=desc&after=b");
}
