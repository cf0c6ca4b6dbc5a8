//! Spritesheets: one JPEG holding a grid of small frames of a video, for scrubbing previews.
//!
//! The grid is [`SHEET_COLUMNS`] wide and one row per started five tiles of one tile per second
//! (a 4 s video: 5x1, 8 s: 5x2, 12 s: 5x3); each tile is the video frame at its evenly spaced time,
//! box-filtered down by [`TILE_DIVISOR`] on each side. The sheet is therefore always wider than the
//! video (5/4 of its width), so a client can tell it from a thumbnail by its size alone.

use super::frames::Scene;
use super::{FRAME_RATE, MediaError, VideoSpec, check_video_spec, jpeg};

/// Tiles per row.
pub const SHEET_COLUMNS: u32 = 5;
/// Each tile is the frame with both sides divided by this.
pub const TILE_DIVISOR: u32 = 4;

/// The grid for a video: `(columns, rows, tile width, tile height)`.
pub fn sheet_shape(width: u32, height: u32, seconds: u32) -> (u32, u32, u32, u32) {
    let rows = seconds.div_ceil(SHEET_COLUMNS).max(1);
    (SHEET_COLUMNS, rows, (width / TILE_DIVISOR).max(1), (height / TILE_DIVISOR).max(1))
}

/// Renders the spritesheet of the video for `spec` as a JPEG.
pub fn render_spritesheet(spec: &VideoSpec) -> Result<Vec<u8>, MediaError> {
    check_video_spec(spec)?;
    let total_frames = spec.seconds * FRAME_RATE;
    let scene = Scene::new(spec, FRAME_RATE, total_frames)?;
    let (columns, rows, tile_w, tile_h) = sheet_shape(spec.width, spec.height, spec.seconds);
    let (sheet_w, sheet_h) = (columns * tile_w, rows * tile_h);
    let mut sheet = vec![0u8; sheet_w as usize * sheet_h as usize * 3];
    // One frame buffer reused for every tile: a sheet never holds more than one full frame.
    let mut frame = vec![0u8; scene.rgb_len()];
    let tiles = columns * rows;
    for tile in 0..tiles {
        let index = u64::from(tile) * u64::from(total_frames) / u64::from(tiles);
        scene.render(u32::try_from(index).unwrap_or(0), &mut frame);
        let origin = ((tile % columns) * tile_w, (tile / columns) * tile_h);
        shrink_into(&frame, spec.width, &mut sheet, sheet_w, origin, (tile_w, tile_h));
    }
    jpeg::encode(&sheet, sheet_w, sheet_h)
}

/// Box-filters `frame` (`frame_w` wide) by [`TILE_DIVISOR`] into the `tile` rectangle of `sheet` at `origin`.
fn shrink_into(frame: &[u8], frame_w: u32, sheet: &mut [u8], sheet_w: u32, origin: (u32, u32), tile: (u32, u32)) {
    let d = TILE_DIVISOR as usize;
    let (fw, sw) = (frame_w as usize, sheet_w as usize);
    let area = (d * d) as u32;
    for y in 0..tile.1 as usize {
        for x in 0..tile.0 as usize {
            let mut sum = [0u32; 3];
            for dy in 0..d {
                let row = (y * d + dy) * fw;
                for dx in 0..d {
                    let at = (row + x * d + dx) * 3;
                    if let Some(px) = frame.get(at..at + 3) {
                        for (total, value) in sum.iter_mut().zip(px) {
                            *total += u32::from(*value);
                        }
                    }
                }
            }
            let out = ((origin.1 as usize + y) * sw + origin.0 as usize + x) * 3;
            if let Some(px) = sheet.get_mut(out..out + 3) {
                for (value, total) in px.iter_mut().zip(sum) {
                    *value = (total / area) as u8;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_is_a_grid_of_real_frames() {
        let spec = VideoSpec {
            width: 720,
            height: 1280,
            seconds: 8,
            prompt: "a grid".into(),
            variant: 0,
            opening_image: None,
            caption: None,
        };
        assert_eq!(sheet_shape(720, 1280, 8), (5, 2, 180, 320));
        assert_eq!(sheet_shape(1280, 720, 4), (5, 1, 320, 180));
        assert_eq!(sheet_shape(1792, 1024, 12).1, 3);
        let jpeg = render_spritesheet(&spec).expect("sheet");
        let image = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg).expect("a jpeg").to_rgb8();
        assert_eq!(image.dimensions(), (900, 640));
        // Tiles come from different times: the first and last differ (the clock and bar move).
        let tile = |column: u32, row: u32| {
            let mut pixels = Vec::new();
            for y in 0..320 {
                for x in 0..180 {
                    pixels.extend_from_slice(&image.get_pixel(column * 180 + x, row * 320 + y).0);
                }
            }
            pixels
        };
        let (first, last) = (tile(0, 0), tile(4, 1));
        let differing = first.iter().zip(&last).filter(|(a, b)| a.abs_diff(**b) > 24).count();
        assert!(differing > 500, "only {differing} channels differ");
    }
}
