//! Suite outcomes: counting test summaries, and the final report.

use std::process::Command;

use crate::process::run_teed;

/// One suite's outcome.
pub struct Outcome {
    pub name: &'static str,
    pub ok: bool,
    pub passed: u64,
    pub failed: u64,
    pub seconds: u64,
    /// A run that is not tests (schemathesis, lints): its own figure, not counted as tests.
    pub figure: Option<String>,
}

impl Outcome {
    /// A suite that could not start (its build or set-up failed): one failure, never "0 passed".
    pub fn not_started(name: &'static str, message: &str) -> Self {
        eprintln!("{name}: {message}");
        Outcome { name, ok: false, passed: 0, failed: 1, seconds: 0, figure: None }
    }
}

pub fn suite(name: &'static str, command: &mut Command) -> Outcome {
    println!("\n=== {name}");
    let started = std::time::Instant::now();
    let (ok, output) = run_teed(command);
    let seconds = started.elapsed().as_secs();
    tests_outcome(name, ok, &output, seconds)
}

/// Judge a test suite by its summary lines and its exit status.
pub fn tests_outcome(name: &'static str, ok: bool, output: &str, seconds: u64) -> Outcome {
    let (summaries, passed, mut failed) = count_results(output);
    // A suite that failed to build, crashed or stopped before its summary is a failure, never "0 passed, 0 failed".
    if (!ok || summaries == 0) && failed == 0 {
        println!(
            "{name}: exited {} with no failed test counted: counted as 1 failed",
            if ok { "cleanly but printed no summary" } else { "with an error" }
        );
        failed = 1;
    }
    Outcome { name, ok: ok && summaries > 0, passed, failed, seconds, figure: None }
}

/// The schemathesis run: generated requests are not tests, so it reports its own figure
/// (`conformance: … requests generated, … failures`, from `conformance/run.sh`) and counts in the
/// tests total only as one failure when it fails.
pub fn conformance_suite(command: &mut Command) -> Outcome {
    let name = "schemathesis conformance";
    println!("\n=== {name}");
    let started = std::time::Instant::now();
    let (exited_ok, output) = run_teed(command);
    let figure = output.lines().rev().find_map(|line| line.strip_prefix("conformance: ")).map(str::to_owned);
    let ok = exited_ok && figure.is_some();
    let figure = figure.unwrap_or_else(|| "stopped before its summary".into());
    let seconds = started.elapsed().as_secs();
    Outcome { name, ok, passed: 0, failed: u64::from(!ok), seconds, figure: Some(format!("conformance: {figure}")) }
}

/// A check that is not tests (a lint): it passes or fails as a whole, and counts in the tests
/// total only as one failure when it fails.
pub fn check(name: &'static str, command: &mut Command) -> Outcome {
    println!("\n=== {name}");
    let started = std::time::Instant::now();
    let (ok, _) = run_teed(command);
    let figure = if ok { "clean" } else { "problems found (see its output above)" };
    Outcome {
        name,
        ok,
        passed: 0,
        failed: u64::from(!ok),
        seconds: started.elapsed().as_secs(),
        figure: Some(figure.into()),
    }
}

/// Count the summary lines, and add up their results: cargo-test summaries
/// (`test result: ok. N passed; M failed`) and plain `name: N passed, M failed` lines.
fn count_results(output: &str) -> (u64, u64, u64) {
    let mut totals = (0, 0, 0);
    let is_summary = |line: &&str| {
        line.starts_with("test result:")
            || line.split_once(": ").is_some_and(|(head, tail)| {
                !head.contains(' ') && tail.split(' ').nth(1) == Some("passed,") && tail.ends_with(" failed")
            })
    };
    for line in output.lines().filter(is_summary) {
        totals.0 += 1;
        let words: Vec<&str> = line.split(|c: char| c.is_whitespace() || c == ';' || c == ',').collect();
        for pair in words.windows(2) {
            let Ok(n) = pair[0].parse::<u64>() else { continue };
            match pair[1] {
                "passed" => totals.1 += n,
                "failed" => totals.2 += n,
                _ => {}
            }
        }
    }
    totals
}

pub fn report(outcomes: &[Outcome], started: std::time::Instant) -> Result<(), String> {
    println!("\n=== summary (tests; the conformance run and the lints are figures of their own)");
    for o in outcomes {
        let time = format!("{}m{:02}s", o.seconds / 60, o.seconds % 60);
        let counts = match &o.figure {
            Some(figure) => figure.clone(),
            None => format!("{} tests passed, {} failed", o.passed, o.failed),
        };
        println!("{:<44} {:<6} {time:>7}  {counts}", o.name, if o.ok { "ok" } else { "FAILED" });
    }
    let total = started.elapsed().as_secs();
    println!("total time {}m{:02}s", total / 60, total % 60);
    let passed: u64 = outcomes.iter().map(|o| o.passed).sum();
    let failed: u64 = outcomes.iter().map(|o| o.failed).sum();
    let broken = outcomes.iter().filter(|o| !o.ok).count();
    println!("{passed} passed, {failed} failed");
    if broken == 0 { Ok(()) } else { Err(format!("{broken} suite(s) failed")) }
}

#[cfg(test)]
mod tests {
    use super::{count_results, tests_outcome};

    #[test]
    fn a_suite_without_its_summary_is_a_failure() {
        // Crashed before any summary, or built nothing: never "0 passed, 0 failed".
        let crashed = tests_outcome("s", false, "error: could not compile `x`\n", 1);
        assert_eq!((crashed.ok, crashed.passed, crashed.failed), (false, 0, 1));
        let silent = tests_outcome("s", true, "all good, no counts\n", 1);
        assert_eq!((silent.ok, silent.failed), (false, 1));
        // One binary passed, a later one crashed: its passes count, and so does the failure.
        let partial = tests_outcome("s", false, "test result: ok. 4 passed; 0 failed; 0 ignored\n", 1);
        assert_eq!((partial.ok, partial.passed, partial.failed), (false, 4, 1));
        let clean = tests_outcome("s", true, "x: 3 passed, 0 failed\n", 1);
        assert_eq!((clean.ok, clean.passed, clean.failed), (true, 3, 0));
    }

    #[test]
    fn counts_cargo_and_schemathesis_summaries() {
        let output = "test result: ok. 16 passed; 0 failed; 0 ignored\n\
                      test result: FAILED. 3 passed; 2 failed; 0 ignored\n\
                      noise 7 passed elsewhere\n\
                      conformance: 40 passed, 0 failed\n";
        assert_eq!(count_results(output), (3, 59, 2));
    }
}
