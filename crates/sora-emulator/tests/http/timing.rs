//! `--timing`: the profile chosen on the command line decides how long jobs take.

use std::time::Instant;

use clap::Parser;
use serde_json::json;
use sora_emulator::Config;
use sora_emulator::timing::TimingProfile;

use crate::common::Emu;

/// Seconds a 1080x1080 5 s job takes from creation to success under `flags`, at speed 8.
async fn square_job_seconds(flags: &[&str]) -> f64 {
    let mut args = vec!["sora-emulator", "--speed", "8", "--rpm", "0"];
    args.extend_from_slice(flags);
    let emu = Emu::start(Config::try_parse_from(args).expect("flags")).await;
    let body = json!({"model": "sora", "prompt": "a square", "width": 1080, "height": 1080, "n_seconds": 5});
    let started = Instant::now();
    let job = emu.create_ok(body).await;
    let job = emu.wait_terminal(job["id"].as_str().expect("id")).await;
    assert_eq!(job["status"], "succeeded", "{job}");
    started.elapsed().as_secs_f64()
}

#[tokio::test]
async fn the_fast_profile_matches_the_transcript_and_the_default_does_not() {
    // The transcript: 34 s at speed 1, so 4.25 s at speed 8; the default model says 103 s (12.9 s).
    let (fast, default) = tokio::join!(square_job_seconds(&["--timing", "fast"]), square_job_seconds(&[]));
    assert!((4.0..=6.5).contains(&fast), "fast profile: {fast} s");
    assert!((12.7..=15.5).contains(&default), "default profile: {default} s");
}

#[test]
fn the_flags_parse_and_reject_unknown_profiles() {
    let config = Config::try_parse_from(["sora-emulator", "--timing", "noisy", "--seed", "42"]).expect("flags");
    assert_eq!((config.timing, config.seed), (TimingProfile::Noisy, 42));
    let config = Config::default();
    assert_eq!((config.timing, config.seed), (TimingProfile::Default, 1));
    assert!(Config::try_parse_from(["sora-emulator", "--timing", "slow"]).is_err());
}
