//! Create-request validation: every rule answers 400 naming its param.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{Emu, error_of, json_of};

/// A valid body with one field replaced (or removed, for `None`).
fn with(field: &str, value: Option<Value>) -> Value {
    let mut body =
        json!({"model": "sora", "prompt": "a red kite", "width": 480, "height": 480, "n_seconds": 1, "n_variants": 1});
    match value {
        Some(value) => body[field] = value,
        None => {
            body.as_object_mut().unwrap().remove(field);
        }
    }
    body
}

#[tokio::test]
async fn each_bad_field_is_a_400_naming_its_param() {
    let emu = Emu::shared();
    let cases: Vec<(&str, Value, &str)> = vec![
        ("missing prompt", with("prompt", None), "prompt"),
        ("null prompt", with("prompt", Some(Value::Null)), "prompt"),
        ("numeric prompt", with("prompt", Some(json!(5))), "prompt"),
        ("empty prompt", with("prompt", Some(json!(""))), "prompt"),
        ("blank prompt", with("prompt", Some(json!("   "))), "prompt"),
        ("long prompt", with("prompt", Some(json!("x".repeat(4001)))), "prompt"),
        ("missing model", with("model", None), "model"),
        ("numeric model", with("model", Some(json!(1))), "model"),
        ("empty model", with("model", Some(json!(""))), "model"),
        ("missing width", with("width", None), "width"),
        ("missing height", with("height", None), "height"),
        ("text width", with("width", Some(json!("wide"))), "width"),
        ("fractional width", with("width", Some(json!(480.5))), "width"),
        ("float width", with("width", Some(json!(480.0))), "width"),
        ("boolean width", with("width", Some(json!(true))), "width"),
        ("null height", with("height", Some(Value::Null)), "height"),
        ("unsupported width", with("width", Some(json!(500))), "width"),
        ("unsupported height", with("height", Some(json!(720))), "height"),
        ("zero seconds", with("n_seconds", Some(json!(0))), "n_seconds"),
        ("21 seconds", with("n_seconds", Some(json!(21))), "n_seconds"),
        ("text seconds", with("n_seconds", Some(json!("five"))), "n_seconds"),
        ("object seconds", with("n_seconds", Some(json!({}))), "n_seconds"),
        ("zero variants", with("n_variants", Some(json!(0))), "n_variants"),
        ("five variants at 480p", with("n_variants", Some(json!(5))), "n_variants"),
        ("array variants", with("n_variants", Some(json!([1]))), "n_variants"),
        (
            "three variants at 720p",
            json!({"model": "sora", "prompt": "p", "width": 1280, "height": 720, "n_variants": 3}),
            "n_variants",
        ),
        (
            "two variants at 1080p",
            json!({"model": "sora", "prompt": "p", "width": 1080, "height": 1920, "n_variants": 2}),
            "n_variants",
        ),
        (
            "inpaint item without a file",
            with("inpaint_items", Some(json!([{"frame_index": 0, "type": "image", "file_name": "a.png"}]))),
            "inpaint_items[0].file_name",
        ),
        (
            "video inpaint item",
            with("inpaint_items", Some(json!([{"frame_index": 0, "type": "video", "file_name": "a.mp4"}]))),
            "inpaint_items[0].type",
        ),
        ("inpaint items not an array", with("inpaint_items", Some(json!(7))), "inpaint_items"),
    ];
    for (name, body, param) in cases {
        let (status, response) = json_of(emu.create(body).await).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {response}");
        assert_eq!(error_of(&response)["param"], param, "{name}: {response}");
    }
}

#[tokio::test]
async fn numbers_as_strings_defaults_and_unknown_fields_are_accepted() {
    let emu = Emu::shared();
    let job = emu
        .create_ok(json!({
            "model": "sora", "prompt": "strings", "width": "854", "height": "480",
            "n_seconds": "1", "n_variants": "2", "something_new": {"ignored": true}
        }))
        .await;
    assert_eq!((job["width"].as_u64(), job["height"].as_u64()), (Some(854), Some(480)));
    assert_eq!((job["n_seconds"].as_u64(), job["n_variants"].as_u64()), (Some(1), Some(2)));
    assert!(job.get("something_new").is_none());
    let job = emu.create_ok(json!({"model": "sora", "prompt": "defaults", "width": 480, "height": 854})).await;
    assert_eq!((job["n_seconds"].as_u64(), job["n_variants"].as_u64()), (Some(5), Some(1)));
    emu.api(Method::DELETE, &format!("/jobs/{}", job["id"].as_str().unwrap())).send().await.unwrap();
}

#[tokio::test]
async fn every_supported_size_and_limit_boundary_is_accepted() {
    // At speed 1 these jobs are deleted long before rendering would start.
    let emu = Emu::start(sora_emulator::Config { max_running: 100, rpm: 0, ..Default::default() }).await;
    for (width, height, variants) in [
        (480, 480, 4),
        (854, 480, 4),
        (480, 854, 4),
        (720, 720, 2),
        (1280, 720, 2),
        (720, 1280, 2),
        (1080, 1080, 1),
        (1920, 1080, 1),
        (1080, 1920, 1),
    ] {
        let job = emu
            .create_ok(json!({"model": "sora", "prompt": "p", "width": width, "height": height, "n_seconds": 20, "n_variants": variants}))
            .await;
        let id = job["id"].as_str().unwrap();
        emu.api(Method::DELETE, &format!("/jobs/{id}")).send().await.unwrap();
    }
    // 4,000 Unicode scalar values are fine even though they are more bytes.
    let job = emu
        .create_ok(json!({"model": "sora", "prompt": "é".repeat(4000), "width": 480, "height": 480, "n_seconds": 1}))
        .await;
    assert_eq!(job["prompt"].as_str().unwrap().chars().count(), 4000);
}

#[tokio::test]
async fn bad_bodies() {
    let emu = Emu::shared();
    let post = || emu.api(Method::POST, "/jobs?api-version=preview");
    let (status, body) =
        json_of(post().header("content-type", "application/json").body("{\"prompt\":").send().await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_of(&body)["code"], "invalid_json");
    let (status, body) =
        json_of(post().header("content-type", "application/json").body("[1,2]").send().await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    error_of(&body);
    let (status, body) = json_of(post().header("content-type", "application/json").send().await.unwrap()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    error_of(&body);
    let (status, body) = json_of(post().header("content-type", "text/plain").body("hello").send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(error_of(&body)["message"].as_str().unwrap().contains("application/json"));
    let huge = format!("{{\"prompt\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let (status, body) =
        json_of(post().header("content-type", "application/json").body(huge).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    error_of(&body);
    // No content type: JSON is assumed.
    let (status, body) = json_of(
        post()
            .body(json!({"model": "sora", "prompt": "p", "width": 480, "height": 480, "n_seconds": 1}).to_string())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}
