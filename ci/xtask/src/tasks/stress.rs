//! `cargo xtask stress`: every chapter crate's stress tests (`tests/stress.rs`) on real
//! threads, in one release build, with what the broken code did printed (`--nocapture`).
//!
//! The arm64 CI job runs this, so the list of crates comes from the crates themselves: a
//! crate with a `tests/stress.rs` is in it, and adding one needs no change here or in the
//! workflow. The stress tests assert only what must hold on any processor (the fixed code's
//! exact totals); what broken code does differs from run to run, so it is printed, never
//! asserted.

use crate::util::{Result, anyhow, cmd, run as run_command};
use crate::workspace;

/// The test target every crate's stress tests live in.
const TARGET: &str = "stress";

pub fn run() -> Result {
    let crates = stress_crates()?;
    if crates.is_empty() {
        return Err(anyhow!("no workspace crate has a tests/{TARGET}.rs"));
    }
    let mut command = cmd("cargo");
    command.args(["test", "--release", "--locked", "--test", TARGET]);
    for krate in &crates {
        command.args(["-p", krate]);
    }
    run_command(command.args(["--", "--nocapture"]))
}

/// The workspace crates with a `tests/stress.rs`, by name.
fn stress_crates() -> Result<Vec<&'static str>> {
    let mut names: Vec<&str> = workspace::packages()?
        .iter()
        .filter(|p| p.dir().join("tests").join(format!("{TARGET}.rs")).is_file())
        .map(|p| p.name.as_str())
        .collect();
    names.sort_unstable();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_crate_with_a_stress_test_file_is_run() {
        let crates = stress_crates().unwrap();
        // The two the hand-written list in the workflow had missed, and the first chapter's.
        for name in ["counter", "happens-before", "races"] {
            assert!(crates.contains(&name), "{name} is missing from {crates:?}");
        }
        assert!(!crates.contains(&"xtask") && !crates.contains(&"model"));
    }
}
