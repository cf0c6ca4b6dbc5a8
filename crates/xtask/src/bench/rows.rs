//! The report's rows: which samples make which figure, in what unit, against what target.

use super::samples::Samples;
use super::stats::{Summary, format};

/// What a figure is held to.
#[derive(Debug, Clone)]
pub enum Target {
    /// Shown for comparison only.
    None,
    /// The median must be at most this.
    AtMost(f64),
    /// The median must be below the median of another row's key (a comparison from the same run).
    Below(String, &'static str),
}

/// P3's timing profiles, in report order (`cargo xtask bench --p3-profiles` picks among them).
pub const P3_PROFILES: [&str; 3] = ["default", "fast", "noisy"];

/// One row of the final table.
#[derive(Debug, Clone)]
pub struct Row {
    pub figure: String,
    pub key: String,
    pub unit: &'static str,
    pub decimals: usize,
    pub summary: Summary,
    pub target: String,
    pub met: Option<bool>,
}

/// (figure, sample key, unit, decimals, target) for every fixed row, in report order.
/// The encode rows follow them, one per size and quality.
const SPECS: &[(&str, &str, &str, usize, Target)] = &[
    (
        "P1 package, `@sora-studio/client` (wasm + JS bundle, gzip -9)",
        "p1.sora_bytes",
        "bytes",
        0,
        Target::AtMost(30_000.0),
    ),
    ("P1 … of which wasm", "p1.sora_wasm_bytes", "bytes", 0, Target::None),
    ("P1 … of which JS bundle", "p1.sora_js_bytes", "bytes", 0, Target::None),
    ("P1 official `openai` 6.49.0 (JS bundle, gzip -9)", "p1.openai_bytes", "bytes", 0, Target::None),
    (
        "P1 Videos API flow, `@sora-studio/client` (wasm + JS bundle, gzip -9)",
        "p1.videos.sora_bytes",
        "bytes",
        0,
        Target::None,
    ),
    ("P1 Videos API flow … of which JS bundle", "p1.videos.sora_js_bytes", "bytes", 0, Target::None),
    ("P1 Videos API flow, official `openai` 6.49.0 `videos`", "p1.videos.openai_bytes", "bytes", 0, Target::None),
    ("P2 studio first-load bytes (gzip -9)", "p2.first_load_gzip_bytes", "bytes", 0, Target::AtMost(200_000.0)),
    ("P2 studio first-load bytes (uncompressed)", "p2.first_load_raw_bytes", "bytes", 0, Target::None),
    ("P2 time to interactive, cold load", "p2.tti_ms", "ms", 0, Target::AtMost(300.0)),
    ("P4 success → first `canplay`, 854x480 5 s", "p4.success_to_canplay_ms", "ms", 0, Target::AtMost(150.0)),
    ("P5 leaked object URLs after 100 cycles", "p5.leaked_object_urls", "URLs", 0, Target::AtMost(0.0)),
    ("P5 JS heap growth over 100 cycles", "p5.heap_growth_pct", "%", 1, Target::AtMost(10.0)),
    ("P5 JS heap growth over 100 cycles (bytes)", "p5.heap_growth_bytes", "bytes", 0, Target::None),
    ("P5 duration of one 100-cycle run", "p5.run_seconds", "s", 0, Target::None),
];

/// P3's rows for one timing profile.
fn p3_rows(profile: &str) -> Vec<(String, String, &'static str, usize, Target)> {
    let key = |rest: &str| format!("p3.{profile}.{rest}");
    let row = |figure: &str, rest: &str, unit, decimals, target| {
        (format!("P3 `{profile}`: {figure}"), key(rest), unit, decimals, target)
    };
    vec![
        row(
            "polls per job, ETA-aware `waitForJob`",
            "adaptive.polls_per_job",
            "polls",
            1,
            Target::Below(key("fixed_5s.polls_per_job"), "< fixed 5 s"),
        ),
        row("polls per job, fixed 1 s", "fixed_1s.polls_per_job", "polls", 1, Target::None),
        row("polls per job, fixed 5 s", "fixed_5s.polls_per_job", "polls", 1, Target::None),
        row(
            "detection delay, ETA-aware `waitForJob`",
            "adaptive.delay_ms",
            "ms",
            0,
            Target::Below(key("equal_cost.delay_ms"), "< equal cost"),
        ),
        row("detection delay, fixed interval of equal cost", "equal_cost.delay_ms", "ms", 0, Target::None),
        row("… that interval (as many polls per job as ETA-aware)", "equal_cost.interval_ms", "ms", 0, Target::None),
        row("detection delay, fixed 1 s", "fixed_1s.delay_ms", "ms", 0, Target::None),
        row("detection delay, fixed 5 s", "fixed_5s.delay_ms", "ms", 0, Target::None),
    ]
}

/// P3 Videos' rows for the emulator with (`hint`) or without (`no_hint`) the poll hint.
fn p3_videos_rows(name: &str) -> Vec<(String, String, &'static str, usize, Target)> {
    let label = if name == "hint" { "with the poll hint" } else { "without the poll hint" };
    let mut rows = Vec::new();
    for (measure, unit, decimals) in [("polls_per_job", "polls", 1), ("delay_ms", "ms", 0)] {
        let what = if unit == "ms" { "detection delay" } else { "polls per video" };
        for (strategy, who) in
            [("ours", "`waitForVideo`"), ("sdk_rule", "openai-python's poll rule"), ("fixed_5s", "fixed 5 s")]
        {
            let figure = format!("P3 Videos {label}: {what}, {who}");
            rows.push((figure, format!("p3v.{name}.{strategy}.{measure}"), unit, decimals, Target::None));
        }
    }
    rows
}

/// The encode sizes in the order `encode_speed` prints them.
const ENCODE_SIZES: [&str; 9] =
    ["480x480", "854x480", "480x854", "720x720", "1280x720", "720x1280", "1080x1080", "1920x1080", "1080x1920"];

/// Every row that has samples, with its target checked on the median.
pub fn build(samples: &Samples, cycles: u32) -> Vec<Row> {
    let mut specs: Vec<(String, String, &'static str, usize, Target)> = SPECS
        .iter()
        .map(|(figure, key, unit, decimals, target)| {
            (figure.replace("100", &cycles.to_string()), (*key).to_owned(), *unit, *decimals, target.clone())
        })
        .collect();
    // P3 per timing profile, after P2.
    let after_p2 = specs.iter().position(|s| s.1.starts_with("p4")).unwrap_or(specs.len());
    let p3: Vec<_> = P3_PROFILES.iter().flat_map(|p| p3_rows(p)).collect();
    let p3_videos: Vec<_> = ["hint", "no_hint"].iter().flat_map(|n| p3_videos_rows(n)).collect();
    specs.splice(after_p2..after_p2, p3.into_iter().chain(p3_videos));
    for size in ENCODE_SIZES {
        for quality in ["high", "low"] {
            specs.push((
                format!("Encode {size}, {quality} quality"),
                format!("encode.{size}.{quality}.fps"),
                "frames/s",
                0,
                Target::None,
            ));
        }
    }
    let median = |key: &str| Summary::of(samples.get(key)).map(|s| s.median);
    specs
        .into_iter()
        .filter_map(|(figure, key, unit, decimals, target)| {
            let summary = Summary::of(samples.get(&key))?;
            let (target, met) = match target {
                Target::None => ("—".to_owned(), None),
                Target::AtMost(limit) => (
                    if limit == 0.0 { "0".to_owned() } else { format!("≤ {}", format(limit, decimals)) },
                    Some(summary.median <= limit),
                ),
                Target::Below(other, text) => (text.to_owned(), median(&other).map(|o| summary.median < o)),
            };
            Some(Row { figure, key, unit, decimals, summary, target, met })
        })
        .collect()
}
