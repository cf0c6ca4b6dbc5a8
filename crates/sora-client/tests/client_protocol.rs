//! The client's requests and its reading of answers, over a scripted transport.

use std::cell::RefCell;
use std::future::Future;

use sora_client::{
    Auth, Client, CreateVideoRequest, Error, HttpRequest, HttpResponse, JobStatus, ListJobsQuery, Method, Quality,
    Transport, VideoSize,
};

/// Answers each request with the next scripted response and records what was sent.
#[derive(Default)]
struct Scripted {
    answers: RefCell<Vec<HttpResponse>>,
    sent: RefCell<Vec<HttpRequest>>,
}

impl Transport for &Scripted {
    fn send(&self, request: HttpRequest) -> impl Future<Output = Result<HttpResponse, Error>> {
        self.sent.borrow_mut().push(request);
        let answer = self.answers.borrow_mut().remove(0);
        std::future::ready(Ok(answer))
    }
}

fn ok(body: &str) -> HttpResponse {
    HttpResponse { status: 200, body: body.as_bytes().to_vec(), ..Default::default() }
}

fn block_on<F: Future>(future: F) -> F::Output {
    // Every scripted future is ready at once, so one poll with a no-op waker completes it.
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(out) => out,
        std::task::Poll::Pending => panic!("scripted future was pending"),
    }
}

const JOB: &str = r#"{"id":"task_1","status":"queued","created_at":1,"prompt":"p","model":"sora","n_variants":1,"n_seconds":5,"width":480,"height":480}"#;

#[test]
fn create_sends_validated_json_with_the_key() {
    let t = Scripted::default();
    t.answers.borrow_mut().push(ok(JOB));
    let client = Client::new("https://res.openai.azure.com/", Auth::ApiKey("k1".into()), &t).unwrap();
    let job = block_on(client.create_job(&CreateVideoRequest::new("sora", "p", VideoSize::Square480))).unwrap();
    assert_eq!(job.status, JobStatus::Queued);
    let sent = t.sent.borrow();
    assert_eq!(sent[0].method, Method::Post);
    assert_eq!(sent[0].url, "https://res.openai.azure.com/openai/v1/video/generations/jobs?api-version=preview");
    assert_eq!(sent[0].headers, vec![("api-key", "k1".to_owned())]);
    assert!(sent[0].json_body.as_deref().unwrap().contains(r#""width":480"#));
}

#[test]
fn invalid_requests_send_nothing() {
    let t = Scripted::default();
    let client = Client::new("https://res.openai.azure.com", Auth::Bearer("tok".into()), &t).unwrap();
    let mut request = CreateVideoRequest::new("sora", "p", VideoSize::Landscape1080);
    request.n_variants = 2;
    assert!(matches!(block_on(client.create_job(&request)), Err(Error::Validation { field: "n_variants", .. })));
    assert!(matches!(block_on(client.get_job("..")), Err(Error::Validation { field: "job_id", .. })));
    let query = ListJobsQuery { limit: 0, ..Default::default() };
    assert!(matches!(block_on(client.list_jobs(&query)), Err(Error::Validation { field: "limit", .. })));
    assert!(t.sent.borrow().is_empty());
}

#[test]
fn bad_credentials_and_endpoints_are_refused_up_front() {
    let t = Scripted::default();
    assert!(matches!(Client::new("https://x.com", Auth::ApiKey(" ".into()), &t), Err(Error::Validation { field: "api_key", .. })));
    assert!(matches!(Client::new("https://x.com", Auth::Bearer("a\nb".into()), &t), Err(Error::Validation { field: "token", .. })));
    assert!(matches!(Client::new("http://x.com", Auth::ApiKey("k".into()), &t), Err(Error::Validation { field: "endpoint", .. })));
    assert_eq!(format!("{:?}", Auth::ApiKey("secret".into())), "ApiKey(<redacted>)");
}

#[test]
fn list_builds_filters_and_bearer_header() {
    let t = Scripted::default();
    t.answers.borrow_mut().push(ok(r#"{"object":"list","data":[],"has_more":false}"#));
    let client = Client::new("http://localhost:9", Auth::Bearer("tok".into()), &t).unwrap().with_api_version("v1");
    let query = ListJobsQuery {
        limit: 5,
        after: Some("task_x".into()),
        statuses: vec![JobStatus::Queued, JobStatus::Running],
        ..Default::default()
    };
    block_on(client.list_jobs(&query)).unwrap();
    let sent = t.sent.borrow();
    assert_eq!(
        sent[0].url,
        "http://localhost:9/openai/v1/video/generations/jobs?api-version=v1&limit=5&after=task_x&statuses=queued%2Crunning"
    );
    assert_eq!(sent[0].headers, vec![("authorization", "Bearer tok".to_owned())]);
}

#[test]
fn error_answers_become_typed_errors() {
    let t = Scripted::default();
    t.answers.borrow_mut().extend([
        HttpResponse { status: 404, body: br#"{"error":{"message":"gone"}}"#.to_vec(), ..Default::default() },
        HttpResponse {
            status: 429,
            request_id: Some("rid".into()),
            retry_after: Some("2".into()),
            body: br#"{"error":{"code":"too_many_requests","message":"Slow down"}}"#.to_vec(),
            ..Default::default()
        },
        HttpResponse { status: 200, content_length: Some(10), body: vec![0; 4], ..Default::default() },
    ]);
    let client = Client::new("http://localhost:9", Auth::ApiKey("k".into()), &t).unwrap();
    assert_eq!(block_on(client.get_job("task_9")), Err(Error::NotFound { what: "job", id: "task_9".into() }));
    match block_on(client.delete_job("task_9")) {
        Err(Error::Api(e)) => {
            assert_eq!((e.status, e.code.as_deref(), e.request_id.as_deref(), e.retry_after_ms), (429, Some("too_many_requests"), Some("rid"), Some(2000)));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(block_on(client.video_content("gen_1", Quality::Low)), Err(Error::Network(m)) if m.contains("4 of 10")));
    assert!(t.sent.borrow()[2].url.ends_with("/gen_1/content/video?api-version=preview&quality=low"));
}
