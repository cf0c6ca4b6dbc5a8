//! The Videos API's content (real MP4, thumbnail, spritesheet), derived videos (remix, edits,
//! extensions) and persistence across a restart.

use std::io::Cursor;
use std::sync::OnceLock;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sora_emulator::Config;

use crate::common::{Emu, error_of, fast};
use crate::restart::{start, state_path};
use crate::videos::{AZURE, OPENAI, POLL, call, completed, create, finished, id, send, slow};

/// One completed 1280x720 4 s video on the shared emulator, reused by the read-only tests here.
async fn sample(emu: &Emu) -> Value {
    static VIDEO: OnceLock<Value> = OnceLock::new();
    if let Some(video) = VIDEO.get() {
        return video.clone();
    }
    let video = completed(emu, json!({"model": "sora-2", "prompt": "A lighthouse at dusk", "size": "1280x720"})).await;
    VIDEO.get_or_init(|| video).clone()
}

/// Downloads a variant (`""` for the default); returns status, content type and bytes.
async fn download(emu: &Emu, base: &str, video: &str, query: &str) -> (StatusCode, String, Vec<u8>) {
    let response = call(emu, Method::GET, &format!("{base}/{video}/content{query}")).send().await.unwrap();
    let status = response.status();
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

/// Width and height of a JPEG (which must be complete: FF D8 ... FF D9).
fn jpeg_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0xFF, 0xD9]), "not a whole JPEG");
    let image = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg).expect("decodes");
    (image.width(), image.height())
}

#[tokio::test]
async fn content_is_a_real_mp4_thumbnail_and_spritesheet() {
    let emu = Emu::shared();
    let video = id(&sample(&emu).await);
    let (status, kind, mp4) = download(&emu, AZURE, &video, "").await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "video/mp4"));
    assert_eq!(mp4.get(4..8), Some(b"ftyp".as_slice()));
    let reader = mp4::Mp4Reader::read_header(Cursor::new(&mp4), mp4.len() as u64).expect("valid mp4");
    let track = reader.tracks().values().next().expect("a track");
    assert_eq!((track.width(), track.height()), (1280, 720));
    assert!((reader.duration().as_secs_f64() - 4.0).abs() < 0.15);
    assert_eq!(download(&emu, OPENAI, &video, "?variant=video").await.2, mp4, "the same bytes on both shapes");

    let (status, kind, thumbnail) = download(&emu, OPENAI, &video, "?variant=thumbnail").await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "image/jpeg"));
    assert_eq!(jpeg_size(&thumbnail), (1280, 720));
    let (status, kind, sheet) = download(&emu, AZURE, &video, "?variant=spritesheet&api-version=preview").await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "image/jpeg"));
    let (width, height) = jpeg_size(&sheet);
    assert_eq!((width, height), (5 * 320, 180), "a 5x1 grid of quarter-size frames");
    assert!(width > 1280, "wider than one frame");

    let head = call(&emu, Method::HEAD, &format!("{AZURE}/{video}/content")).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()["content-length"].to_str().unwrap(), mp4.len().to_string());
    assert!(head.bytes().await.unwrap().is_empty());
    let ranged =
        call(&emu, Method::GET, &format!("{AZURE}/{video}/content")).header("range", "bytes=0-7").send().await.unwrap();
    assert_eq!(ranged.status(), StatusCode::PARTIAL_CONTENT);
    let (status, body, _) = send(call(&emu, Method::GET, &format!("{AZURE}/{video}/content?variant=gif"))).await;
    assert_eq!((status, error_of(&body)["param"].as_str()), (StatusCode::BAD_REQUEST, Some("variant")));
}

#[tokio::test]
async fn unfinished_content_is_400_and_a_host_without_spritesheets_404s() {
    let emu = slow().await;
    let queued = id(&create(&emu, AZURE, json!({"prompt": "not yet"})).await);
    let (status, body, _) = send(call(&emu, Method::GET, &format!("{AZURE}/{queued}/content"))).await;
    let error = error_of(&body);
    assert_eq!((status, error["code"].as_str()), (StatusCode::BAD_REQUEST, Some("video_not_ready")));
    let message = error["message"].as_str().unwrap();
    assert!(message.contains(&queued) && message.contains("queued"), "{message}");

    let emu = Emu::start(fast()).await;
    let video = id(&completed(&emu, json!({"prompt": "no sheet here"})).await);
    emu.admin(Method::POST, "config", Some(json!({"spritesheets": false}))).await;
    let (status, body, _) =
        send(call(&emu, Method::GET, &format!("{OPENAI}/{video}/content?variant=spritesheet"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(error_of(&body)["message"].as_str().unwrap().contains("no spritesheet"), "{body}");
    assert_eq!(download(&emu, OPENAI, &video, "?variant=thumbnail").await.0, StatusCode::OK);
    emu.admin(Method::POST, "config", Some(json!({"spritesheets": true}))).await;
    let (status, _, sheet) = download(&emu, OPENAI, &video, "?variant=spritesheet").await;
    assert_eq!((status, jpeg_size(&sheet)), (StatusCode::OK, (5 * 180, 320)));
}

#[tokio::test]
async fn remix_edit_and_extend_a_completed_video() {
    let emu = Emu::shared();
    let parent = sample(&emu).await;
    let parent_id = id(&parent);
    let (status, remix, headers) = send(
        call(&emu, Method::POST, &format!("{OPENAI}/{parent_id}/remix")).json(&json!({"prompt": "now in winter"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{remix}");
    assert!(headers.contains_key(POLL));
    assert_ne!(id(&remix), parent_id);
    assert_eq!(remix["remixed_from_video_id"], parent_id.as_str());
    assert_eq!((remix["status"].as_str(), remix["prompt"].as_str()), (Some("queued"), Some("now in winter")));
    for same in ["model", "size", "seconds"] {
        assert_eq!(remix[same], parent[same], "{same}");
    }
    // The remix's frames name its source: they differ from a plain video of the same prompt.
    let remix = finished(&emu, &id(&remix)).await;
    assert_eq!(remix["status"], "completed", "{remix}");
    let plain = completed(&emu, json!({"model": "sora-2", "prompt": "now in winter", "size": "1280x720"})).await;
    let remix_thumb = download(&emu, AZURE, &id(&remix), "?variant=thumbnail").await.2;
    let plain_thumb = download(&emu, AZURE, &id(&plain), "?variant=thumbnail").await.2;
    assert_ne!(remix_thumb, plain_thumb, "the caption is drawn");

    let edit = json!({"prompt": "with snow", "video": {"id": parent_id}});
    let (status, edited, _) = send(call(&emu, Method::POST, &format!("{AZURE}/edits")).json(&edit)).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert!(edited["remixed_from_video_id"].is_null());
    assert_eq!((edited["seconds"].as_str(), edited["size"].as_str()), (Some("4"), Some("1280x720")));
    let extend = json!({"prompt": "and then night", "seconds": "4", "video": {"id": parent_id}});
    let (status, extended, _) = send(call(&emu, Method::POST, &format!("{OPENAI}/extensions")).json(&extend)).await;
    assert_eq!(status, StatusCode::OK, "{extended}");
    assert_eq!(extended["seconds"], "8", "the stitched total: 4 s and 4 s added");
    for seconds in [json!(24), json!("3"), json!(null)] {
        let refused = json!({"prompt": "x", "seconds": seconds, "video": {"id": parent_id}});
        let (status, body, _) = send(call(&emu, Method::POST, &format!("{OPENAI}/extensions")).json(&refused)).await;
        assert_eq!(
            (status, error_of(&body)["param"].as_str()),
            (StatusCode::BAD_REQUEST, Some("seconds")),
            "{seconds}"
        );
    }
    assert_eq!(finished(&emu, &id(&edited)).await["status"], "completed");
    let extended = finished(&emu, &id(&extended)).await;
    let (_, _, mp4) = download(&emu, AZURE, &id(&extended), "").await;
    let reader = mp4::Mp4Reader::read_header(Cursor::new(&mp4), mp4.len() as u64).expect("valid mp4");
    assert!((reader.duration().as_secs_f64() - 8.0).abs() < 0.15);
}

#[tokio::test]
async fn an_uploaded_video_is_edited_and_extended_as_the_sdk_sends_it() {
    let emu = Emu::shared();
    let parent = sample(&emu).await;
    let (_, _, mp4) = download(&emu, OPENAI, &id(&parent), "").await;
    let upload =
        |bytes: Vec<u8>| reqwest::multipart::Part::bytes(bytes).file_name("clip.mp4").mime_str("video/mp4").unwrap();
    let form = reqwest::multipart::Form::new()
        .text("prompt", "and then rain")
        .text("seconds", "4")
        .part("video", upload(mp4.clone()));
    let (status, extended, _) = send(call(&emu, Method::POST, &format!("{OPENAI}/extensions")).multipart(form)).await;
    assert_eq!(status, StatusCode::OK, "{extended}");
    assert_eq!((extended["seconds"].as_str(), extended["size"].as_str()), (Some("8"), Some("1280x720")));
    let form = reqwest::multipart::Form::new().text("prompt", "in black and white").part("video", upload(mp4));
    let (status, edited, _) = send(call(&emu, Method::POST, &format!("{AZURE}/edits")).multipart(form)).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(finished(&emu, &id(&edited)).await["status"], "completed");
    // Not an MP4: a 400 on `video` that does not echo the upload.
    let form = reqwest::multipart::Form::new().text("prompt", "x").part("video", upload(b"SECRET-BYTES".to_vec()));
    let (status, body, _) = send(call(&emu, Method::POST, &format!("{OPENAI}/edits")).multipart(form)).await;
    assert_eq!((status, error_of(&body)["param"].as_str()), (StatusCode::BAD_REQUEST, Some("video")), "{body}");
    assert!(!body.to_string().contains("SECRET"), "{body}");
}

#[tokio::test]
async fn sources_must_be_completed_and_alive() {
    let emu = slow().await;
    let queued = id(&create(&emu, AZURE, json!({"prompt": "still queued"})).await);
    let (status, body, _) =
        send(call(&emu, Method::POST, &format!("{AZURE}/{queued}/remix")).json(&json!({"prompt": "x"}))).await;
    let error = error_of(&body);
    assert_eq!((status, error["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_request")));
    assert!(error["message"].as_str().unwrap().contains("not completed (its status is queued)"), "{body}");
    let edit = json!({"prompt": "x", "video": {"id": queued}});
    let (status, body, _) = send(call(&emu, Method::POST, &format!("{OPENAI}/edits")).json(&edit)).await;
    assert_eq!((status, error_of(&body)["param"].as_str()), (StatusCode::BAD_REQUEST, Some("video")));
    send(call(&emu, Method::DELETE, &format!("{AZURE}/{queued}"))).await;
    for (path, body) in [
        (format!("{AZURE}/{queued}/remix"), json!({"prompt": "x"})),
        (format!("{OPENAI}/video_00000000000000000000000000000000/remix"), json!({"prompt": "x"})),
        (format!("{OPENAI}/extensions"), json!({"prompt": "x", "seconds": 8, "video": {"id": queued}})),
    ] {
        assert_eq!(send(call(&emu, Method::POST, &path).json(&body)).await.0, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn videos_survive_a_restart_with_a_state_file() {
    let path = state_path("videos");
    let path_arg = path.to_str().unwrap().to_owned();
    let first = start("127.0.0.1:0", &["--speed", "200", "--state-file", &path_arg]);
    let parent = completed(&first.emu, json!({"prompt": "kept across restarts", "size": "1280x720"})).await;
    let parent_id = id(&parent);
    let remix = json!({"prompt": "kept remix"});
    let (_, remix, _) = send(call(&first.emu, Method::POST, &format!("{AZURE}/{parent_id}/remix")).json(&remix)).await;
    let remix = finished(&first.emu, &id(&remix)).await;
    let (_, _, before) = download(&first.emu, AZURE, &id(&remix), "").await;
    let addr = first.addr.clone();
    drop(first);

    let second = start(&addr, &["--state-file", &path_arg]);
    let (status, again, _) = send(call(&second.emu, Method::GET, &format!("{OPENAI}/{parent_id}"))).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(
        (again["status"].as_str(), again["completed_at"].clone()),
        (Some("completed"), parent["completed_at"].clone())
    );
    let (_, again, _) = send(call(&second.emu, Method::GET, &format!("{OPENAI}/{}", id(&remix)))).await;
    assert_eq!(again["remixed_from_video_id"], parent_id.as_str());
    let (_, _, after) = download(&second.emu, AZURE, &id(&remix), "").await;
    assert_eq!(after, before, "re-rendered with its caption, byte for byte");
    let (_, jobs) = second.emu.list("").await;
    assert_eq!(jobs["data"], json!([]), "still not a jobs API job");
    drop(second);
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[tokio::test]
async fn a_failed_source_is_not_completed() {
    let emu = Emu::start(Config { speed: 200.0, ..fast() }).await;
    let failed = create(&emu, OPENAI, json!({"prompt": "x __internal_error__"})).await;
    let failed = finished(&emu, &id(&failed)).await;
    assert_eq!((failed["status"].as_str(), failed["error"]["code"].as_str()), (Some("failed"), Some("internal_error")));
    let path = format!("{OPENAI}/{}/remix", id(&failed));
    let (status, body, _) = send(call(&emu, Method::POST, &path).json(&json!({"prompt": "x"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_of(&body)["message"].as_str().unwrap().contains("failed"), "{body}");
}
