//! Checks the rendered files by parsing and decoding them back.

use std::io::Cursor;

use mp4::{MediaType, Mp4Reader, TrackType};
use openh264::decoder::Decoder;
use openh264::formats::YUVSource;

use super::*;

fn spec(width: u32, height: u32, seconds: u32, prompt: &str, variant: u32) -> VideoSpec {
    VideoSpec { width, height, seconds, prompt: prompt.into(), variant, opening_image: None, caption: None }
}

fn read_mp4(file: &[u8]) -> Mp4Reader<Cursor<&[u8]>> {
    Mp4Reader::read_header(Cursor::new(file), file.len() as u64).expect("MP4 parses")
}

/// Decodes every sample of the single video track, returning `(width, height, rgb)` per picture.
fn decode_all(file: &[u8]) -> Vec<(usize, usize, Vec<u8>)> {
    let mut reader = read_mp4(file);
    let track = reader.tracks().get(&1).expect("track 1");
    let mut annexb = Vec::new();
    for ps in [track.sequence_parameter_set().expect("sps"), track.picture_parameter_set().expect("pps")] {
        annexb.extend_from_slice(&[0, 0, 0, 1]);
        annexb.extend_from_slice(ps);
    }
    let count = track.sample_count();
    let mut decoder = Decoder::new().expect("decoder");
    let mut pictures = Vec::new();
    for id in 1..=count {
        let sample = reader.read_sample(1, id).expect("read sample").expect("sample exists");
        let mut data = &sample.bytes[..];
        while data.len() >= 4 {
            let len = u32::from_be_bytes([data[0], data[1], data[2], data[3]]) as usize;
            annexb.extend_from_slice(&[0, 0, 0, 1]);
            annexb.extend_from_slice(&data[4..4 + len]);
            data = &data[4 + len..];
        }
        assert!(data.is_empty(), "sample {id} has trailing bytes");
        if let Some(yuv) = decoder.decode(&annexb).expect("decodes") {
            let (w, h) = yuv.dimensions();
            let mut rgb = vec![0; w * h * 3];
            yuv.write_rgb8(&mut rgb);
            pictures.push((w, h, rgb));
        }
        annexb.clear();
    }
    pictures
}

fn first_frame(file: &[u8]) -> Vec<u8> {
    decode_all(file).into_iter().next().expect("a decoded frame").2
}

/// Mean absolute difference per byte of two equally sized pictures.
fn difference(a: &[u8], b: &[u8]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(x, y)| f64::from(x.abs_diff(*y))).sum::<f64>() / a.len() as f64
}

/// Returns the frame size from a JPEG's SOF marker.
fn jpeg_size(jpeg: &[u8]) -> (u32, u32) {
    let mut i = 2;
    while i + 9 < jpeg.len() {
        assert_eq!(jpeg[i], 0xFF, "marker expected at {i}");
        let marker = jpeg[i + 1];
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        if (0xC0..=0xC2).contains(&marker) {
            let h = u16::from_be_bytes([jpeg[i + 5], jpeg[i + 6]]);
            let w = u16::from_be_bytes([jpeg[i + 7], jpeg[i + 8]]);
            return (w.into(), h.into());
        }
        i += 2 + len;
    }
    panic!("no SOF marker");
}

fn check_video(width: u32, height: u32, seconds: u32) {
    let file = render_video(&spec(width, height, seconds, "a red fox in the snow", 0), Quality::High).expect("renders");
    let reader = read_mp4(&file);
    assert_eq!(reader.tracks().len(), 1);
    let track = reader.tracks().get(&1).expect("track 1");
    assert_eq!(track.track_type().expect("type"), TrackType::Video);
    assert_eq!(track.media_type().expect("media"), MediaType::H264);
    assert_eq!(track.box_type().expect("fourcc").to_string(), "avc1");
    assert_eq!((u32::from(track.width()), u32::from(track.height())), (width, height));
    let tkhd = &track.trak.tkhd;
    assert_eq!((tkhd.width.value(), tkhd.height.value()), (width as u16, height as u16));
    let mvhd = &reader.moov.mvhd;
    assert_eq!(mvhd.duration, u64::from(seconds) * u64::from(mvhd.timescale), "mvhd duration");
    let mdhd = &track.trak.mdia.mdhd;
    assert_eq!(mdhd.duration, u64::from(seconds) * u64::from(mdhd.timescale), "mdhd duration");
    assert_eq!(track.sample_count(), FRAME_RATE * seconds);
    // Fast start: moov precedes mdat.
    let moov = file.windows(4).position(|w| w == b"moov").expect("moov");
    let mdat = file.windows(4).position(|w| w == b"mdat").expect("mdat");
    assert!(moov < mdat, "moov at {moov} should precede mdat at {mdat}");

    let pictures = decode_all(&file);
    assert_eq!(pictures.len() as u32, FRAME_RATE * seconds, "every sample decodes to a picture");
    for (w, h, _) in &pictures {
        assert_eq!((*w as u32, *h as u32), (width, height), "SPS cropping gives the exact size");
    }
    let (first, last) = (&pictures[0].2, &pictures[pictures.len() - 1].2);
    assert!(difference(first, last) > 1.0, "the picture moves over time");
}

#[test]
fn square_video_has_exact_size_duration_and_codec() {
    check_video(480, 480, 2);
}

#[test]
fn landscape_854_video_is_cropped_exactly() {
    check_video(854, 480, 2);
}

#[test]
fn portrait_854_video_is_cropped_exactly() {
    check_video(480, 854, 2);
}

#[test]
fn full_hd_video_is_cropped_exactly() {
    check_video(1920, 1080, 1);
}

#[test]
fn pictures_depend_on_prompt_and_variant_and_are_deterministic() {
    let render =
        |prompt: &str, variant| render_video(&spec(480, 480, 1, prompt, variant), Quality::High).expect("renders");
    let a0 = render("a red fox in the snow", 0);
    let again = render("a red fox in the snow", 0);
    assert_eq!(a0, again, "same spec, same bytes");
    let a1 = render("a red fox in the snow", 1);
    let b0 = render("a lighthouse at dusk", 0);
    let (fa0, fa1, fb0) = (first_frame(&a0), first_frame(&a1), first_frame(&b0));
    assert!(difference(&fa0, &fa1) > 10.0, "variants differ visibly: {}", difference(&fa0, &fa1));
    assert!(difference(&fa0, &fb0) > 10.0, "prompts differ visibly: {}", difference(&fa0, &fb0));
}

#[test]
fn low_quality_is_noticeably_smaller() {
    let s = spec(854, 480, 4, "waves crashing on a rocky shore", 2);
    let high = render_video(&s, Quality::High).expect("high");
    let low = render_video(&s, Quality::Low).expect("low");
    assert!(low.len() * 3 < high.len() * 2, "low {} vs high {} bytes", low.len(), high.len());
    let (rh, rl) = (read_mp4(&high), read_mp4(&low));
    let (th, tl) = (rh.tracks().get(&1).expect("high track"), rl.tracks().get(&1).expect("low track"));
    assert_eq!((th.width(), th.height(), th.sample_count()), (tl.width(), tl.height(), tl.sample_count()));
    assert_eq!(rh.moov.mvhd.duration, rl.moov.mvhd.duration);
}

#[test]
fn thumbnail_is_a_jpeg_of_the_first_frame() {
    for (w, h) in [(480, 854), (1080, 1080)] {
        let s = spec(w, h, 4, "a city skyline at night", 0);
        let jpeg = render_thumbnail(&s).expect("thumbnail");
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
        assert_eq!(jpeg_size(&jpeg), (w, h));
        let decoded = image::load_from_memory(&jpeg).expect("decodes").into_rgb8();
        assert_eq!(decoded.dimensions(), (w, h));
    }
    let one = render_thumbnail(&spec(480, 480, 4, "one", 0)).expect("one");
    let other = render_thumbnail(&spec(480, 480, 4, "other", 0)).expect("other");
    assert_ne!(one, other);
}

#[test]
fn opening_image_is_shown_at_its_frame() {
    let red = OpeningImage { width: 40, height: 30, rgb: [250, 10, 10].repeat(40 * 30).into(), frame_index: 0 };
    let mut s = spec(854, 480, 2, "from a picture", 0);
    s.opening_image = Some(red);
    let frame = first_frame(&render_video(&s, Quality::High).expect("renders"));
    let centre = (240 * 854 + 427) * 3;
    let px = &frame[centre..centre + 3];
    assert!(px[0] > 200 && px[1] < 60 && px[2] < 60, "centre pixel {px:?} should be red");

    let thumb = image::load_from_memory(&render_thumbnail(&s).expect("thumb")).expect("jpeg").into_rgb8();
    let p = thumb.get_pixel(10, 240).0;
    assert!(p[0] > 200 && p[1] < 60 && p[2] < 60, "thumbnail edge pixel {p:?} should be red");

    // Shown later: the first frame is the animation, not the image.
    if let Some(img) = &mut s.opening_image {
        img.frame_index = 20;
    }
    let frame = first_frame(&render_video(&s, Quality::Low).expect("renders"));
    let px = &frame[centre..centre + 3];
    assert!(!(px[0] > 200 && px[1] < 60 && px[2] < 60), "frame 0 should not be the image yet");
}

#[test]
fn invalid_specs_are_errors() {
    for s in [
        spec(0, 480, 4, "x", 0),
        spec(481, 480, 4, "x", 0),
        spec(480, 480, 0, "x", 0),
        spec(480, 480, MAX_SECONDS + 1, "x", 0),
        spec(7680, 4320, 4, "x", 0),
        spec(16, 16, 1, "x", 0),
    ] {
        assert!(render_video(&s, Quality::Low).is_err(), "{}x{} {}s", s.width, s.height, s.seconds);
        assert!(render_thumbnail(&s).is_err());
    }
    let mut s = spec(480, 480, 1, "x", 0);
    s.opening_image = Some(OpeningImage { width: 10, height: 10, rgb: vec![0; 5].into(), frame_index: 0 });
    assert!(render_video(&s, Quality::High).is_err());
}

#[test]
fn odd_prompts_render() {
    let long = "word ".repeat(500) + &"x".repeat(300);
    for prompt in ["", "   ", "émoji 🦊 ünïcödé ΑΒΓ \t\n line", long.as_str()] {
        let jpeg = render_thumbnail(&spec(480, 480, 4, prompt, u32::MAX)).expect("renders");
        assert_eq!(jpeg_size(&jpeg), (480, 480));
    }
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 7]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).expect("png");
    out.into_inner()
}

fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut out = Vec::new();
    let rgb = vec![128u8; usize::from(width) * usize::from(height) * 3];
    jpeg_encoder::Encoder::new(&mut out, 90).encode(&rgb, width, height, jpeg_encoder::ColorType::Rgb).expect("jpeg");
    out
}

#[test]
fn decode_image_crops_png() {
    let img = decode_image(&png(100, 50), [0.25, 0.0, 0.75, 0.5], 7).expect("decodes");
    assert_eq!((img.width, img.height, img.frame_index), (50, 25, 7));
    assert_eq!(img.rgb.len(), 50 * 25 * 3);
    assert_eq!(&img.rgb[..3], &[25, 0, 7]);
    let last = img.rgb.len() - 3;
    assert_eq!(&img.rgb[last..], &[74, 24, 7]);
    let full = decode_image(&png(100, 50), [0.0, 0.0, 1.0, 1.0], 0).expect("decodes");
    assert_eq!((full.width, full.height), (100, 50));
}

#[test]
fn decode_image_reads_jpeg() {
    let img = decode_image(&jpeg(64, 48), [0.0, 0.5, 0.5, 1.0], 0).expect("decodes");
    assert_eq!((img.width, img.height), (32, 24));
    assert!(img.rgb.iter().all(|&v| v.abs_diff(128) < 4));
}

#[test]
fn decode_image_rejects_bad_input() {
    let full = [0.0, 0.0, 1.0, 1.0];
    let err = decode_image(b"GIF89a\x01\x00\x01\x00\x00\x00\x00", full, 0).expect_err("gif");
    assert!(err.to_string().contains("PNG and JPEG"), "{err}");
    assert!(decode_image(b"", full, 0).is_err());
    assert!(decode_image(b"hello world, not an image", full, 0).is_err());
    for bad in [[0.5, 0.0, 0.5, 1.0], [0.0, 0.0, 1.5, 1.0], [f64::NAN, 0.0, 1.0, 1.0], [0.0, 0.8, 1.0, 0.2]] {
        assert!(decode_image(&png(10, 10), bad, 0).is_err(), "{bad:?}");
    }
    // Too large, though tiny on the wire.
    let err = decode_image(&png(9000, 1), full, 0).expect_err("wide png");
    assert!(!err.to_string().is_empty());
    assert!(decode_image(&jpeg(8, 9000), full, 0).is_err());
}

#[test]
fn decode_image_survives_truncated_and_corrupted_input() {
    for file in [png(37, 23), jpeg(37, 23)] {
        for len in 0..file.len() {
            let _ = decode_image(&file[..len], [0.0, 0.0, 1.0, 1.0], 0);
        }
        let mut state = 0x1234_5678u32;
        for _ in 0..300 {
            let mut corrupt = file.clone();
            for _ in 0..4 {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let at = state as usize % corrupt.len();
                corrupt[at] = (state >> 24) as u8;
            }
            if let Ok(img) = decode_image(&corrupt, [0.1, 0.1, 0.9, 0.9], 0) {
                assert_eq!(img.rgb.len(), img.width as usize * img.height as usize * 3);
            }
        }
    }
}
