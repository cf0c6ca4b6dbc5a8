//! Hostile input, natively over a scripted transport: ids that try to leave their path segment,
//! huge and deeply nested bodies, wrong types everywhere, prompt lengths at the limit, endpoints that
//! are not what they seem, and a key that must never reach a URL.

#![cfg(not(target_arch = "wasm32"))]

mod support;

use sora_client::{
    Auth, Client, CreateVideoRequest, Endpoint, Error, HttpResponse, ListJobsQuery, MAX_PROMPT_CHARS, Method,
    Multipart, Quality, VideoGeneration, VideoGenerationJob, VideoGenerationJobList, VideoSize, json,
};
use support::{Scripted, block_on, job};

const BASE: &str = "https://res.openai.azure.com/openai/v1";
const KEY: &str = "sk-hostile-test-key-0123456789";

fn client(t: &Scripted) -> Client<&Scripted> {
    Client::new("https://res.openai.azure.com", Auth::ApiKey(KEY.into()), t).unwrap()
}

/// Percent-encode every byte but RFC 3986 unreserved characters (an independent reference).
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn hostile_ids() -> Vec<String> {
    let mut ids: Vec<String> = [
        "a/b",
        "../../admin",
        "../x",
        "./x",
        "...",
        "x/..",
        "?api-version=evil",
        "x?y=1&z=2",
        "#fragment",
        "x#y",
        "%2e%2e",
        "%2F",
        "a b\tc",
        "\\..\\x",
        "é🦊猫",
        "\u{202e}gen_1",
        "nul\0byte",
        "line\r\nX-Injected: 1",
        "task_01;x=1",
        "@evil.com",
        "//evil.com/x",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    ids.push("x".repeat(10 * 1024));
    ids.push("/".repeat(10 * 1024));
    ids.push("é".repeat(5 * 1024));
    ids
}

/// Every id goes into exactly one path segment, percent-encoded, in every operation that takes one.
#[test]
fn ids_are_always_percent_encoded_into_one_path_segment() {
    for id in hostile_ids() {
        let t = Scripted::default();
        let c = client(&t);
        t.ok(&job("task_1", "running", 1));
        block_on(c.get_job(&id)).unwrap();
        t.answer(Ok(HttpResponse { status: 204, ..Default::default() }));
        block_on(c.delete_job(&id)).unwrap();
        t.ok(r#"{"id":"gen_1","width":480,"height":480}"#);
        block_on(c.get_generation(&id)).unwrap();
        t.ok("mp4 bytes");
        block_on(c.video_content(&id, Quality::Low)).unwrap();
        t.ok("jpeg bytes");
        block_on(c.thumbnail(&id)).unwrap();
        t.answer(Ok(HttpResponse { status: 200, content_length: Some(9), ..Default::default() }));
        assert_eq!(block_on(c.video_size(&id, Quality::High)).unwrap(), 9);

        let e = encoded(&id);
        let expected = [
            format!("{BASE}/video/generations/jobs/{e}?api-version=preview"),
            format!("{BASE}/video/generations/jobs/{e}?api-version=preview"),
            format!("{BASE}/video/generations/{e}?api-version=preview"),
            format!("{BASE}/video/generations/{e}/content/video?api-version=preview&quality=low"),
            format!("{BASE}/video/generations/{e}/content/thumbnail?api-version=preview"),
            format!("{BASE}/video/generations/{e}/content/video?api-version=preview&quality=high"),
        ];
        let urls = t.urls();
        assert_eq!(urls, expected, "id {:?}", id.chars().take(40).collect::<String>());
        for url in &urls {
            assert_eq!(url.matches('?').count(), 1, "{url}");
            assert!(!url.contains(['#', ' ', '\r', '\n', '\0', '\\']), "{url}");
            assert!(url.is_ascii(), "{url}");
            assert!(!url.contains(KEY));
        }
        let methods: Vec<Method> = t.sent.borrow().iter().map(|(_, r)| r.method).collect();
        assert_eq!(methods, [Method::Get, Method::Delete, Method::Get, Method::Get, Method::Get, Method::Head]);
    }
}

/// `.` and `..` are dot-segments that URL parsers remove even when they stand alone: refused, and
/// nothing is sent. (Encoded forms like `%2e%2e` are sent as `%252e%252e`, see above.)
#[test]
fn dot_segments_and_empty_ids_are_refused_before_sending() {
    let t = Scripted::default();
    let c = client(&t);
    for id in ["", ".", ".."] {
        assert!(matches!(block_on(c.get_job(id)), Err(Error::Validation { field: "job_id", .. })), "{id:?}");
        assert!(matches!(block_on(c.delete_job(id)), Err(Error::Validation { field: "job_id", .. })));
        assert!(matches!(block_on(c.get_generation(id)), Err(Error::Validation { field: "generation_id", .. })));
        assert!(matches!(block_on(c.video_content(id, Quality::High)), Err(Error::Validation { .. })));
        assert!(matches!(block_on(c.thumbnail(id)), Err(Error::Validation { .. })));
        assert!(matches!(block_on(c.video_size(id, Quality::High)), Err(Error::Validation { .. })));
    }
    assert!(t.sent.borrow().is_empty());
}

/// List cursors are query values: `&`, `=`, `#` and the like stay inside them.
#[test]
fn list_cursors_cannot_add_query_parameters() {
    let t = Scripted::default();
    let c = client(&t);
    t.ok(r#"{"data":[],"has_more":false}"#);
    let query = ListJobsQuery {
        limit: 5,
        before: Some("x&api-key=stolen#y".into()),
        after: Some("a=b&api-version=2099-01-01".into()),
        statuses: vec![],
    };
    block_on(c.list_jobs(&query)).unwrap();
    assert_eq!(
        t.urls(),
        [format!(
            "{BASE}/video/generations/jobs?api-version=preview&limit=5&before=x%26api-key%3Dstolen%23y&after=a%3Db%26api-version%3D2099-01-01"
        )]
    );
}

/// The key travels in the `api-key` header only; a bearer token in `authorization` only.
#[test]
fn credentials_travel_only_in_headers() {
    let t = Scripted::default();
    let c = client(&t);
    t.ok(&job("task_1", "queued", 1)).ok(&job("task_1", "queued", 1)).ok(r#"{"data":[]}"#);
    block_on(c.create_job(&CreateVideoRequest::new("sora", "a fox", VideoSize::Square480))).unwrap();
    block_on(c.get_job("task_1")).unwrap();
    block_on(c.list_jobs(&ListJobsQuery::default())).unwrap();
    for (_, request) in t.sent.borrow().iter() {
        assert!(!request.url.contains(KEY) && !request.url.contains("api-key"), "{}", request.url);
        assert_eq!(request.headers, [("api-key", KEY.to_owned())]);
        if let sora_client::Body::Json(body) = &request.body {
            assert!(!body.contains(KEY));
        }
    }
    let token = "eyJhbGciOiJub25lIn0.hostile.token";
    let t = Scripted::default();
    let c = Client::new("https://res.openai.azure.com", Auth::Bearer(token.into()), &t).unwrap();
    t.ok(&job("task_1", "queued", 1));
    block_on(c.get_job("task_1")).unwrap();
    let sent = t.sent.borrow();
    assert!(!sent[0].1.url.contains(token));
    assert_eq!(sent[0].1.headers, [("authorization", format!("Bearer {token}"))]);
    // Debug output of the client redacts the secret.
    assert!(!format!("{c:?}").contains(token));
}

fn generation(i: usize) -> String {
    format!(
        r#"{{"id":"gen_{i}","job_id":"task_1","created_at":1,"width":480,"height":480,"n_seconds":5,"prompt":"p"}}"#
    )
}

fn job_with_generations(count: usize) -> String {
    let generations: Vec<String> = (0..count).map(generation).collect();
    format!(r#"{{"id":"task_1","status":"succeeded","created_at":1,"generations":[{}]}}"#, generations.join(","))
}

#[test]
fn a_job_with_100k_generations_parses() {
    let body = job_with_generations(100_000);
    assert!(body.len() < json::MAX_BODY_BYTES as usize, "{} bytes", body.len());
    let parsed: VideoGenerationJob = json::decode(body.as_bytes()).unwrap();
    assert_eq!(parsed.generations.len(), 100_000);
    assert_eq!(parsed.generations[99_999].id, "gen_99999");

    let t = Scripted::default();
    t.ok(&body);
    let fetched = block_on(client(&t).get_job("task_1")).unwrap();
    assert_eq!(fetched.generations.len(), 100_000);
}

#[test]
fn huge_arrays_of_the_wrong_thing_fail_cleanly() {
    // 100k entries whose 99,999th is broken: one clean error, the snippet bounded.
    let mut generations: Vec<String> = (0..100_000).map(generation).collect();
    generations[99_998] = r#"{"id":5}"#.into();
    let body = format!(r#"{{"id":"task_1","status":"succeeded","generations":[{}]}}"#, generations.join(","));
    match json::decode::<VideoGenerationJob>(body.as_bytes()) {
        Err(Error::Decode { message, snippet }) => {
            assert!(message.contains("`generations`"), "{message}");
            assert!(snippet.chars().count() <= 201 && body.starts_with(snippet.trim_end_matches('…')));
        }
        other => panic!("{other:?}"),
    }
    // 100k numbers where objects belong.
    let numbers = vec!["1"; 100_000].join(",");
    let body = format!(r#"{{"data":[{numbers}],"has_more":true}}"#);
    assert!(matches!(json::decode::<VideoGenerationJobList>(body.as_bytes()), Err(Error::Decode { .. })));
}

fn decode_error(body: &str) -> (String, String) {
    match json::decode::<VideoGenerationJob>(body.as_bytes()) {
        Err(Error::Decode { message, snippet }) => (message, snippet),
        other => panic!("{body} gave {other:?}"),
    }
}

/// Every field of a job with a value of the wrong type is a decode error that shows the body.
#[test]
fn wrong_types_in_every_field_are_decode_errors_with_a_snippet() {
    let valid = serde_json::json!({
        "id": "task_1", "status": "succeeded", "created_at": 1, "finished_at": 2, "expires_at": 3,
        "generations": [{"id": "gen_1", "job_id": "task_1", "created_at": 1, "width": 480, "height": 480, "n_seconds": 5, "prompt": "p"}],
        "prompt": "p", "model": "sora", "n_variants": 1, "n_seconds": 5, "height": 480, "width": 480,
        "failure_reason": "internal_error"
    });
    json::decode::<VideoGenerationJob>(valid.to_string().as_bytes()).expect("the valid job parses");
    let strings = ["id", "status", "prompt", "model", "failure_reason"];
    let integers = ["created_at", "finished_at", "expires_at", "n_variants", "n_seconds", "height", "width"];
    let wrong_for_strings =
        [serde_json::json!(5), serde_json::json!(true), serde_json::json!([]), serde_json::json!({"a": 1})];
    let wrong_for_integers = [
        serde_json::json!("five"),
        serde_json::json!(true),
        serde_json::json!([1]),
        serde_json::json!({"n": 1}),
        serde_json::json!(1.5),
        serde_json::json!(-1),
        serde_json::json!(1e300),
    ];
    let mut checked = 0;
    let mut check = |body: String| {
        let (message, snippet) = decode_error(&body);
        assert!(!message.is_empty());
        assert!(snippet.chars().count() <= 201, "{snippet}");
        assert!(body.starts_with(snippet.trim_end_matches('…')), "{snippet} is not the start of {body}");
        let shown = Error::Decode { message, snippet: snippet.clone() }.to_string();
        assert!(
            shown.starts_with("unreadable response (") && shown.ends_with(&format!("body starts with: {snippet}")),
            "{shown}"
        );
        checked += 1;
    };
    for field in strings {
        for wrong in &wrong_for_strings {
            let mut job = valid.clone();
            job[field] = wrong.clone();
            check(job.to_string());
        }
    }
    for field in integers {
        for wrong in &wrong_for_integers {
            // created_at (i64) and the timestamps take -1; the u32 fields do not.
            if *wrong == serde_json::json!(-1) && ["created_at", "finished_at", "expires_at"].contains(&field) {
                continue;
            }
            let mut job = valid.clone();
            job[field] = wrong.clone();
            check(job.to_string());
        }
    }
    for wrong in [
        serde_json::json!("gen_1"),
        serde_json::json!(5),
        serde_json::json!({"id": "gen_1"}),
        serde_json::json!([5]),
        serde_json::json!([null]),
    ] {
        let mut job = valid.clone();
        job["generations"] = wrong;
        check(job.to_string());
    }
    for field in ["id", "job_id", "prompt"] {
        for wrong in &wrong_for_strings {
            let mut job = valid.clone();
            job["generations"][0][field] = wrong.clone();
            check(job.to_string());
        }
    }
    for field in ["created_at", "width", "height", "n_seconds"] {
        for wrong in &wrong_for_integers[..5] {
            let mut job = valid.clone();
            job["generations"][0][field] = wrong.clone();
            check(job.to_string());
        }
    }
    // Required fields missing, and bodies that are not a job at all.
    for body in [r#"{"status":"queued"}"#, r#"{"id":"task_1"}"#, "[]", "null", "\"task_1\"", "42", "", "{", "<html>"] {
        check(body.to_owned());
    }
    assert!(checked > 100, "{checked}");

    // Over the client: a decode error is not retried and names the body.
    let t = Scripted::default();
    t.ok(r#"{"id":"task_1","status":7}"#).ok(&job("task_1", "queued", 1));
    match block_on(client(&t).get_job("task_1")) {
        Err(Error::Decode { snippet, .. }) => assert_eq!(snippet, r#"{"id":"task_1","status":7}"#),
        other => panic!("{other:?}"),
    }
    assert_eq!(t.sent.borrow().len(), 1);
}

/// 100,000 `[` (or `{"a":`) are an error, never a stack overflow, wherever they appear: serde_json
/// stops recursing at 128 levels (the browser's `JSON.parse` reads them; see `browser_security.rs`).
#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let arrays = "[".repeat(depth);
    let objects = r#"{"a":"#.repeat(depth);
    for body in [arrays.clone(), objects.clone(), format!("{arrays}{}", "]".repeat(depth))] {
        let (message, snippet) = decode_error(&body);
        assert!(
            ["recursion limit exceeded", "invalid type", "EOF while parsing"].iter().any(|m| message.contains(m)),
            "{message}"
        );
        assert!(snippet.chars().count() <= 201);
        assert!(matches!(json::decode::<VideoGenerationJobList>(body.as_bytes()), Err(Error::Decode { .. })));
        assert!(matches!(json::decode::<VideoGeneration>(body.as_bytes()), Err(Error::Decode { .. })));
    }
    // The limit itself, on a type that follows the nesting.
    let error = serde_json::from_str::<serde_json::Value>(&arrays).unwrap_err();
    assert!(error.to_string().starts_with("recursion limit exceeded"), "{error}");
    // The body is parsed whole before it is read, so nesting in an unknown field counts too.
    let balanced = format!("{arrays}{}", "]".repeat(depth));
    let in_unknown_field = format!(r#"{{"id":"task_1","status":"queued","extra":{balanced}}}"#);
    assert!(decode_error(&in_unknown_field).0.starts_with("recursion limit exceeded"));
    // 100 levels are fine.
    let fine = format!(r#"{{"id":"task_1","status":"queued","extra":{}{}}}"#, "[".repeat(100), "]".repeat(100));
    json::decode::<VideoGenerationJob>(fine.as_bytes()).unwrap();

    // Error envelopes too deep to read: the message is the bounded fallback.
    for body in [
        format!(r#"{{"error":{{"code":{balanced},"message":"deep"}}}}"#),
        format!(r#"{{"error":{balanced}}}"#),
        format!(r#"{{"message":{balanced}}}"#),
        format!(r#"{{"inner_error":{{"code":{balanced}}}}}"#),
        arrays.clone(),
    ] {
        let error = sora_client::ApiError::from_response(400, body.as_bytes(), None, None);
        assert!(error.message.starts_with("the service rejected the request"), "{}", error.message);
        assert!(error.message.chars().count() < 300);
    }
}

#[test]
fn prompts_are_counted_in_unicode_scalar_values() {
    assert_eq!(MAX_PROMPT_CHARS, 4000);
    // (unit, scalar values per unit): ASCII, 2-byte, 3-byte, 4-byte (2 UTF-16 units), and a
    // combining sequence that looks like one character but is two scalar values.
    for (unit, per_unit) in [("a", 1), ("é", 1), ("猫", 1), ("🦊", 1), ("e\u{301}", 2), ("👩\u{200d}🚀", 3)] {
        let fits = unit.repeat(4000 / per_unit) + &"x".repeat(4000 % per_unit);
        let over = format!("{fits}y");
        assert_eq!(fits.chars().count(), 4000);
        let ok = CreateVideoRequest::new("sora", fits.clone(), VideoSize::Square480);
        assert_eq!(ok.validate(), Ok(()), "{unit}");
        match CreateVideoRequest::new("sora", over, VideoSize::Square480).validate() {
            Err(Error::Validation { field: "prompt", message }) => {
                assert!(message.contains("4001 characters"), "{message}")
            }
            other => panic!("{unit}: {other:?}"),
        }
        // Sent, the 4,000 fit intact; the 4,001 are never sent.
        let t = Scripted::default();
        t.ok(&job("task_1", "queued", 1));
        block_on(client(&t).create_job(&ok)).unwrap();
        let sent = t.sent.borrow();
        let sora_client::Body::Json(body) = &sent[0].1.body else { panic!("not JSON") };
        let value: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(value["prompt"].as_str(), Some(fits.as_str()));
    }
    let t = Scripted::default();
    let over = CreateVideoRequest::new("sora", "🦊".repeat(4001), VideoSize::Square480);
    assert!(matches!(block_on(client(&t).create_job(&over)), Err(Error::Validation { field: "prompt", .. })));
    assert!(t.sent.borrow().is_empty());
}

fn endpoint_error(input: &str) -> String {
    match Endpoint::parse(input) {
        Err(Error::Validation { field: "endpoint", message }) => message,
        other => panic!("{input:?} gave {other:?}"),
    }
}

#[test]
fn endpoints_that_are_not_https_urls_are_refused() {
    let cases = [
        ("", "must be a URL"),
        ("res.openai.azure.com", "must be a URL"),
        ("//res.openai.azure.com", "must be a URL"),
        ("javascript:alert(1)", "must be a URL that starts with https://"),
        ("data:text/html,x", "must be a URL"),
        ("file:///etc/passwd", "https://"),
        ("ftp://res.openai.azure.com", "https://"),
        ("wss://res.openai.azure.com", "https://"),
        // Plain http anywhere but this machine.
        ("http://res.openai.azure.com", "only for localhost"),
        ("http://10.0.0.1", "only for localhost"),
        ("http://192.168.1.20:8787", "only for localhost"),
        ("http://0.0.0.0:8787", "only for localhost"),
        ("http://127.0.0.1.nip.io", "only for localhost"),
        ("http://localhost.evil.com", "only for localhost"),
        ("http://evil.com/localhost", "only for localhost"),
        ("http://[::ffff:127.0.0.1]", "only for localhost"),
        ("http://[fe80::1]", "only for localhost"),
        // Undocumented api versions, unknown query parameters, fragments and credentials.
        ("https://res.openai.azure.com/?api-version=2024-01-01", "preview or v1"),
        ("https://res.openai.azure.com/openai/v1?api-key=x", "query"),
        ("https://res.openai.azure.com#frag", "fragment"),
        ("https://user:pass@res.openai.azure.com", "credentials"),
        ("https://res.openai.azure.com@evil.com", "credentials"),
        ("http://localhost@evil.com", "credentials"),
        // Hosts and ports that are not what they seem.
        ("https://", "must be a URL such as https://"),
        ("https://:443", "must be a URL such as https://"),
        ("https://res openai.com", "spaces"),
        ("https://xn--a.example", "must be a URL such as https://"),
        ("http://[::1]evil.com", "must be a URL such as https://"),
        ("http://[::1", "must be a URL such as https://"),
        ("http://[]:80", "must be a URL such as https://"),
        ("http://localhost:80x", "must be a URL such as https://"),
        ("http://localhost:99999", "must be a URL such as https://"),
        ("https://res.openai.azure.com/a b", "spaces"),
        ("https://res.openai.azure.com/a\nb", "spaces"),
    ];
    for (input, expected) in cases {
        let message = endpoint_error(input);
        assert!(message.contains(expected), "{input:?}: {message}");
        // Nothing is built, so nothing can be sent.
        assert!(Client::new(input, Auth::ApiKey(KEY.into()), &Scripted::default()).is_err());
    }
}

#[test]
fn endpoints_with_paths_are_kept_and_loopback_may_use_http() {
    let cases = [
        ("https://res.openai.azure.com/custom/path", "https://res.openai.azure.com/custom/path/openai/v1"),
        ("https://gw.example.com/proxy/openai/", "https://gw.example.com/proxy/openai/v1"),
        // As the WHATWG URL standard (and so every browser) reads them: dot segments resolved, the
        // default port dropped, IPv4 shorthand and percent-encoded host names decoded, `\` read as `/`.
        ("https://gw.example.com:8443/a/../b", "https://gw.example.com:8443/b/openai/v1"),
        ("https://RES.OpenAI.Azure.com:443/", "https://res.openai.azure.com/openai/v1"),
        ("https:/res.openai.azure.com", "https://res.openai.azure.com/openai/v1"),
        ("https://res%2eopenai.azure.com", "https://res.openai.azure.com/openai/v1"),
        ("https://res.openai.azure.com\\@evil.com", "https://res.openai.azure.com/@evil.com/openai/v1"),
        ("https://evil.com\\.res.openai.azure.com", "https://evil.com/.res.openai.azure.com/openai/v1"),
        ("http://2130706433", "http://127.0.0.1/openai/v1"),
        ("http://127.1", "http://127.0.0.1/openai/v1"),
        ("http://127.0.0.1:8787", "http://127.0.0.1:8787/openai/v1"),
        ("http://127.10.20.30", "http://127.10.20.30/openai/v1"),
        ("http://localhost:", "http://localhost/openai/v1"),
        ("http://studio.localhost:8787", "http://studio.localhost:8787/openai/v1"),
        ("http://[::1]:8787/", "http://[::1]:8787/openai/v1"),
    ];
    for (input, expected) in cases {
        assert_eq!(Endpoint::parse(input).unwrap().as_str(), expected, "{input}");
    }
    // A path endpoint still builds URLs under it, the id still in one segment.
    let t = Scripted::default();
    let c = Client::new("https://gw.example.com/proxy", Auth::ApiKey(KEY.into()), &t).unwrap();
    t.ok(&job("task_1", "queued", 1));
    block_on(c.get_job("../../../other")).unwrap();
    assert_eq!(
        t.urls(),
        ["https://gw.example.com/proxy/openai/v1/video/generations/jobs/..%2F..%2F..%2Fother?api-version=preview"]
    );
}

const MB: usize = 1024 * 1024;

fn too_large(result: Result<impl std::fmt::Debug, Error>) -> (String, String) {
    match result {
        Err(Error::Decode { message, snippet }) => {
            assert!(message.starts_with("response too large"), "{message}");
            assert!(snippet.chars().count() <= 201, "{} chars", snippet.chars().count());
            (message, snippet)
        }
        other => panic!("expected a too-large error, got {other:?}"),
    }
}

/// A 50 MB body where JSON is expected is refused with a clear, bounded error: by its
/// Content-Length when announced, by its size otherwise. Downloads are not limited.
#[test]
fn a_50_mb_json_body_is_refused_clearly() {
    let huge_json = format!(r#"{{"id":"task_1","status":"queued","prompt":"{}"}}"#, "a".repeat(50 * MB));
    let huge_answer = |t: &Scripted, announce: bool| {
        t.answer(Ok(HttpResponse {
            status: 200,
            content_length: announce.then_some(huge_json.len() as u64),
            body: huge_json.clone().into_bytes(),
            ..Default::default()
        }));
    };
    for announce in [true, false] {
        let t = Scripted::default();
        let c = client(&t);
        huge_answer(&t, announce);
        let (message, snippet) = too_large(block_on(c.get_job("task_1")));
        assert!(message.contains(&huge_json.len().to_string()), "{message}");
        assert!(snippet.starts_with(r#"{"id":"task_1","status":"queued","prompt":"aaaa"#));
        huge_answer(&t, announce);
        too_large(block_on(c.list_jobs(&ListJobsQuery::default())));
        huge_answer(&t, announce);
        too_large(block_on(c.get_generation("gen_1")));
        huge_answer(&t, announce);
        too_large(block_on(c.create_job(&CreateVideoRequest::new("sora", "p", VideoSize::Square480))));
        // Not retried: the service answered, and will answer the same.
        assert_eq!(t.sent.borrow().len(), 4);
    }
    // Announced as huge, whatever arrived.
    let t = Scripted::default();
    t.answer(Ok(HttpResponse {
        status: 200,
        content_length: Some(50 * MB as u64),
        body: job("task_1", "queued", 1).into_bytes(),
        ..Default::default()
    }));
    too_large(block_on(client(&t).get_job("task_1")));
    // 50 MB of non-JSON bytes: the error message stays short.
    let t = Scripted::default();
    t.answer(Ok(HttpResponse { status: 200, body: vec![0xFF; 50 * MB], ..Default::default() }));
    let (message, snippet) = too_large(block_on(client(&t).get_job("task_1")));
    assert!(message.len() < 200 && snippet.chars().all(|c| c == '\u{FFFD}' || c == '…'));

    // The limit itself: exactly MAX_BODY_BYTES parses, one more byte does not.
    let max = json::MAX_BODY_BYTES as usize;
    let head = r#"{"id":"task_1","status":"queued","prompt":""#;
    let at_limit = format!("{head}{}\"}}", "a".repeat(max - head.len() - 2));
    assert_eq!(at_limit.len(), max);
    assert_eq!(json::decode::<VideoGenerationJob>(at_limit.as_bytes()).unwrap().prompt.len(), max - head.len() - 2);
    let over = format!("{at_limit} ");
    too_large(json::decode::<VideoGenerationJob>(over.as_bytes()));

    // A 50 MB error answer becomes a short error message, not 50 MB of text.
    let t = Scripted::default();
    t.answer(Ok(HttpResponse { status: 400, body: huge_json.clone().into_bytes(), ..Default::default() }));
    match block_on(client(&t).get_job("task_1")) {
        Err(Error::Api(api)) => assert!(api.message.len() < 400, "{} bytes", api.message.len()),
        other => panic!("{other:?}"),
    }

    // Videos are not JSON: a 50 MB download is fine.
    let t = Scripted::default();
    t.answer(Ok(HttpResponse {
        status: 200,
        content_length: Some(50 * MB as u64),
        body: vec![7; 50 * MB],
        ..Default::default()
    }));
    assert_eq!(block_on(client(&t).video_content("gen_1", Quality::High)).unwrap().len(), 50 * MB);
}

/// Regressions found by the fuzz targets (crates/sora-client/fuzz).
#[test]
fn fuzz_regressions() {
    // endpoint_url: text after an IPv6 host was taken for a port and never checked.
    assert!(endpoint_error("http://[::1]\u{1}8787").contains("control characters"));
    // parse_errors: a year of 11 digits overflowed the date arithmetic (a panic in debug builds).
    let date_ms = |value: &str| {
        let response = HttpResponse { retry_after: Some(value.into()), ..Default::default() };
        sora_client::requested_wait_ms(&response, 0, u64::MAX)
    };
    assert_eq!(date_ms("Sun, 05 Nov 19946655555 08:04:49 GMT"), None);
    assert_eq!(date_ms("Fri, 31 Dec 9999 23:59:59 GMT"), Some(253_402_300_799_000));
    // multipart: a content type with CR LF added header lines to its part.
    let multipart = Multipart {
        texts: vec![],
        files: vec![("files", "a\".png".into(), "image/png\r\nX-Injected: 1\r\n\r\nfake".into(), b"\x89PNG".to_vec())],
    };
    let encoded = String::from_utf8_lossy(&multipart.encode("B")).into_owned();
    assert_eq!(
        encoded,
        "--B\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a_.png\"\r\nContent-Type: image/png__X-Injected: 1____fake\r\n\r\n\u{FFFD}PNG\r\n--B--\r\n"
    );
}
