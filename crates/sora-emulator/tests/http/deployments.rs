//! Deployments: `sora` and each `--deployment` are known; any other `model` is the service's 404.

use clap::Parser;
use reqwest::StatusCode;
use serde_json::{Value, json};
use sora_emulator::Config;

use crate::common::{Emu, error_of, image_form, json_of, small};

/// The service's 404 for a deployment that does not exist (DIGEST §6.1), exactly.
pub fn missing_deployment(name: &str) -> Value {
    json!({"error": {
        "message": format!(
            "The API deployment '{name}' for this resource does not exist. If you created the \
             deployment within the last 5 minutes, please wait a moment and try again."
        ),
        "type": "video_generation_user_error",
        "param": null,
        "code": null,
    }})
}

/// A create body for `model`.
fn for_model(model: &str) -> Value {
    let mut body = small("a lighthouse");
    body["model"] = json!(model);
    body
}

#[tokio::test]
async fn an_unknown_model_is_the_services_404() {
    let emu = Emu::shared();
    for model in ["gpt-4o", "Sora", "sora ", "m"] {
        let (status, body) = json_of(emu.create(for_model(model)).await).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{model}: {body}");
        assert_eq!(body, missing_deployment(model), "{model}");
    }
    // Checked before the other fields: a bad size does not hide the missing deployment.
    let mut body = for_model("nope");
    body["width"] = json!(500);
    let (status, body) = json_of(emu.create(body).await).await;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, missing_deployment("nope")));
}

#[tokio::test]
async fn a_multipart_create_is_checked_too() {
    let emu = Emu::shared();
    let (status, body) = emu.create_multipart(image_form("sora-hd", "a dog")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body, missing_deployment("sora-hd"));
}

#[tokio::test]
async fn a_missing_or_malformed_model_stays_a_400() {
    let emu = Emu::shared();
    let mut missing = small("p");
    missing.as_object_mut().unwrap().remove("model");
    for body in [missing, for_model(""), for_model("  "), {
        let mut numeric = small("p");
        numeric["model"] = json!(7);
        numeric
    }] {
        let (status, response) = json_of(emu.create(body.clone()).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {response}");
        assert_eq!(error_of(&response)["param"], "model", "{body}");
    }
}

#[tokio::test]
async fn configured_deployments_are_accepted_besides_sora() {
    let config = Config::try_parse_from([
        "sora-emulator",
        "--speed",
        "200",
        "--rpm",
        "0",
        "--deployment",
        "sora-hd",
        "--deployment",
        "video-eu",
    ])
    .unwrap();
    let emu = Emu::start(config).await;
    for model in ["sora", "sora-hd", "video-eu"] {
        let job = emu.create_ok(for_model(model)).await;
        assert_eq!(job["model"], model);
        emu.wait_terminal(job["id"].as_str().unwrap()).await;
    }
    let (status, body) = json_of(emu.create(for_model("video-us")).await).await;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, missing_deployment("video-us")));
}
