//! The Videos API's pure parts: its answers read, its create requests checked against the model
//! table and written, its content variants named.

use sora_client::videos::{ContentVariant, CreateVideo, ReferenceImage, Video, VideoDeleted, VideoList};
use sora_client::{Body, Error, JobStatus, json};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n....";
const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0];
const WEBP: &[u8] = b"RIFF\x10\0\0\0WEBPVP8 ";

fn field(request: &CreateVideo) -> Option<&'static str> {
    match request.validate() {
        Ok(()) => None,
        Err(Error::Validation { field, .. }) => Some(field),
        Err(other) => panic!("not a validation error: {other}"),
    }
}

fn message(request: &CreateVideo) -> String {
    request.validate().unwrap_err().to_string()
}

fn with_file(model: &str, content_type: &str, bytes: &[u8], dimensions: Option<(u32, u32)>) -> CreateVideo {
    let mut request = CreateVideo::new(model, "a paper boat");
    request.size = Some((1280, 720));
    request.input_reference = Some(ReferenceImage::File {
        file_name: "boat.png".into(),
        content_type: content_type.into(),
        bytes: bytes.to_vec(),
        dimensions,
    });
    request
}

#[test]
fn reads_a_video_as_azure_and_openai_write_it() {
    let body = br#"{"id":"video_68f0","object":"video","model":"sora-2","status":"completed","progress":100,
        "created_at":1760000000,"completed_at":1760000090,"expires_at":1760086490,"prompt":"a fox",
        "seconds":"8","size":"1280x720","remixed_from_video_id":null,"error":null,"quality":"standard"}"#;
    let video: Video = json::decode(body).unwrap();
    assert_eq!(video.status, JobStatus::Completed);
    assert!(video.status.is_terminal() && video.status.is_success());
    assert_eq!((video.progress, video.seconds, video.dimensions()), (Some(100), 8, Some((1280, 720))));
    assert_eq!((video.completed_at, video.expires_at), (Some(1760000090), Some(1760086490)));
    assert_eq!(video.remixed_from_video_id, None);
}

#[test]
fn keeps_gateway_ids_and_odd_values_as_they_come() {
    let id = "video_bGl0ZWxsbTpjdXN0b21fbGxtX3Byb3ZpZGVyOm9wZW5haTttb2RlbF9pZDp2aWRlb18x+/==";
    let body = [
        r#"{"id":""#,
        id,
        r#"","status":"in_progress","progress":"soon","seconds":12,"size":"wide","created_at":null,
        "remixed_from_video_id":"video_parent","brand_new":[1]}"#,
    ]
    .concat();
    let video: Video = json::decode(body.as_bytes()).unwrap();
    assert_eq!(video.id, id);
    assert_eq!(video.status, JobStatus::InProgress);
    assert!(!video.status.is_terminal());
    assert_eq!((video.progress, video.seconds, video.dimensions()), (None, 12, None));
    assert_eq!(video.remixed_from_video_id.as_deref(), Some("video_parent"));
    let rising: Video = json::decode(br#"{"id":"v","status":"queued","progress":12.6}"#).unwrap();
    assert_eq!(rising.progress, Some(13));
    let beyond: Video = json::decode(br#"{"id":"v","status":"queued","progress":140}"#).unwrap();
    assert_eq!(beyond.progress, None);
}

#[test]
fn reads_a_failure_as_an_object_or_a_string() {
    let video: Video = json::decode(
        br#"{"id":"v","status":"failed","error":{"code":"moderation_blocked","message":"Your request was blocked.","param":null}}"#,
    )
    .unwrap();
    let error = video.error.unwrap();
    assert_eq!((error.code.as_str(), error.message.as_str()), ("moderation_blocked", "Your request was blocked."));
    let video: Video = json::decode(br#"{"id":"v","status":"failed","error":"upstream timed out"}"#).unwrap();
    assert_eq!(video.error.unwrap().message, "upstream timed out");
    let bad = json::decode::<Video>(br#"{"id":"v","status":"failed","error":[1]}"#).unwrap_err();
    assert!(bad.to_string().contains("`error`: expected an object or a string"), "{bad}");
}

#[test]
fn reads_lists_and_deletions() {
    let list: VideoList = json::decode(
        br#"{"object":"list","data":[{"id":"a","status":"queued"},{"id":"b","status":"completed"}],
            "first_id":"a","last_id":"b","has_more":true}"#,
    )
    .unwrap();
    assert_eq!(list.data.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    assert!(list.has_more);
    assert_eq!(list.last_id.as_deref(), Some("b"));
    let deleted: VideoDeleted = json::decode(br#"{"id":"a","deleted":true,"object":"video.deleted"}"#).unwrap();
    assert_eq!(deleted, VideoDeleted { id: "a".into(), deleted: true });
    assert!(json::decode::<Video>(br#"{"status":"queued"}"#).is_err(), "a video without an id");
}

#[test]
fn every_status_of_both_apis_round_trips() {
    for status in JobStatus::KNOWN.iter().chain(&JobStatus::VIDEOS) {
        assert_eq!(&JobStatus::from_wire(status.as_str()), status);
    }
    let ended: Vec<_> = JobStatus::VIDEOS.iter().filter(|s| s.is_terminal()).map(JobStatus::as_str).collect();
    assert_eq!(ended, ["completed", "failed"]);
    let made: Vec<_> = JobStatus::KNOWN.iter().chain(&JobStatus::VIDEOS).filter(|s| s.is_success()).collect();
    assert_eq!(made, [&JobStatus::Succeeded, &JobStatus::Completed]);
}

#[test]
fn content_variants_are_named_or_refused() {
    for variant in ContentVariant::ALL {
        assert_eq!(ContentVariant::from_name(variant.as_str()).unwrap(), variant);
    }
    let error = ContentVariant::from_name("poster").unwrap_err();
    assert!(matches!(error, Error::Validation { field: "variant", .. }));
    assert_eq!(error.to_string(), "variant: must be video, thumbnail or spritesheet, not \"poster\"");
}

#[test]
fn the_model_table_decides_sizes_and_durations() {
    let mut request = CreateVideo::new("sora-2", "a paper boat");
    assert_eq!(field(&request), None, "server defaults");
    request.size = Some((1792, 1024));
    assert_eq!(message(&request), "size: must be 720x1280 or 1280x720 for sora-2, not 1792x1024");
    request.model = "sora-2-pro-2025-10-06".into();
    assert_eq!(field(&request), None, "pro adds 1792x1024");
    request.seconds = Some(10);
    assert_eq!(message(&request), "seconds: must be 4, 8 or 12 seconds for sora-2-pro-2025-10-06, not 10");
    for seconds in [4, 8, 12] {
        request.seconds = Some(seconds);
        assert_eq!(field(&request), None);
    }
}

#[test]
fn a_model_the_table_does_not_know_gets_free_entry() {
    let mut request = CreateVideo::new("veo-3-fast", "a paper boat");
    request.size = Some((1920, 1080));
    request.seconds = Some(7);
    assert_eq!(field(&request), None);
    request.seconds = Some(0);
    assert_eq!(message(&request), "seconds: must be at least 1 second, not 0");
    request.seconds = None;
    request.size = Some((0, 1080));
    assert_eq!(message(&request), "size: must be at least 1x1, not 0x1080");
    request.size = None;
    request.prompt = "  ".into();
    assert_eq!(field(&request), Some("prompt"));
    request.prompt = "ok".into();
    request.model = String::new();
    assert_eq!(field(&request), Some("model"));
}

#[test]
fn a_reference_image_is_checked_by_type_signature_and_size() {
    assert_eq!(field(&with_file("sora-2", "image/png", PNG, Some((1280, 720)))), None);
    assert_eq!(field(&with_file("sora-2", "image/jpeg", JPEG, None)), None, "size unknown: the server decides");
    assert_eq!(field(&with_file("sora-2", "image/webp", WEBP, Some((1280, 720)))), None);
    assert_eq!(
        message(&with_file("sora-2", "image/png", PNG, Some((800, 600)))),
        "input_reference: 'boat.png' is 800x600; sora-2 needs an image of exactly the video's size, 1280x720"
    );
    assert_eq!(
        message(&with_file("sora-2", "image/gif", b"GIF89a", None)),
        "input_reference: 'boat.png' is not a JPEG, PNG or WebP image"
    );
    assert_eq!(field(&with_file("sora-2", "image/png", JPEG, None)), Some("input_reference"), "claimed PNG, is JPEG");
    assert_eq!(field(&with_file("veo-3", "image/png", PNG, Some((800, 600)))), None, "no size rule for veo-3");
    let mut default_size = with_file("sora-2", "image/png", PNG, Some((1280, 720)));
    default_size.size = None;
    assert_eq!(field(&default_size), Some("input_reference"), "the default size is 720x1280");
    let mut huge = with_file("sora-2", "image/png", PNG, None);
    if let Some(ReferenceImage::File { bytes, .. }) = &mut huge.input_reference {
        bytes.resize(20 * 1024 * 1024 + 1, 0);
    }
    assert!(message(&huge).ends_with("is larger than 20 MB"));
    let mut url = CreateVideo::new("sora-2", "a paper boat");
    url.input_reference = Some(ReferenceImage::Url("https://example.com/a b.png".into()));
    assert_eq!(field(&url), Some("input_reference"));
}

#[test]
fn writes_multipart_with_a_real_file_part_or_json_for_an_image_url() {
    let mut request = with_file("sora-2", "image/png", PNG, Some((1280, 720)));
    request.seconds = Some(8);
    let Body::Multipart(form) = request.to_body().unwrap() else { panic!("expected multipart") };
    let texts: Vec<_> = form.texts.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(texts, [("model", "sora-2"), ("prompt", "a paper boat"), ("seconds", "8"), ("size", "1280x720")]);
    assert_eq!(form.files, [("input_reference", "boat.png".to_owned(), "image/png".to_owned(), PNG.to_vec())]);
    let encoded = String::from_utf8_lossy(&form.encode("B")).into_owned();
    assert!(encoded.contains("name=\"input_reference\"; filename=\"boat.png\"\r\nContent-Type: image/png"));

    let mut by_url = CreateVideo::new("sora-2", "a \"quoted\" boat");
    by_url.input_reference = Some(ReferenceImage::Url("https://example.com/boat.png".into()));
    let Body::Json(text) = by_url.to_body().unwrap() else { panic!("expected JSON") };
    assert_eq!(
        text,
        r#"{"model":"sora-2","prompt":"a \"quoted\" boat","input_reference":{"image_url":"https://example.com/boat.png"}}"#
    );
    let plain = CreateVideo::new("sora-2", "x").to_body().unwrap();
    assert_eq!(
        plain,
        Body::Multipart(sora_client::Multipart {
            texts: vec![("model", "sora-2".into()), ("prompt", "x".into())],
            files: vec![]
        })
    );
    assert!(CreateVideo::new("sora-2", "").to_body().is_err(), "validated before writing");
}
