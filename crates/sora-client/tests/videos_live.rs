//! The Videos API against the real emulator, in both shapes: Azure Sora 2 (`/openai/v1/videos`)
//! and an OpenAI-compatible base (`/v1/videos`).
#![cfg(not(target_arch = "wasm32"))]

mod live;

use std::cell::RefCell;

use live::{Emulator, run};
use sora_client::videos::{ContentVariant, CreateVideo, ListVideosQuery, ReferenceImage};
use sora_client::{Error, JobStatus, Progress, Protocol, WaitOptions};

const SHAPES: [Protocol; 2] = [Protocol::AzureVideos, Protocol::OpenAiVideos];

fn request(prompt: &str) -> CreateVideo {
    let mut request = CreateVideo::new("sora-2", prompt);
    request.seconds = Some(4);
    request.size = Some((720, 1280));
    request
}

/// Width and height of a whole JPEG (SOI … EOI), from its frame header.
fn jpeg_size(jpeg: &[u8]) -> Option<(u32, u32)> {
    if !jpeg.starts_with(&[0xFF, 0xD8]) || !jpeg.ends_with(&[0xFF, 0xD9]) {
        return None;
    }
    let mut at = 2;
    while at + 9 < jpeg.len() {
        let (marker, length) = (jpeg[at + 1], usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]])));
        if matches!(marker, 0xC0..=0xC3) {
            let height = u16::from_be_bytes([jpeg[at + 5], jpeg[at + 6]]);
            let width = u16::from_be_bytes([jpeg[at + 7], jpeg[at + 8]]);
            return Some((width.into(), height.into()));
        }
        at += 2 + length;
    }
    None
}

#[test]
fn create_wait_download_remix_list_and_delete_in_both_shapes() {
    for protocol in SHAPES {
        run(async {
            let client = Emulator::wrapped().client_for(protocol);
            let seen = RefCell::new(Vec::new());
            let report = |p: &Progress| seen.borrow_mut().push((p.status.clone(), p.percent));
            let options = WaitOptions { on_progress: Some(&report), ..Default::default() };
            let video = client.create_video_and_wait(&request("A paper boat on a pond"), &options).await.unwrap();
            assert_eq!((video.status.clone(), video.progress, video.seconds), (JobStatus::Completed, Some(100), 4));
            assert_eq!(video.dimensions(), Some((720, 1280)));
            assert!(video.expires_at.is_some_and(|at| at > video.created_at), "{video:?}");
            let percents: Vec<u32> = seen.borrow().iter().filter_map(|(_, p)| *p).collect();
            assert!(percents.windows(2).all(|w| w[0] <= w[1]), "progress went back: {percents:?}");
            assert_eq!(percents.last(), Some(&100), "{protocol:?}");

            let mp4 = client.download_content(&video.id, ContentVariant::Video).await.unwrap();
            assert_eq!(&mp4[4..8], b"ftyp", "{protocol:?}");
            let thumbnail = client.download_content(&video.id, ContentVariant::Thumbnail).await.unwrap();
            let sheet = client.download_content(&video.id, ContentVariant::Spritesheet).await.unwrap();
            assert_eq!(jpeg_size(&thumbnail), Some((720, 1280)), "{protocol:?}");
            let (width, height) = jpeg_size(&sheet).expect("the spritesheet is a JPEG");
            // A row of several portrait frames: far wider for its height than one frame.
            assert!(width * 1280 >= 2 * 720 * height, "{width}x{height} is not a grid of frames");

            let remix = client.remix_video(&video.id, "The same boat at night").await.unwrap();
            assert_eq!(remix.remixed_from_video_id.as_deref(), Some(video.id.as_str()));
            let remix = client.wait_for_video(&remix.id, &WaitOptions::default()).await.unwrap();
            assert_eq!((remix.prompt.as_str(), remix.status), ("The same boat at night", JobStatus::Completed));

            let mut pager = client.list_all_videos(ListVideosQuery { limit: 1, ..Default::default() });
            let mut listed = Vec::new();
            while let Some(page) = pager.next_page().await.unwrap() {
                assert!(page.len() <= 1);
                listed.extend(page.into_iter().map(|v| v.id));
            }
            assert!(listed.contains(&video.id) && listed.contains(&remix.id), "{listed:?}");

            assert!(client.delete_video(&remix.id).await.unwrap().deleted);
            let gone = client.get_video(&remix.id).await.unwrap_err();
            assert_eq!(gone, Error::NotFound { what: "video", id: remix.id.clone() });
            let gone = client.remix_video(&remix.id, "again").await.unwrap_err();
            assert!(matches!(gone, Error::NotFound { .. }), "{gone}");
        });
    }
}

#[test]
fn an_extension_totals_its_seconds_and_an_unfinished_video_is_refused() {
    run(async {
        let client = Emulator::wrapped().client_for(Protocol::OpenAiVideos);
        let video = client.create_video(&request("A lighthouse")).await.unwrap();
        assert!(matches!(video.status, JobStatus::Queued | JobStatus::InProgress), "{video:?}");
        let early = client.remix_video(&video.id, "too soon").await.unwrap_err();
        assert!(matches!(&early, Error::Api(api) if api.status == 400), "{early}");
        let video = client.wait_for_video(&video.id, &WaitOptions::default()).await.unwrap();
        let longer = client.extend_video(&video.id, "and the sea beyond", 8).await.unwrap();
        let longer = client.wait_for_video(&longer.id, &WaitOptions::default()).await.unwrap();
        assert_eq!(longer.seconds, 12, "4 s and 8 s added");
    });
}

#[test]
fn the_server_refuses_in_its_own_words_per_shape() {
    run(async {
        let azure = Emulator::wrapped().client_for(Protocol::AzureVideos);
        let unknown = azure.create_video(&CreateVideo::new("no-such-deployment", "p")).await.unwrap_err();
        match &unknown {
            Error::Api(api) => {
                assert_eq!(api.status, 404);
                assert!(api.is_unknown_deployment(), "{api:?}");
                assert!(api.message.contains("'no-such-deployment'"), "{api:?}");
            }
            other => panic!("{other:?}"),
        }
        let openai = Emulator::wrapped().client_for(Protocol::OpenAiVideos);
        let unknown = openai.create_video(&CreateVideo::new("no-such-model", "p")).await.unwrap_err();
        assert!(matches!(&unknown, Error::Api(api) if api.status == 400 && api.param.as_deref() == Some("model")));
        // A model the table does not know gets no size rule here: the server's answer is what counts.
        let mut free = CreateVideo::new("no-such-model", "p");
        free.size = Some((1792, 1024));
        let refused = openai.create_video(&free).await.unwrap_err();
        assert!(matches!(&refused, Error::Api(_)), "sent, and refused by the server: {refused}");
    });
}

#[test]
fn table_rules_are_enforced_before_sending() {
    run(async {
        let client = Emulator::wrapped().client_for(Protocol::AzureVideos);
        let mut wide = request("p");
        wide.size = Some((1792, 1024));
        let refused = client.create_video(&wide).await.unwrap_err();
        assert_eq!(refused.to_string(), "size: must be 720x1280 or 1280x720 for sora-2, not 1792x1024");
        let mut with_image = request("p");
        with_image.input_reference = Some(ReferenceImage::File {
            file_name: "boat.png".into(),
            content_type: "image/png".into(),
            bytes: b"\x89PNG\r\n\x1a\n....".to_vec(),
            dimensions: Some((800, 600)),
        });
        let refused = client.create_video(&with_image).await.unwrap_err();
        assert!(matches!(refused, Error::Validation { field: "input_reference", .. }), "{refused}");
        let refused = ContentVariant::from_name("poster").unwrap_err();
        assert_eq!(refused.to_string(), r#"variant: must be video, thumbnail or spritesheet, not "poster""#);
    });
}

#[test]
fn moderation_ends_a_video_failed_with_the_servers_reason() {
    run(async {
        let client = Emulator::wrapped().client_for(Protocol::OpenAiVideos);
        let failed = client.create_video_and_wait(&request("A scene of gore"), &WaitOptions::default()).await;
        match failed {
            Err(Error::VideoFailed { code, message, .. }) => {
                assert_eq!(code.as_deref(), Some("moderation_blocked"));
                assert!(message.is_some_and(|m| !m.is_empty()));
            }
            other => panic!("{other:?}"),
        }
    });
}

#[test]
fn a_host_without_spritesheets_says_so() {
    run(async {
        let emulator = Emulator::own();
        let client = emulator.client_for(Protocol::AzureVideos);
        let video = client.create_video_and_wait(&request("A kite"), &WaitOptions::default()).await.unwrap();
        assert!(client.download_content(&video.id, ContentVariant::Spritesheet).await.is_ok());
        emulator.configure(r#"{"spritesheets":false}"#).await;
        let none = client.download_content(&video.id, ContentVariant::Spritesheet).await.unwrap_err();
        assert!(none.to_string().starts_with("no spritesheet of video "), "{none}");
        assert!(client.download_content(&video.id, ContentVariant::Thumbnail).await.is_ok());
    });
}
