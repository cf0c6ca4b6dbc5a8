//! Emulator encode speed: the release `encode_speed` example, run several times.

use std::process::Command;

use super::samples::Samples;
use crate::process::run_checked;

/// Build the example once, run it `runs` times, and keep frames/s per size and quality.
pub fn measure(runs: u32, samples: &mut Samples) -> Result<(), String> {
    let root = crate::root();
    run_checked(
        Command::new("cargo")
            .args(["build", "--locked", "--release", "-p", "sora-emulator", "--example", "encode_speed"])
            .current_dir(&root),
    )?;
    let binary = root.join("target/release/examples/encode_speed");
    for run in 1..=runs {
        let out = Command::new(&binary).output().map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        let text = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() {
            return Err(format!("encode_speed failed ({}): {text}", out.status));
        }
        let found = absorb(&text, samples);
        println!("# encode run {run}: {found} sizes x qualities");
        if found == 0 {
            return Err(format!("encode_speed printed no measurements: {text}"));
        }
    }
    Ok(())
}

/// Read lines like `  480x480     High      348.0         69        37806`; returns how many were read.
fn absorb(text: &str, samples: &mut Samples) -> usize {
    let mut found = 0;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let [size, quality, fps, _ms, bytes] = words[..] else {
            continue;
        };
        let (Ok(fps), Ok(bytes)) = (fps.parse::<f64>(), bytes.parse::<f64>()) else {
            continue;
        };
        if !size.contains('x') {
            continue;
        }
        let quality = quality.to_lowercase();
        samples.push(&format!("encode.{size}.{quality}.fps"), fps);
        samples.push(&format!("encode.{size}.{quality}.bytes"), bytes);
        found += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_example_output() {
        let text = "2 s videos, 24 frames at 12 fps\n      size  quality    enc fps    time ms        bytes\n   480x480     High      348.0         69        37806\n   480x480      Low      392.5         61        20837\n";
        let mut samples = Samples::default();
        assert_eq!(absorb(text, &mut samples), 2);
        assert_eq!(samples.get("encode.480x480.high.fps"), &[348.0]);
        assert_eq!(samples.get("encode.480x480.low.bytes"), &[20837.0]);
    }
}
