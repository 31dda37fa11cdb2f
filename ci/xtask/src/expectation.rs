//! What `[[package.metadata.miri.expect]]` and `[[package.metadata.tsan.expect]]` share: each
//! entry names a test that the tool must fail with a given message, or (`outcome = "pass"`)
//! a control it must pass. The verdicts on a run ([`miri`], [`tsan`]) live here too, so that
//! `cargo xtask miri`/`tsan` and the guide's end-to-end test (`tasks/own_crate`) judge alike.

use crate::util::{Result, anyhow};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    #[default]
    Fail,
    Pass,
}

/// The message `tool` must print for `test` of `krate`: required for a failure (a broken test
/// caught for an unnamed reason proves nothing), `None` for a control.
pub fn message(
    tool: &str,
    krate: &str,
    test: &str,
    outcome: &Outcome,
    message: &Option<String>,
) -> Result<Option<String>> {
    match (outcome, message) {
        (Outcome::Fail, Some(message)) => Ok(Some(message.clone())),
        (Outcome::Fail, None) => Err(anyhow!(
            "{krate}: [[package.metadata.{tool}.expect]] `{test}` needs `message` (or outcome = \
             \"pass\")"
        )),
        (Outcome::Pass, _) => Ok(None),
    }
}

/// The exit status ThreadSanitizer gives a process it reported something in (`exitcode=66`).
pub const TSAN_EXIT: i32 = 66;

/// How every ThreadSanitizer report begins.
pub const TSAN_REPORT: &str = "WARNING: ThreadSanitizer";

/// Each test libtest reported as passed, with how many times (once per Miri seed), in the
/// order each first passed.
pub fn passes(output: &str) -> Vec<(&str, usize)> {
    let mut passed: Vec<(&str, usize)> = Vec::new();
    for test in output.lines().filter_map(|line| {
        line.strip_prefix("test ")
            .and_then(|rest| rest.strip_suffix(" ... ok"))
    }) {
        match passed.iter_mut().find(|(name, _)| *name == test) {
            Some((_, count)) => *count += 1,
            None => passed.push((test, 1)),
        }
    }
    passed
}

/// Miri's verdict on one run of `test`: with a `message`, Miri must have failed it and printed
/// that; without one (a control), it must have passed, and the test must have run. Returns the
/// line to print; an error leaves out the output, which the caller has.
pub fn miri(test: &str, message: Option<&str>, passed: bool, output: &str) -> Result<String> {
    let ran = output.contains(&format!("test {test} ..."));
    let Some(message) = message else {
        return match (passed, ran) {
            (true, true) => Ok(format!("Miri passed the control `{test}` as expected")),
            (true, false) => Err(anyhow!("the control `{test}` did not run")),
            (false, _) => Err(anyhow!(
                "the control `{test}` should pass under Miri, but it failed"
            )),
        };
    };
    if passed {
        let ran = if ran {
            "the test ran"
        } else {
            "did the test run at all?"
        };
        return Err(anyhow!(
            "Miri did not catch `{test}`: it passed every seed ({ran})"
        ));
    }
    let Some(first_error) = output.lines().find(|line| line.contains(message)) else {
        return Err(anyhow!("Miri failed `{test}`, but without {message:?}"));
    };
    Ok(format!(
        "Miri caught `{test}` as expected: {}",
        first_error.trim()
    ))
}

/// ThreadSanitizer's verdict on one run of `test`: a report needs the `message` and TSan's exit
/// status ([`TSAN_EXIT`]); a control must exit 0 with no report at all. Either way the test must
/// have run to its end (one that panicked did not reach the point a report is about). Returns
/// the line to print; an error leaves out the output, which the caller has.
pub fn tsan(
    test: &str,
    message: Option<&str>,
    status: Option<i32>,
    output: &str,
) -> Result<String> {
    let ran = output.contains(&format!("test {test} ... ok"));
    let reported = output.contains(TSAN_REPORT);
    let Some(message) = message else {
        return match (status, ran, reported) {
            (Some(0), true, false) => Ok(format!("TSan passed the control `{test}` as expected")),
            (Some(0), false, _) => Err(anyhow!("the control `{test}` did not run")),
            _ => Err(anyhow!(
                "the control `{test}` should pass under TSan with no report, but it exited \
                 with {status:?}"
            )),
        };
    };
    if !ran {
        return Err(anyhow!(
            "`{test}` did not run to the end under TSan (exit status {status:?})"
        ));
    }
    if status != Some(TSAN_EXIT) || !output.contains(message) {
        return Err(anyhow!(
            "TSan should have reported `{test}` with {message:?} (exit status {TSAN_EXIT}), but \
             it exited with {status:?}"
        ));
    }
    let summary = output
        .lines()
        .find(|line| line.starts_with("SUMMARY: ThreadSanitizer"))
        .unwrap_or(message);
    Ok(format!(
        "TSan reported `{test}` as expected: {}",
        summary.trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIRI_RACE: &str = "Data race detected";

    #[test]
    fn a_miri_control_must_pass_and_run() {
        miri("broken_drop", None, true, "test broken_drop ... ok").unwrap();
        assert!(miri("broken_drop", None, true, "running 0 tests").is_err());
        assert!(miri("broken_drop", None, false, "error: deadlock").is_err());
    }

    #[test]
    fn a_broken_test_miri_passes_is_an_error() {
        let error = miri(
            "broken_drop",
            Some(MIRI_RACE),
            true,
            "test broken_drop ... ok",
        )
        .unwrap_err();
        assert!(error.to_string().contains("did not catch"), "{error}");
    }

    #[test]
    fn a_miri_failure_for_another_reason_is_an_error() {
        let output = "error: Undefined Behavior: out-of-bounds";
        let error = miri("broken_drop", Some(MIRI_RACE), false, output).unwrap_err();
        assert!(error.to_string().contains("without"), "{error}");
    }

    #[test]
    fn the_expected_miri_failure_passes() {
        let output = "error: Undefined Behavior: Data race detected between (1) write and (2) read";
        let line = miri("broken_drop", Some(MIRI_RACE), false, output).unwrap();
        assert!(line.ends_with(output), "{line}");
    }

    const TSAN_RACE: &str = "WARNING: ThreadSanitizer: data race";
    const RACE: &str = "WARNING: ThreadSanitizer: data race (pid=1)\ntest fence_drop ... ok\n";

    #[test]
    fn a_tsan_report_needs_the_message_and_status_66() {
        tsan("fence_drop", Some(TSAN_RACE), Some(66), RACE).unwrap();
        let ok = "test fence_drop ... ok";
        assert!(tsan("fence_drop", Some(TSAN_RACE), Some(0), ok).is_err());
        assert!(tsan("fence_drop", Some(TSAN_RACE), Some(66), ok).is_err());
        // A test that panicked did not reach the point the report is about.
        let failed = "test fence_drop ... FAILED";
        assert!(tsan("fence_drop", Some(TSAN_RACE), Some(101), failed).is_err());
    }

    #[test]
    fn a_tsan_control_must_run_and_stay_silent() {
        tsan("fence_drop", None, Some(0), "test fence_drop ... ok").unwrap();
        assert!(tsan("fence_drop", None, Some(66), RACE).is_err());
        assert!(tsan("fence_drop", None, Some(0), "running 0 tests").is_err());
    }

    #[test]
    fn passes_are_counted_per_test_without_ignored_ones() {
        let output = "test a ... ok\ntest broken ... ignored\ntest b ... ok\ntest a ... ok\n";
        assert_eq!(passes(output), [("a", 2), ("b", 1)]);
    }
}
