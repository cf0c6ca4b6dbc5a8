//! Prints how fast videos of every supported size encode, in frames per second, at both qualities.
//!
//! Run with `cargo run --release -p sora-emulator --example encode_speed [seconds]`.

use std::time::Instant;

use sora_emulator::media::{FRAME_RATE, Quality, VideoSpec, render_video};

const SIZES: [(u32, u32); 9] = [
    (480, 480),
    (854, 480),
    (480, 854),
    (720, 720),
    (1280, 720),
    (720, 1280),
    (1080, 1080),
    (1920, 1080),
    (1080, 1920),
];

fn main() {
    let seconds = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(2u32);
    let frames = seconds * FRAME_RATE;
    println!("{seconds} s videos, {frames} frames at {FRAME_RATE} fps");
    println!("{:>10} {:>8} {:>10} {:>10} {:>12}", "size", "quality", "enc fps", "time ms", "bytes");
    for (width, height) in SIZES {
        for quality in [Quality::High, Quality::Low] {
            let spec = VideoSpec {
                width,
                height,
                seconds,
                prompt: "A corgi surfing a wave at sunset, cinematic".into(),
                variant: 0,
                opening_image: None,
                caption: None,
            };
            let start = Instant::now();
            match render_video(&spec, quality) {
                Ok(mp4) => {
                    let elapsed = start.elapsed().as_secs_f64();
                    println!(
                        "{:>10} {:>8} {:>10.1} {:>10.0} {:>12}",
                        format!("{width}x{height}"),
                        format!("{quality:?}"),
                        f64::from(frames) / elapsed,
                        elapsed * 1000.0,
                        mp4.len()
                    );
                }
                Err(e) => println!("{width}x{height} {quality:?}: error: {e}"),
            }
        }
    }
}
