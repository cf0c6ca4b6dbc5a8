//! Image-to-video creates are bounded: at most 10 inpainting items, at most 2 x 8192² decoded pixels.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::common::{Emu, error_of, png};

/// A 480x480 1 s create with these items and files.
async fn create(emu: &Emu, items: Value, files: Vec<(String, Vec<u8>)>) -> (StatusCode, Value) {
    let mut form = Form::new()
        .text("model", "sora")
        .text("prompt", "bounded")
        .text("width", "480")
        .text("height", "480")
        .text("n_seconds", "1")
        .text("inpaint_items", items.to_string());
    for (name, bytes) in files {
        form = form.part("files", Part::bytes(bytes).file_name(name).mime_str("image/png").unwrap());
    }
    emu.create_multipart(form).await
}

fn item(file_name: &str) -> Value {
    json!({"frame_index": 0, "type": "image", "file_name": file_name})
}

#[tokio::test]
async fn at_most_ten_inpaint_items() {
    let emu = Emu::shared();
    let files = vec![("a.png".to_owned(), png(8, 8, [1, 2, 3]))];
    let (status, job) = create(&emu, Value::Array(vec![item("a.png"); 10]), files.clone()).await;
    assert_eq!(status, StatusCode::OK, "{job}");
    let (status, body) = create(&emu, Value::Array(vec![item("a.png"); 11]), files).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let error = error_of(&body);
    assert_eq!(error["param"], "inpaint_items");
    assert!(error["message"].as_str().unwrap().contains("at most 10"), "{body}");
}

/// A PNG that declares `width` x `height` in its header but carries (almost) no pixel data:
/// enough for the header check, so the test needs no 200 MB image.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut bytes, b"IHDR", &ihdr);
    // The decoder reads the header up to the first IDAT; this one is a bare zlib header.
    chunk(&mut bytes, b"IDAT", &[0x78, 0x9c]);
    chunk(&mut bytes, b"IEND", &[]);
    bytes
}

/// Appends a PNG chunk (length, type, data, CRC).
fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
    let mut typed = kind.to_vec();
    typed.extend_from_slice(data);
    out.extend_from_slice(&typed);
    out.extend_from_slice(&crc32(&typed).to_be_bytes());
}

/// CRC-32 (IEEE), as PNG chunks carry it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[tokio::test]
async fn the_decoded_pixels_of_one_request_are_capped() {
    let emu = Emu::shared();
    let names = ["a.png", "b.png", "c.png"];
    let files: Vec<_> = names.iter().map(|n| ((*n).to_owned(), png_header(8192, 6000))).collect();
    let items = Value::Array(names.iter().map(|n| item(n)).collect());
    let (status, body) = create(&emu, items, files).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let error = error_of(&body);
    assert_eq!(
        (error["param"].as_str(), error["code"].as_str()),
        (Some("inpaint_items"), Some("too_many_pixels")),
        "{body}"
    );
    assert!(error["message"].as_str().unwrap().contains("134217728"), "{body}");
    // One file named by many items counts once: within the cap, so it reaches the decoder, which
    // reports the missing pixel data.
    let files = vec![("a.png".to_owned(), png_header(8192, 6000))];
    let (status, body) = create(&emu, Value::Array(vec![item("a.png"); 10]), files).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(error_of(&body)["code"], "invalid_image", "{body}");
}
