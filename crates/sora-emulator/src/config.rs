//! Command-line configuration of the emulator (also its library configuration).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// Explains the emulator's behaviour and its test triggers in `--help`.
const AFTER_HELP: &str = "\
API:
  All eight operations of the Azure OpenAI preview video generation jobs API are served
  under /openai/v1/video/generations/... (api-version: preview, v1 or none; anything else is a
  400). Authenticate with `api-key: KEY`, `Authorization: Bearer KEY`,
  `Authorization: Bearer TOKEN` (minted with POST /admin/tokens) or a raw `Authorization: KEY`.
  A create whose `model` is not a deployment (`sora`, plus each --deployment) is a 404; one
  whose prompt contains a --blocklist word is a 400 content_policy_violation. --flat-errors
  sends every error as the spec's flat object instead of {\"error\": {...}}.

Videos API (Sora 2):
  /openai/v1/videos (Azure's shape) and /v1/videos (OpenAI's), from the jobs' store: create
  (multipart or JSON), list, get, delete, content?variant=video|thumbnail|spritesheet, /{id}/remix,
  /edits, /extensions; any api-version. Models sora-2 and sora-2-pro (and dated snapshots; on
  Azure's shape the deployments too, else 404 DeploymentNotFound); blocklisted prompts end the
  video failed (moderation_blocked). Unfinished videos' answers carry openai-poll-after-ms.

Job lifecycle:
  queued -> preprocessing -> running -> processing -> succeeded (the create answers queued).
  With work W = width*height*n_seconds*n_variants / (480*480*5), a job takes
  (12 + 18*W) s / SPEED: 15% queued, 15% preprocessing, 50% running, 20% processing (a 480x480
  5 s job: 30 s; 1920x1080 20 s: 11 min). A job reports succeeded only once its MP4s are rendered.
  --timing fast: (8 + 5.2*W) s (1080x1080 5 s: 34 s, as a transcript of the real service);
  --timing noisy: the fast model x (1 +- 50 %), plus a queue wait (exponential, mean 10 s, at
  most 120 s), and one job in 20 taking 3x its time longer; --seed makes it repeatable.

Test triggers in the prompt (case-insensitive substrings):
  \"blocked-by-moderation\"  -> failed, failure_reason input_moderation (right after preprocessing)
  \"__cancelled__\"          -> cancelled, no generations, failure_reason null (halfway through running)
  \"__internal_error__\"     -> failed, failure_reason internal_error (after running)
  \"__output_moderation__\"  -> failed, failure_reason output_moderation (after processing)
  --blocklist words (default violence, gore) -> the create is refused: 400 content_policy_violation

Limits:
  prompt 1..=4000 characters (Unicode scalar values); sizes 480x480, 854x480, 480x854,
  720x720, 1280x720, 720x1280, 1080x1080, 1920x1080, 1080x1920; n_seconds 1..=20 for every
  size; n_variants 1..=4 (480p sizes), 1..=2 (720p sizes), 1 (1080p sizes); JSON bodies 1 MiB,
  multipart bodies 64 MiB; --max-running non-terminal jobs at once (429
  too_many_running_jobs); --rpm requests per sliding minute over all /openai requests (429).

Admin endpoints (every request needs `x-admin-token: TOKEN`, see --admin-token; no CORS unless
--admin-origin; a request whose Origin is neither the server's own nor an --admin-origin: 403):
  POST /admin/faults   {\"kind\": \"429\"|\"500\"|\"503\"|\"reset\"|\"reset_body\"|\"malformed\"|\"truncate\"|
                        \"latency\"|\"slow_body\", \"count\": N, \"latency_ms\", \"path_contains\", \"retry_after_ms\",
                        \"bytes_per_sec\"}
                       reset: drop the connection, no response; truncate (downloads only): head and
                       half the body, then drop the connection; reset_body: the same for any
                       response (a JSON poll too); slow_body: head at once, body at
                       bytes_per_sec (default 16384) in 100 ms chunks; at most 1000 queued faults
  DELETE /admin/faults  clear queued faults
  POST /admin/config   {\"rpm\" 0..=1000000, \"max_running\" 0..=1000000, \"speed\" 0.001..=100000,
                        \"ttl_seconds\" 0..=315360000, \"latency_ms\" 0..=600000,
                        \"clock_skew_secs\" -3155760000..=3155760000, \"poll_hint\" bool,
                        \"spritesheets\" bool} (GET reads them)
  POST /admin/reset    forget jobs, faults, tokens, rate windows, request log; restore startup config
  POST /admin/tokens   {\"ttl_seconds\": N} -> {\"token\", \"expires_at\"} (at most 10000 live tokens)
  GET  /admin/requests  the last 200 /openai requests {method, path, query, status, at_ms, ...}
  GET  /healthz         liveness probe

Restarts:
  Without --state-file a restarted emulator has no jobs (GET of an old job: 404). With it, jobs,
  their generation ids and parameters survive a kill -9; pending jobs continue by wall clock and
  content of finished jobs is re-rendered (deterministically, same bytes) on first download.";

/// How the emulator listens, authenticates, paces jobs and injects faults.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "sora-emulator",
    version,
    about = "A local emulator of the Azure OpenAI video generation jobs API (Sora) that makes real MP4s.",
    after_help = AFTER_HELP
)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port (the first stdout line shows the real one).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,

    /// The resource key accepted in `api-key` or `Authorization` headers.
    #[arg(long, value_name = "KEY", default_value = "emulator-key")]
    pub api_key: String,

    /// Speed-up factor: every job phase duration is divided by it.
    #[arg(long, value_name = "FACTOR", default_value_t = 1.0, value_parser = parse_speed)]
    pub speed: f64,

    /// Job timing profile: `default` (the model below), `fast` (near the real service), `noisy`.
    #[arg(long, value_enum, value_name = "PROFILE", default_value = "default")]
    pub timing: crate::timing::TimingProfile,

    /// Seed of the noisy profile's draws: the same seed and job order give the same timings.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub seed: u64,

    /// Requests per sliding minute allowed over all /openai requests (0 = unlimited).
    #[arg(long, value_name = "N", default_value_t = 60, value_parser = bounded::<u32>(0, bounds::RPM))]
    pub rpm: u32,

    /// Non-terminal jobs allowed at once; a further create answers 429.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = bounded::<u32>(0, bounds::MAX_RUNNING))]
    pub max_running: u32,

    /// Seconds a finished job (and its content) lives: expires_at = finished_at + TTL.
    #[arg(long, value_name = "SECONDS", default_value_t = 86_400, value_parser = bounded::<u64>(0, bounds::TTL_SECONDS))]
    pub ttl_seconds: u64,

    /// Serve a built single-page app from DIR at `/` (unknown paths fall back to index.html).
    #[arg(long, value_name = "DIR")]
    pub static_dir: Option<PathBuf>,

    /// Answer the next N /openai requests with 429 (Retry-After: 1 s).
    #[arg(long = "fail-429", value_name = "N", default_value_t = 0)]
    pub fail_429: u32,

    /// Answer the next N /openai requests with 500.
    #[arg(long = "fail-500", value_name = "N", default_value_t = 0)]
    pub fail_500: u32,

    /// Answer the next N /openai requests with 503.
    #[arg(long = "fail-503", value_name = "N", default_value_t = 0)]
    pub fail_503: u32,

    /// Add MS milliseconds of latency to every /openai request.
    #[arg(long, value_name = "MS", default_value_t = 0, value_parser = bounded::<u64>(0, bounds::LATENCY_MS))]
    pub latency_ms: u64,

    /// Drop the connection of the next N /openai requests without any response.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub reset: u32,

    /// Answer the next N /openai requests with 200 and an invalid JSON body.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub malformed: u32,

    /// Cut the body of the next N content downloads short: the head with the full Content-Length
    /// and half the body are sent, then the connection is closed (a reset in the middle of a body).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub truncate: u32,

    /// Drip the body of the next N /openai responses at 16 KiB/s (headers at once).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub slow_body: u32,

    /// Shift every timestamp the server writes (created_at, finished_at, expires_at,
    /// Last-Modified, Date) by N seconds (may be negative); job timing is unchanged.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        allow_negative_numbers = true,
        value_parser = bounded::<i64>(-bounds::CLOCK_SKEW_SECS, bounds::CLOCK_SKEW_SECS)
    )]
    pub clock_skew_secs: i64,

    /// Persist jobs to PATH on every change and reload them at start-up, so a killed emulator
    /// restarted with the same file continues its jobs (content is re-rendered on demand).
    #[arg(long, value_name = "PATH")]
    pub state_file: Option<PathBuf>,

    /// Token every /admin request must send in `x-admin-token`. Without it a random one is made
    /// at start and printed on stderr (`admin token: ...`).
    #[arg(long, value_name = "TOKEN", value_parser = parse_admin_token)]
    pub admin_token: Option<String>,

    /// An origin (`http://host:port`) whose pages may call /admin (with CORS); repeatable. Pages on
    /// any other origin are refused with 403.
    #[arg(long = "admin-origin", value_name = "ORIGIN", value_parser = parse_origin)]
    pub admin_origins: Vec<String>,

    /// Answer Chromium's Private Network Access preflights (`Access-Control-Allow-Private-Network`),
    /// so pages on public origins can reach this emulator on a private address.
    #[arg(long)]
    pub private_network_access: bool,

    /// A deployment name a create's `model` may use, besides `sora` (always known); repeatable.
    /// Any other model is a 404, as the service answers for a deployment that does not exist.
    #[arg(long = "deployment", value_name = "NAME", value_parser = parse_name)]
    pub deployments: Vec<String>,

    /// A word whose presence in a prompt (case-insensitive substring) refuses the create with
    /// 400 content_policy_violation; repeatable. Without the flag: violence and gore.
    #[arg(
        long = "blocklist",
        value_name = "WORD",
        value_parser = parse_name,
        default_values_t = [String::from("violence"), String::from("gore")]
    )]
    pub blocklist: Vec<String>,

    /// Send every error body as the spec's flat `AzureOpenAIVideoGenerationErrorResponse`
    /// (`{code, message, param, type, inner_error?}`) instead of wrapping it in `{"error": ...}`.
    #[arg(long)]
    pub flat_errors: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self::parse_from(["sora-emulator"])
    }
}

/// The allowed ranges of the live settings (flags and `POST /admin/config` alike).
pub mod bounds {
    pub const RPM: u32 = 1_000_000;
    pub const MAX_RUNNING: u32 = 1_000_000;
    pub const SPEED: (f64, f64) = (0.001, 100_000.0);
    /// Ten years.
    pub const TTL_SECONDS: u64 = 315_360_000;
    /// Ten minutes.
    pub const LATENCY_MS: u64 = 600_000;
    /// A hundred years either way: dates stay within what HTTP dates can print.
    pub const CLOCK_SKEW_SECS: i64 = 3_155_760_000;
}

/// A clap parser accepting integers in `min..=max`.
fn bounded<T>(min: T, max: T) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy + Send + Sync + 'static,
{
    move |text: &str| match text.parse::<T>() {
        Ok(value) if min <= value && value <= max => Ok(value),
        _ => Err(format!("expected an integer from {min} to {max}")),
    }
}

/// Accepts finite speed factors within [`bounds::SPEED`].
fn parse_speed(text: &str) -> Result<f64, String> {
    let speed: f64 = text.parse().map_err(|_| format!("`{text}` is not a number"))?;
    let (min, max) = bounds::SPEED;
    if (min..=max).contains(&speed) { Ok(speed) } else { Err(format!("the speed must be from {min} to {max}")) }
}

/// Accepts an admin token that fits in a header: 1..=256 visible ASCII characters.
fn parse_admin_token(text: &str) -> Result<String, String> {
    if (1..=256).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(text.to_owned())
    } else {
        Err("the admin token must be 1 to 256 visible ASCII characters".into())
    }
}

/// Accepts a deployment name or blocklist word: 1..=256 characters, not blank.
fn parse_name(text: &str) -> Result<String, String> {
    if text.trim().is_empty() || text.chars().count() > 256 {
        Err("expected 1 to 256 characters, not all blank".into())
    } else {
        Ok(text.to_owned())
    }
}

/// Accepts `scheme://host[:port]` (no path), as browsers send it in `Origin`.
fn parse_origin(text: &str) -> Result<String, String> {
    let origin = text.trim_end_matches('/');
    let rest = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => Ok(origin.to_ascii_lowercase()),
        _ => Err(format!("`{text}` is not an origin like http://127.0.0.1:8000")),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn defaults_match_the_command_line() {
        Config::command().debug_assert();
        let config = Config::default();
        assert_eq!(config.listen.to_string(), "127.0.0.1:8787");
        assert_eq!(config.api_key, "emulator-key");
        assert_eq!((config.speed, config.rpm, config.max_running, config.ttl_seconds), (1.0, 60, 2, 86_400));
        assert!(config.static_dir.is_none());
        let total =
            config.fail_429 + config.fail_500 + config.fail_503 + config.reset + config.malformed + config.truncate;
        assert_eq!((total, config.latency_ms), (0, 0));
        assert!(Config::try_parse_from(["sora-emulator", "--speed", "0"]).is_err());
        let parsed = Config::try_parse_from(["sora-emulator", "--fail-429", "3", "--listen", "127.0.0.1:0"]).unwrap();
        assert_eq!(parsed.fail_429, 3);
        assert_eq!(config.blocklist, ["violence", "gore"]);
        assert!(config.deployments.is_empty() && !config.flat_errors);
        let parsed = Config::try_parse_from([
            "sora-emulator",
            "--blocklist",
            "kraken",
            "--deployment",
            "sora-hd",
            "--deployment",
            "sora-eu",
            "--flat-errors",
        ])
        .unwrap();
        assert_eq!(parsed.blocklist, ["kraken"], "given words replace the default ones");
        assert_eq!(parsed.deployments, ["sora-hd", "sora-eu"]);
        assert!(parsed.flat_errors);
        assert!(Config::try_parse_from(["sora-emulator", "--deployment", " "]).is_err());
    }
}
