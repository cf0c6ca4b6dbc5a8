//! The machine a benchmark ran on: cores, RAM, OS, browser and Node versions, load, date.

use crate::process::output_line;

/// Read once at the start of a run (the load average is read again at the end).
#[derive(Debug, Clone)]
pub struct Machine {
    pub date: String,
    pub cores: usize,
    pub cpu: String,
    pub ram_gib: f64,
    pub os: String,
    pub kernel: String,
    pub chromium: String,
    pub node: String,
    pub load_at_start: String,
}

impl Machine {
    pub fn probe() -> Self {
        let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
        let field = |text: &str, name: &str| {
            text.lines().find_map(|l| {
                l.strip_prefix(name)
                    .map(|rest| rest.trim_start_matches([' ', '\t', ':', '=']).trim().trim_matches('"').to_owned())
            })
        };
        let meminfo = read("/proc/meminfo");
        let ram_kib: f64 =
            field(&meminfo, "MemTotal").and_then(|v| v.split_whitespace().next()?.parse().ok()).unwrap_or(0.0);
        Self {
            date: output_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default(),
            cores: std::thread::available_parallelism().map_or(0, usize::from),
            cpu: field(&read("/proc/cpuinfo"), "model name").unwrap_or_else(|| "unknown CPU".into()),
            ram_gib: ram_kib / 1024.0 / 1024.0,
            os: field(&read("/etc/os-release"), "PRETTY_NAME").unwrap_or_else(|| std::env::consts::OS.into()),
            kernel: output_line("uname", &["-r"]).unwrap_or_default(),
            chromium: output_line("/usr/bin/chromium", &["--version"])
                .map_or_else(|| "not found".into(), |v| v.split(" built on").next().unwrap_or_default().to_owned()),
            node: output_line("node", &["--version"]).unwrap_or_else(|| "not found".into()),
            load_at_start: load_average(),
        }
    }
}

/// The 1, 5 and 15 minute load averages (`1.06 0.69 0.74`).
pub fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    text.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}
