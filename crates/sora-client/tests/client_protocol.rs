//! The client's requests and its reading of answers, over a scripted transport.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use sora_client::{
    Auth, Client, CreateVideoRequest, Error, HttpResponse, JobStatus, ListJobsQuery, Method, Quality, VideoSize,
};
use support::{Scripted, block_on, job};

#[test]
fn create_sends_validated_json_with_the_key() {
    let t = Scripted::default();
    t.ok(&job("task_1", "queued", 1));
    let client = Client::new("https://res.openai.azure.com/", Auth::ApiKey("k1".into()), &t).unwrap();
    let created = block_on(client.create_job(&CreateVideoRequest::new("sora", "p", VideoSize::Square480))).unwrap();
    assert_eq!(created.status, JobStatus::Queued);
    let sent = t.sent.borrow();
    let request = &sent[0].1;
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.url, "https://res.openai.azure.com/openai/v1/video/generations/jobs?api-version=preview");
    assert_eq!(request.headers, vec![("api-key", "k1".to_owned())]);
    assert!(matches!(&request.body, sora_client::Body::Json(json) if json.contains(r#""width":480"#)));
}

#[test]
fn invalid_requests_send_nothing() {
    let t = Scripted::default();
    let client = Client::new("https://res.openai.azure.com", Auth::Bearer("tok".into()), &t).unwrap();
    let mut request = CreateVideoRequest::new("sora", "p", VideoSize::Landscape1080);
    request.n_variants = 2;
    assert!(matches!(block_on(client.create_job(&request)), Err(Error::Validation { field: "n_variants", .. })));
    assert!(matches!(block_on(client.get_job("..")), Err(Error::Validation { field: "job_id", .. })));
    assert!(matches!(
        block_on(client.video_content("", Quality::High)),
        Err(Error::Validation { field: "generation_id", .. })
    ));
    let query = ListJobsQuery { limit: 0, ..Default::default() };
    assert!(matches!(block_on(client.list_jobs(&query)), Err(Error::Validation { field: "limit", .. })));
    assert!(t.sent.borrow().is_empty());
}

#[test]
fn bad_credentials_and_endpoints_are_refused_up_front() {
    let t = Scripted::default();
    assert!(matches!(
        Client::new("https://x.com", Auth::ApiKey(" ".into()), &t),
        Err(Error::Validation { field: "api_key", .. })
    ));
    assert!(matches!(
        Client::new("https://x.com", Auth::Bearer("a\nb".into()), &t),
        Err(Error::Validation { field: "token", .. })
    ));
    assert!(matches!(
        Client::new("http://x.com", Auth::ApiKey("k".into()), &t),
        Err(Error::Validation { field: "endpoint", .. })
    ));
    assert_eq!(format!("{:?}", Auth::ApiKey("secret".into())), "ApiKey(<redacted>)");
}

#[test]
fn list_builds_filters_and_bearer_header() {
    let t = Scripted::default();
    t.ok(r#"{"object":"list","data":[],"has_more":false}"#);
    let options = sora_client::ClientOptions { api_version: "v1".into(), ..Default::default() };
    let client = Client::with_options("http://localhost:9", Auth::Bearer("tok".into()), options, &t).unwrap();
    let query = ListJobsQuery {
        limit: 5,
        after: Some("task_x".into()),
        statuses: vec![JobStatus::Queued, JobStatus::Running],
        ..Default::default()
    };
    block_on(client.list_jobs(&query)).unwrap();
    assert_eq!(
        t.urls()[0],
        "http://localhost:9/openai/v1/video/generations/jobs?api-version=v1&limit=5&after=task_x&statuses=queued%2Crunning"
    );
    assert_eq!(t.sent.borrow()[0].1.headers, vec![("authorization", "Bearer tok".to_owned())]);
}

#[test]
fn hostile_ids_stay_inside_their_segment() {
    let t = Scripted::default();
    t.status(404, "");
    let client = Client::new("http://localhost:9", Auth::ApiKey("k".into()), &t).unwrap();
    let id = "../../admin?x=1#frag/ü";
    assert_eq!(block_on(client.get_job(id)), Err(Error::NotFound { what: "job", id: id.into() }));
    assert_eq!(
        t.urls()[0],
        "http://localhost:9/openai/v1/video/generations/jobs/..%2F..%2Fadmin%3Fx%3D1%23frag%2F%C3%BC?api-version=preview"
    );
}

#[test]
fn error_answers_become_typed_errors() {
    let t = Scripted::default();
    t.status(404, r#"{"error":{"message":"gone"}}"#);
    t.answer(Ok(HttpResponse {
        status: 400,
        request_id: Some("rid".into()),
        body: br#"{"error":{"code":"invalid","message":"Bad","param":"job-id"}}"#.to_vec(),
        ..Default::default()
    }));
    let client = Client::new("http://localhost:9", Auth::ApiKey("k".into()), &t).unwrap();
    assert_eq!(block_on(client.get_job("task_9")), Err(Error::NotFound { what: "job", id: "task_9".into() }));
    match block_on(client.delete_job("task_9")) {
        Err(Error::Api(e)) => {
            assert_eq!(
                (e.status, e.code.as_deref(), e.param.as_deref(), e.request_id.as_deref()),
                (400, Some("invalid"), Some("job-id"), Some("rid"))
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn pager_follows_cursors_and_stops() {
    let t = Scripted::default();
    t.ok(&format!(
        r#"{{"object":"list","data":[{},{}],"has_more":true,"first_id":"task_3","last_id":"task_2"}}"#,
        job("task_3", "queued", 3),
        job("task_2", "queued", 2)
    ));
    t.ok(&format!(
        r#"{{"object":"list","data":[{}],"has_more":false,"first_id":"task_1","last_id":"task_1"}}"#,
        job("task_1", "failed", 1)
    ));
    let client = Client::new("http://localhost:9", Auth::ApiKey("k".into()), &t).unwrap();
    let mut pager = client.list_all_jobs(ListJobsQuery { limit: 2, ..Default::default() });
    let first = block_on(pager.next_page()).unwrap().unwrap();
    let second = block_on(pager.next_page()).unwrap().unwrap();
    assert_eq!(block_on(pager.next_page()).unwrap(), None);
    let ids: Vec<_> = first.iter().chain(&second).map(|j| j.id.as_str()).collect();
    assert_eq!(ids, ["task_3", "task_2", "task_1"]);
    assert!(t.urls()[1].ends_with("&limit=2&after=task_2"));
    assert_eq!(t.sent.borrow().len(), 2);
}
