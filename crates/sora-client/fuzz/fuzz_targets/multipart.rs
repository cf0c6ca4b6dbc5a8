//! Multipart building: `CreateVideoWithMediaRequest::validate` on any request with any images, and
//! `Multipart::encode` on any parts.
//!
//! Invariants: never panics; validation fails only with `Error::Validation`; the encoding starts with
//! the first boundary line and ends with the closing one, and (whenever no content contains the
//! boundary) parses back into exactly the parts given: no name, file name or content type can add a
//! header line or a part.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use sora_client::{
    CreateVideoRequest, CreateVideoWithMediaRequest, CropBounds, Error, MediaItem, Multipart, VideoSize,
};

const BOUNDARY: &str = "sora-fuzz-7Qp2ZxK";
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG_SIGNATURE: &[u8] = &[0xFF, 0xD8, 0xFF];
const TEXT_NAMES: [&str; 7] = ["model", "prompt", "width", "height", "n_seconds", "n_variants", "inpaint_items"];

#[derive(Arbitrary, Debug)]
struct Item {
    file_name: String,
    /// Modulo 4: 0 image/png, 1 image/jpeg, 2 image/jpg, 3 `other_type`.
    type_choice: u8,
    other_type: String,
    /// Modulo 3: 0 PNG signature first, 1 JPEG signature first, 2 the bytes as they are.
    signature: u8,
    bytes: Vec<u8>,
    /// Any frame: the service, not the client, judges its range.
    frame_index: u32,
    /// Fractions as `raw / 50000 - 0.1` (so -0.1 to 1.21: both sides of the range), `u16::MAX` as NaN.
    crop: [u16; 4],
}

#[derive(Arbitrary, Debug)]
struct Input {
    model: String,
    prompt: String,
    size: u8,
    /// Modulo 24 and 6: mostly valid values, some on either side.
    n_seconds: u8,
    n_variants: u8,
    items: Vec<Item>,
    /// Texts as they are sent: one per known field name.
    texts: Vec<(u8, String)>,
}

fn media(item: &Item) -> MediaItem {
    let content_type = match item.type_choice % 4 {
        0 => "image/png".to_owned(),
        1 => "image/jpeg".to_owned(),
        2 => "image/jpg".to_owned(),
        _ => item.other_type.clone(),
    };
    let mut bytes = match item.signature % 3 {
        0 => PNG_SIGNATURE.to_vec(),
        1 => JPEG_SIGNATURE.to_vec(),
        _ => Vec::new(),
    };
    bytes.extend_from_slice(&item.bytes);
    let fraction = |raw: u16| if raw == u16::MAX { f64::NAN } else { f64::from(raw) / 50_000.0 - 0.1 };
    let [left_fraction, top_fraction, right_fraction, bottom_fraction] = item.crop.map(fraction);
    MediaItem {
        file_name: item.file_name.clone(),
        content_type,
        bytes,
        frame_index: item.frame_index,
        crop: CropBounds { left_fraction, top_fraction, right_fraction, bottom_fraction },
    }
}

/// One part as read back: its header lines and its content.
struct Part<'a> {
    headers: Vec<&'a [u8]>,
    content: &'a [u8],
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Split an encoding made with `BOUNDARY` into its parts.
fn read_back(encoded: &[u8]) -> Vec<Part<'_>> {
    let first = format!("--{BOUNDARY}\r\n");
    let closing = format!("--{BOUNDARY}--\r\n");
    if encoded == closing.as_bytes() {
        return Vec::new();
    }
    let mut rest = encoded.strip_prefix(first.as_bytes()).expect("starts with the first boundary line");
    let between = format!("\r\n--{BOUNDARY}\r\n");
    let last = format!("\r\n--{BOUNDARY}--\r\n");
    let mut parts = Vec::new();
    loop {
        let end = find(rest, b"\r\n\r\n").expect("a part's headers end with an empty line");
        let headers = rest[..end].split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l)).collect();
        let body = &rest[end + 4..];
        if let Some(next) = find(body, between.as_bytes()) {
            parts.push(Part { headers, content: &body[..next] });
            rest = &body[next + between.len()..];
        } else {
            let next = find(body, last.as_bytes()).expect("ends with the closing boundary");
            assert_eq!(next + last.len(), body.len(), "bytes after the closing boundary");
            parts.push(Part { headers, content: &body[..next] });
            return parts;
        }
    }
}

fn check_encoding(multipart: &Multipart) {
    let encoded = multipart.encode(BOUNDARY);
    assert!(encoded.ends_with(format!("--{BOUNDARY}--\r\n").as_bytes()));
    let count = multipart.texts.len() + multipart.files.len();
    if count > 0 {
        assert!(encoded.starts_with(format!("--{BOUNDARY}\r\n").as_bytes()));
    }
    let contents = multipart
        .texts
        .iter()
        .map(|(_, v)| v.as_bytes())
        .chain(multipart.files.iter().flat_map(|(_, n, t, b)| [n.as_bytes(), t.as_bytes(), b.as_slice()]));
    if contents.into_iter().any(|c| find(c, BOUNDARY.as_bytes()).is_some()) {
        return;
    }
    let parts = read_back(&encoded);
    assert_eq!(parts.len(), count, "a value added or removed a part");
    for (part, (name, value)) in parts.iter().zip(&multipart.texts) {
        assert_eq!(part.headers, [format!("Content-Disposition: form-data; name=\"{name}\"").as_bytes()]);
        assert_eq!(part.content, value.as_bytes());
    }
    for (part, (name, file_name, _, bytes)) in parts[multipart.texts.len()..].iter().zip(&multipart.files) {
        assert_eq!(part.headers.len(), 2, "a file name or content type added a header line");
        let disposition = std::str::from_utf8(part.headers[0]).unwrap();
        let prefix = format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"");
        let quoted = disposition.strip_prefix(&prefix).and_then(|s| s.strip_suffix('"')).expect("disposition");
        assert!(!quoted.contains(['"', '\r', '\n']), "{quoted:?}");
        assert_eq!(quoted.chars().count(), file_name.chars().count());
        assert!(part.headers[1].starts_with(b"Content-Type: "));
        assert_eq!(part.content, bytes.as_slice());
    }
}

fuzz_target!(|input: Input| {
    let sizes = VideoSize::ALL;
    let mut request = CreateVideoRequest::new(input.model, input.prompt, sizes[usize::from(input.size) % sizes.len()]);
    request.n_seconds = u32::from(input.n_seconds % 24);
    request.n_variants = u32::from(input.n_variants % 6);
    let with_media = CreateVideoWithMediaRequest { request, media: input.items.iter().map(media).collect() };
    match with_media.validate() {
        Ok(()) => {
            let r = &with_media.request;
            assert!(r.prompt.chars().count() <= sora_client::MAX_PROMPT_CHARS);
            for item in &with_media.media {
                assert!(item.bytes.starts_with(PNG_SIGNATURE) || item.bytes.starts_with(JPEG_SIGNATURE));
                assert!(!item.file_name.contains(['"', '/', '\\']));
            }
        }
        Err(Error::Validation { .. }) => {}
        Err(other) => panic!("unexpected {other:?}"),
    }
    let texts =
        input.texts.into_iter().map(|(i, value)| (TEXT_NAMES[usize::from(i) % TEXT_NAMES.len()], value)).collect();
    let files = with_media.media.into_iter().map(|m| ("files", m.file_name, m.content_type, m.bytes)).collect();
    check_encoding(&Multipart { texts, files });
});
