//! Measurements collected from the benchmark scripts: `sample KEY VALUE` lines, grouped by key.

use std::collections::BTreeMap;
use std::process::Command;

use crate::process::run_teed;

/// Every sample seen so far, by key (`p2.tti_ms`, `encode.480x480.high.fps`, ...).
#[derive(Debug, Default)]
pub struct Samples(pub BTreeMap<String, Vec<f64>>);

impl Samples {
    pub fn push(&mut self, key: &str, value: f64) {
        self.0.entry(key.to_owned()).or_default().push(value);
    }

    pub fn get(&self, key: &str) -> &[f64] {
        self.0.get(key).map_or(&[], Vec::as_slice)
    }

    /// Take the `sample KEY VALUE` lines of a script's output; other lines are progress for people.
    pub fn absorb(&mut self, output: &str) {
        for line in output.lines() {
            let mut words = line.split_whitespace();
            if let (Some("sample"), Some(key), Some(value), None) =
                (words.next(), words.next(), words.next(), words.next())
                && let Ok(value) = value.parse::<f64>()
            {
                self.push(key, value);
            }
        }
    }

    /// Run a script with its output echoed, keeping its samples even when it fails part-way.
    pub fn run(&mut self, command: &mut Command, what: &str) -> Result<(), String> {
        let (ok, output) = run_teed(command);
        self.absorb(&output);
        if ok { Ok(()) } else { Err(format!("{what} failed")) }
    }
}

#[cfg(test)]
mod tests {
    use super::Samples;

    #[test]
    fn reads_only_well_formed_sample_lines() {
        let mut samples = Samples::default();
        samples
            .absorb("# progress\nsample p2.tti_ms 120.5\nsample p2.tti_ms 99\nsample bad\nsample x y\nsample a 1 2\n");
        assert_eq!(samples.get("p2.tti_ms"), &[120.5, 99.0]);
        assert_eq!(samples.0.len(), 1);
    }
}
