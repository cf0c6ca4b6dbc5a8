//! Content-policy refusals at create (`--blocklist`) and the flat error form (`--flat-errors`).

use clap::Parser;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sora_emulator::Config;

use crate::common::{ADMIN_TOKEN, Emu, fast, ids, image_form, json_of, small};
use crate::deployments::missing_deployment;

/// The service's refusal message.
const REFUSED: &str = "Your request was rejected as a result of our safety system. Your prompt \
                       may contain content that is not allowed by our safety system.";

/// The flat refusal object for `revised_prompt` and the categories hit.
fn refusal(revised_prompt: &str, categories: &[&str]) -> Value {
    let details: serde_json::Map<String, Value> =
        categories.iter().map(|c| ((*c).to_owned(), json!({"filtered": true, "severity": "high"}))).collect();
    json!({
        "code": "content_policy_violation",
        "message": REFUSED,
        "param": "prompt",
        "type": "video_generation_user_error",
        "inner_error": {
            "code": "ResponsibleAIPolicyViolation",
            "revised_prompt": revised_prompt,
            "error_details": details,
        },
    })
}

/// An emulator started with these extra flags (fast, no rate limit).
async fn with_flags(flags: &[&str]) -> Emu {
    let mut args = vec!["sora-emulator", "--speed", "200", "--rpm", "0"];
    args.extend_from_slice(flags);
    args.extend_from_slice(&["--admin-token", ADMIN_TOKEN]);
    Emu::start(Config::try_parse_from(args).expect("flags")).await
}

#[tokio::test]
async fn default_blocklist_refuses_violence_and_gore() {
    let emu = Emu::start(fast()).await;
    let cases = [
        ("Graphic VIOLENCE in the streets", "Graphic in the streets", vec!["violence"]),
        ("some  gore,\tand Violence  ", "some , and", vec!["violence", "gore"]),
        ("violence", "", vec!["violence"]),
    ];
    for (prompt, revised, categories) in cases {
        let (status, body) = json_of(emu.create(small(prompt)).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{prompt}: {body}");
        assert_eq!(body, json!({"error": refusal(revised, &categories)}), "{prompt}");
    }
    let (_, list) = emu.list("").await;
    assert!(ids(&list).is_empty(), "a refused create makes no job: {list}");
}

#[tokio::test]
async fn refusal_comes_after_the_deployment_check_and_validation() {
    let emu = Emu::shared();
    let mut body = small("violence");
    body["model"] = json!("elsewhere");
    let (status, response) = json_of(emu.create(body).await).await;
    assert_eq!((status, response), (StatusCode::NOT_FOUND, missing_deployment("elsewhere")));
    let mut body = small("violence");
    body["n_seconds"] = json!(99);
    let (status, response) = json_of(emu.create(body).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(response["error"]["param"], "n_seconds", "{response}");
}

#[tokio::test]
async fn multipart_creates_are_refused_too() {
    let emu = Emu::shared();
    let (status, body) = emu.create_multipart(image_form("sora", "a gore scene")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body, json!({"error": refusal("a scene", &["gore"])}));
}

#[tokio::test]
async fn a_configured_blocklist_replaces_the_default() {
    let emu = with_flags(&["--blocklist", "Kraken", "--blocklist", "sea monster"]).await;
    let job = emu.create_ok(small("violence at sea")).await;
    assert_eq!(job["status"], "queued");
    let (status, body) = json_of(emu.create(small("A KRAKEN and a Sea Monster")).await).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body, json!({"error": refusal("A and a", &["kraken", "sea monster"])}));
}

#[tokio::test]
async fn flat_errors_unwrap_every_error_body() {
    let emu = with_flags(&["--flat-errors"]).await;
    let (status, body) = json_of(emu.create(small("violence")).await).await;
    assert_eq!((status, body), (StatusCode::BAD_REQUEST, refusal("", &["violence"])));
    let mut unknown = small("p");
    unknown["model"] = json!("nope");
    let (status, body) = json_of(emu.create(unknown).await).await;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, missing_deployment("nope")["error"].clone()));
    let (status, body) = json_of(emu.api(Method::GET, "/jobs?api-version=latest").send().await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"code": "BadRequest", "param": "api-version", "type": "invalid_request_error",
               "message": "Unsupported api-version 'latest'. Use preview or v1, or leave it out."})
    );
    // Errors from the gate, handlers, the router and admin: all flat, none wrapped.
    emu.fault(json!({"kind": "503", "count": 1})).await;
    let cases = [
        (emu.api(Method::GET, "/jobs"), StatusCode::SERVICE_UNAVAILABLE),
        (emu.api(Method::GET, "/jobs/task_nope"), StatusCode::NOT_FOUND),
        (emu.api(Method::PUT, "/jobs"), StatusCode::METHOD_NOT_ALLOWED),
        (emu.api(Method::GET, "/jobs?limit=0"), StatusCode::BAD_REQUEST),
        (emu.client.get(emu.url("/openai/v1/video/generations/jobs")), StatusCode::UNAUTHORIZED),
        (emu.client.get(emu.url("/admin/config")), StatusCode::UNAUTHORIZED),
    ];
    for (request, expected) in cases {
        let (status, body) = json_of(request.send().await.unwrap()).await;
        assert_eq!(status, expected, "{body}");
        assert!(body.get("error").is_none(), "wrapped: {body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    }
    // Successful answers are unchanged.
    let job = emu.create_ok(small("a calm lake")).await;
    assert_eq!(job["object"], "video.generation.job");
}
