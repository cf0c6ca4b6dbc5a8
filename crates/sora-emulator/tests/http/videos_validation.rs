//! Videos API refusals: unknown models per shape, sizes and durations, reference images.

use reqwest::multipart::Part;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sora_emulator::Config;

use crate::common::{Emu, error_of, fast, png};
use crate::videos::{AZURE, OPENAI, call, create, form, send, slow};

/// A named file part of an image type.
fn image_part(bytes: Vec<u8>, name: &str, mime: &str) -> Part {
    Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).unwrap()
}

/// A base64 data URL (standard alphabet, padded).
fn data_url(mime: &str, bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            text.push(if i <= chunk.len() { char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]) } else { '=' });
        }
    }
    format!("data:{mime};base64,{text}")
}

#[tokio::test]
async fn unknown_models_per_shape_and_size_seconds_refusals() {
    let emu = Emu::start(Config { speed: 1.0, deployments: vec!["my-sora".into()], ..fast() }).await;
    let (status, body, _) = send(call(&emu, Method::POST, AZURE).json(&json!({"model": "nope", "prompt": "x"}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let error = &body["error"];
    assert_eq!(
        (error["code"].as_str(), error["type"].as_str()),
        (Some("DeploymentNotFound"), Some("video_generation_user_error"))
    );
    assert!(error["message"].as_str().unwrap().starts_with("The API deployment 'nope' does not exist"), "{body}");
    assert!(error["param"].is_null());
    let (status, body, _) = send(call(&emu, Method::POST, OPENAI).json(&json!({"model": "nope", "prompt": "x"}))).await;
    assert_eq!((status, error_of(&body)["param"].as_str()), (StatusCode::BAD_REQUEST, Some("model")));
    // Azure knows its deployments (sora-2's rules); OpenAI's shape does not.
    create(&emu, AZURE, json!({"model": "my-sora", "prompt": "deployed"})).await;
    let (status, _, _) = send(call(&emu, Method::POST, OPENAI).json(&json!({"model": "my-sora", "prompt": "x"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    create(&emu, OPENAI, json!({"model": "sora-2-pro-2025-10-06", "prompt": "wide", "size": "1792x1024"})).await;
    create(&emu, OPENAI, json!({"model": "sora-2-2025-12-08", "prompt": "dated", "seconds": "8"})).await;
    for (body, param, words) in [
        (json!({"model": "sora-2", "prompt": "x", "size": "1792x1024"}), "size", "720x1280 or 1280x720"),
        (json!({"model": "sora-2-pro", "prompt": "x", "size": "640x480"}), "size", "1024x1792"),
        (json!({"prompt": "x", "seconds": "10"}), "seconds", "4, 8 or 12"),
        (json!({"prompt": "x", "seconds": "four"}), "seconds", "whole number"),
        (json!({"model": "sora-2"}), "prompt", "prompt"),
        (json!({"prompt": "x", "model": ""}), "model", "model"),
    ] {
        let (status, reply, _) = send(call(&emu, Method::POST, OPENAI).json(&body)).await;
        let error = error_of(&reply);
        assert_eq!((status, error["param"].as_str()), (StatusCode::BAD_REQUEST, Some(param)), "{body}");
        assert!(error["message"].as_str().unwrap().contains(words), "{reply}");
    }
}

#[tokio::test]
async fn reference_images_must_be_images_of_the_videos_size() {
    let emu = slow().await;
    let sized = png(720, 1280, [30, 90, 200]);
    let ok = form("sora-2", "from an image", "4", "720x1280")
        .part("input_reference", image_part(sized.clone(), "a.png", "image/png"));
    let (status, body, _) = send(call(&emu, Method::POST, AZURE).multipart(ok)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let json_ok = json!({"prompt": "data url", "input_reference": {"image_url": data_url("image/png", &sized)}});
    create(&emu, OPENAI, json_ok).await;
    // WebP is checked from its header and accepted (its pixels are not used).
    let mut webp = b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f".to_vec();
    webp.extend_from_slice(&(719u32 | 1279 << 14).to_le_bytes());
    let with_webp =
        form("sora-2", "webp", "4", "720x1280").part("input_reference", image_part(webp, "a.webp", "image/webp"));
    assert_eq!(send(call(&emu, Method::POST, AZURE).multipart(with_webp)).await.0, StatusCode::OK);

    let small_png = png(100, 100, [1, 2, 3]);
    let refusals = [
        (
            form("sora-2", "x", "4", "720x1280")
                .part("input_reference", image_part(small_png.clone(), "s.png", "image/png")),
            "100x100",
        ),
        (
            form("sora-2", "x", "4", "1280x720")
                .part("input_reference", image_part(sized.clone(), "t.png", "image/png")),
            "1280x720",
        ),
        (
            form("sora-2", "x", "4", "720x1280")
                .part("input_reference", image_part(sized.clone(), "t.png", "image/jpeg")),
            "image/png",
        ),
        (
            form("sora-2", "x", "4", "720x1280")
                .part("input_reference", image_part(b"GIF89a".to_vec(), "g.gif", "image/gif")),
            "JPEG, PNG or WebP",
        ),
        (form("sora-2", "x", "4", "720x1280").part("input_reference", Part::bytes(sized.clone())), "filename"),
    ];
    for (form, words) in refusals {
        let (status, body, _) = send(call(&emu, Method::POST, OPENAI).multipart(form)).await;
        let error = error_of(&body);
        assert_eq!((status, error["param"].as_str()), (StatusCode::BAD_REQUEST, Some("input_reference")), "{body}");
        assert!(error["message"].as_str().unwrap().contains(words), "{words}: {body}");
    }
    let message = |body: &Value| error_of(body)["message"].as_str().unwrap().to_owned();
    let wrong = json!({"prompt": "x", "input_reference": {"image_url": data_url("image/png", &small_png)}});
    let (status, body, _) = send(call(&emu, Method::POST, AZURE).json(&wrong)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(message(&body).contains("100x100") && message(&body).contains("720x1280"), "{body}");
    let remote = json!({"prompt": "x", "input_reference": {"image_url": "https://example.com/cat.png"}});
    let (status, body, _) = send(call(&emu, Method::POST, AZURE).json(&remote)).await;
    assert_eq!((status, error_of(&body)["param"].as_str()), (StatusCode::BAD_REQUEST, Some("input_reference")));
    assert!(message(&body).contains("cannot fetch image URLs"), "{body}");
}
