//! Renders the emulator's generated content: H.264 MP4 videos, JPEG thumbnails and spritesheets.
//!
//! Every video is synthetic and fully determined by its [`VideoSpec`]: a backdrop, palette, moving
//! orbs and scrolling hills seeded by a hash of the prompt and the variant, the prompt itself
//! printed in an 8x8 bitmap font, and a running clock with a progress bar so playback is visible.
//!
//! Format: H.264 (Baseline profile, OpenH264, constant QP) in an MP4 with a single `avc1` track and the
//! `moov` box in front of `mdat` ("fast start"), so browsers can play it without range requests.
//! The frame rate is [`FRAME_RATE`] = 12 fps: a 1920x1080, 20 s video is 240 frames, which keeps
//! the worst-case encode within a few seconds on one core while motion still looks continuous.
//! Sizes that are not multiples of 16 (854, 1080) are coded in whole macroblocks and cropped in
//! the SPS, so decoders report exactly the requested size.

mod frames;
mod h264;
mod image_in;
mod jpeg;
mod mux;
mod spritesheet;
#[cfg(test)]
mod tests;
mod text;

pub use image_in::{crop_image, decode_image, decode_rgb, image_dimensions};
pub use spritesheet::{SHEET_COLUMNS, TILE_DIVISOR, render_spritesheet, sheet_shape};

/// Frames per second of every rendered video.
pub const FRAME_RATE: u32 = 12;

/// Longest video rendered, in seconds; bounds the work one request can cause.
pub const MAX_SECONDS: u32 = 120;

/// Which rendition of a video to produce (`quality` query parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quality {
    High,
    Low,
}

/// An uploaded image, decoded to RGB, already cropped to the requested crop bounds.
#[derive(Debug, Clone)]
pub struct OpeningImage {
    pub width: u32,
    pub height: u32,
    /// `width * height * 3` bytes, row-major RGB; shared, so every variant's spec and the stored
    /// job point at one copy (an 8192x8192 image is 200 MB).
    pub rgb: std::sync::Arc<[u8]>,
    /// The first video frame at which the image is shown (`frame_index`).
    pub frame_index: u32,
}

/// Everything that determines one generated video.
#[derive(Debug, Clone)]
pub struct VideoSpec {
    pub width: u32,
    pub height: u32,
    pub seconds: u32,
    /// The prompt: frames visibly depend on it.
    pub prompt: String,
    /// Zero-based variant index within the job: frames visibly depend on it.
    pub variant: u32,
    pub opening_image: Option<OpeningImage>,
    /// A line printed above the prompt (a remix names its source video); None draws nothing.
    pub caption: Option<String>,
}

/// Why media could not be produced or decoded.
#[derive(Debug)]
pub struct MediaError(pub String);

impl MediaError {
    pub(crate) fn new(msg: impl Into<String>) -> Self {
        Self(msg.into())
    }
}

impl std::fmt::Display for MediaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MediaError {}

/// Encodes the video for `spec` as an MP4 file (H.264, exactly `width` x `height`, `seconds` long).
pub fn render_video(spec: &VideoSpec, quality: Quality) -> Result<Vec<u8>, MediaError> {
    check_video_spec(spec)?;
    let total_frames = spec.seconds * FRAME_RATE;
    let scene = frames::Scene::new(spec, FRAME_RATE, total_frames)?;
    let stream = h264::encode(&scene, quality, FRAME_RATE)?;
    mux::to_mp4(&stream, spec.width, spec.height, FRAME_RATE)
}

/// Encodes the first frame of the video for `spec` as a JPEG.
pub fn render_thumbnail(spec: &VideoSpec) -> Result<Vec<u8>, MediaError> {
    check_video_spec(spec)?;
    let scene = frames::Scene::new(spec, FRAME_RATE, spec.seconds * FRAME_RATE)?;
    let mut rgb = vec![0u8; scene.rgb_len()];
    scene.render(0, &mut rgb);
    jpeg::encode(&rgb, spec.width, spec.height)
}

/// Rejects specs the encoder cannot honour, before any work is done.
fn check_video_spec(spec: &VideoSpec) -> Result<(), MediaError> {
    let (w, h) = (spec.width, spec.height);
    if w == 0 || h == 0 || w % 2 != 0 || h % 2 != 0 {
        return Err(MediaError(format!("unsupported video size {w}x{h}: both sides must be even and non-zero")));
    }
    // OpenH264 stops at level 5.2: 3840x2160 in either orientation.
    if w.max(h) > 3840 || w.min(h) > 2160 {
        return Err(MediaError(format!("unsupported video size {w}x{h}: larger than 3840x2160")));
    }
    if spec.seconds == 0 || spec.seconds > MAX_SECONDS {
        return Err(MediaError(format!(
            "unsupported duration {} s: must be between 1 and {MAX_SECONDS}",
            spec.seconds
        )));
    }
    if let Some(img) = &spec.opening_image {
        let expected = (img.width as u64) * (img.height as u64) * 3;
        if img.width == 0 || img.height == 0 || img.rgb.len() as u64 != expected {
            return Err(MediaError(format!(
                "opening image of {}x{} has {} bytes of RGB, expected {expected}",
                img.width,
                img.height,
                img.rgb.len()
            )));
        }
    }
    Ok(())
}
