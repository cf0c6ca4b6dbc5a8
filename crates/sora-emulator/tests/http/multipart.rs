//! Multipart (image-to-video) creates: files, inpaint_items as a JSON string or parts, validation.

use reqwest::multipart::{Form, Part};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{Emu, error_of, generation_id, json_of, png};

/// A form with the scalar fields as text parts.
fn form(prompt: &str) -> Form {
    Form::new()
        .text("model", "sora")
        .text("prompt", prompt.to_owned())
        .text("width", "480")
        .text("height", "480")
        .text("n_seconds", "1")
}

/// A file part.
fn file(name: &str, bytes: Vec<u8>, mime: &str) -> Part {
    Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).unwrap()
}

#[tokio::test]
async fn image_to_video_with_inpaint_items_as_a_json_string() {
    let emu = Emu::shared();
    let items = json!([{"frame_index": 0, "type": "image", "file_name": "dog.png",
        "crop_bounds": {"left_fraction": 0.0, "top_fraction": 0.0, "right_fraction": 0.5, "bottom_fraction": 1.0}}]);
    let request = form("A dog runs")
        .text("inpaint_items", items.to_string())
        .part("files", file("dog.png", png(64, 48, [200, 30, 30]), "image/png"));
    let (status, job) = emu.create_multipart(request).await;
    assert_eq!(status, StatusCode::OK, "{job}");
    assert_eq!(job["inpaint_items"][0]["file_name"], "dog.png");
    assert_eq!(job["inpaint_items"][0]["crop_bounds"]["right_fraction"], 0.5);
    let job = emu.wait_terminal(job["id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    // The image is the opening frame, so the video differs from the same prompt without it.
    let with_image = emu.video(&generation_id(&job)).await;
    let plain = emu.succeeded("A dog runs").await;
    let without = emu.video(&generation_id(&plain)).await;
    assert_ne!(with_image, without);
}

#[tokio::test]
async fn inpaint_items_as_repeated_json_parts_and_files_without_items() {
    let emu = Emu::shared();
    let request = form("two parts")
        .text("inpaint_items", json!({"frame_index": 0, "type": "image", "file_name": "a.png"}).to_string())
        .text("inpaint_items", json!({"frame_index": 5, "type": "image", "file_name": "b.png"}).to_string())
        .part("files", file("a.png", png(8, 8, [0, 0, 255]), "image/png"))
        .part("files", file("b.png", png(8, 8, [0, 255, 0]), "image/png"));
    let (status, job) = emu.create_multipart(request).await;
    assert_eq!(status, StatusCode::OK, "{job}");
    assert_eq!(job["inpaint_items"].as_array().unwrap().len(), 2);
    // A file without inpaint_items becomes the opening image.
    let request = form("no items").part("files", file("c.png", png(8, 8, [9, 9, 9]), "image/png"));
    let (status, job) = emu.create_multipart(request).await;
    assert_eq!(status, StatusCode::OK, "{job}");
    assert_eq!(job["inpaint_items"][0]["file_name"], "c.png");
}

#[tokio::test]
async fn frame_indices_have_no_upper_limit() {
    let emu = Emu::shared();
    // n_seconds 1: frame 1,000,000 lies far past the end; no document caps it, so it is kept.
    let items = json!([{"frame_index": 1_000_000, "type": "image", "file_name": "late.png"}]);
    let request = form("a late image")
        .text("inpaint_items", items.to_string())
        .part("files", file("late.png", png(8, 8, [5, 5, 5]), "image/png"));
    let (status, job) = emu.create_multipart(request).await;
    assert_eq!(status, StatusCode::OK, "{job}");
    assert_eq!(job["inpaint_items"][0]["frame_index"], 1_000_000);
    let job = emu.wait_terminal(job["id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    assert_eq!(job["inpaint_items"][0]["frame_index"], 1_000_000);
}

#[tokio::test]
async fn multipart_validation() {
    let emu = Emu::shared();
    let image = || file("cat.png", png(16, 16, [1, 2, 3]), "image/png");
    let item = |extra: Value| {
        let mut item = json!({"frame_index": 0, "type": "image", "file_name": "cat.png"});
        for (key, value) in extra.as_object().unwrap() {
            item[key] = value.clone();
        }
        json!([item]).to_string()
    };
    let cases: Vec<(&str, Form, &str)> = vec![
        (
            "crop left >= right",
            form("p")
                .text("inpaint_items", item(json!({"crop_bounds": {"left_fraction": 0.6, "right_fraction": 0.4}})))
                .part("files", image()),
            "inpaint_items[0].crop_bounds.right_fraction",
        ),
        (
            "crop top >= bottom",
            form("p")
                .text("inpaint_items", item(json!({"crop_bounds": {"top_fraction": 0.5, "bottom_fraction": 0.5}})))
                .part("files", image()),
            "inpaint_items[0].crop_bounds.bottom_fraction",
        ),
        (
            "crop above 1",
            form("p")
                .text("inpaint_items", item(json!({"crop_bounds": {"right_fraction": 1.5}})))
                .part("files", image()),
            "inpaint_items[0].crop_bounds.right_fraction",
        ),
        (
            "crop below 0",
            form("p")
                .text("inpaint_items", item(json!({"crop_bounds": {"left_fraction": -0.1}})))
                .part("files", image()),
            "inpaint_items[0].crop_bounds.left_fraction",
        ),
        (
            "file name mismatch",
            form("p").text("inpaint_items", item(json!({"file_name": "dog.png"}))).part("files", image()),
            "inpaint_items[0].file_name",
        ),
        (
            "video item",
            form("p").text("inpaint_items", item(json!({"type": "video"}))).part("files", image()),
            "inpaint_items[0].type",
        ),
        (
            "fractional frame index",
            form("p").text("inpaint_items", item(json!({"frame_index": 1.5}))).part("files", image()),
            "inpaint_items[0].frame_index",
        ),
        (
            "negative frame index",
            form("p").text("inpaint_items", item(json!({"frame_index": -1}))).part("files", image()),
            "inpaint_items[0].frame_index",
        ),
        ("inpaint_items not JSON", form("p").text("inpaint_items", "[{oops").part("files", image()), "inpaint_items"),
        (
            "not an image",
            form("p")
                .text("inpaint_items", item(json!({})))
                .part("files", file("cat.png", b"plain text, not a picture".to_vec(), "text/plain")),
            "files",
        ),
        ("no files", form("p"), "files"),
        ("bad width", form("p").text("width", "wide").part("files", image()), "width"),
        (
            "missing prompt",
            Form::new().text("model", "sora").text("width", "480").text("height", "480").part("files", image()),
            "prompt",
        ),
    ];
    for (name, request, param) in cases {
        let (status, body) = emu.create_multipart(request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {body}");
        assert_eq!(error_of(&body)["param"], param, "{name}: {body}");
    }
    // A broken multipart stream is a 400 too.
    let (status, body) = json_of(
        emu.api(Method::POST, "/jobs")
            .header("content-type", "multipart/form-data; boundary=xyz")
            .body("--xyz\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nunterminated")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    error_of(&body);
}
