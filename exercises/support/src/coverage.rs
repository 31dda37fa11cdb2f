//! How much of a loom model's state space a run explored, said out loud.
//!
//! A model can pass while exploring one execution (a Treiber-stack model with one push and one
//! pop does), and nothing in loom's output says so. [`crate::model`] therefore counts the
//! executions and prints one line per model to stderr, in this exact format (other tools parse
//! it: the audit and the learner loop):
//!
//! ```text
//! loom explored 118 executions (tests::bounded at src/check.rs:43, preemption bound 2)
//! warning: only 1 executions: the model may never reach the racing access (tests::naive at src/check.rs:9)
//! loom failed in execution 3 (tests::broken at src/check.rs:15)
//! ```
//!
//! The part in parentheses is the libtest test name (the test thread's name) and the model's
//! call site; a model run outside a test thread gives the call site alone. `, preemption bound B`
//! follows when the model explored only schedules with at most B preemptions, and `, stopped by
//! LOOM_MAX_PERMUTATIONS=M` or `, stopped by LOOM_MAX_DURATION=S s` when loom gave up early.
//! The lines are written straight to the process's stderr, not through `eprintln!`, so that
//! libtest's output capture does not hide them when the test passes.

use std::fmt::Write as _;
use std::io::Write as _;
use std::panic::Location;
use std::time::Duration;

/// Fewer executions than this and the model probably never let two threads' accesses race.
pub const FEW_EXECUTIONS: usize = 10;

/// What limited a model's exploration, read from loom's builder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// `preemption_bound` (or `LOOM_MAX_PREEMPTIONS`).
    pub preemption_bound: Option<usize>,
    /// `LOOM_MAX_PERMUTATIONS`: loom stops quietly after this many executions.
    pub max_permutations: Option<usize>,
    /// `LOOM_MAX_DURATION`: loom stops quietly after this long.
    pub max_duration: Option<Duration>,
}

/// Which model this is: `test name at file:line`, or `file:line` outside a test thread.
pub fn model_name(caller: &Location<'_>) -> String {
    let site = format!("{}:{}", caller.file(), caller.line());
    match std::thread::current().name() {
        Some(test) if test != "main" => format!("{test} at {site}"),
        _ => site,
    }
}

/// The lines reporting a model that explored `executions` executions. `failed` is true when the
/// last of them failed (then the count is the execution the failure was found in).
pub fn report(
    name: &str,
    executions: usize,
    failed: bool,
    limits: Limits,
    elapsed: Duration,
) -> String {
    if failed {
        return format!("loom failed in execution {executions} ({name})\n");
    }
    let mut line = format!("loom explored {executions} executions ({name}");
    if let Some(bound) = limits.preemption_bound {
        let _ = write!(line, ", preemption bound {bound}");
    }
    // loom checks these limits only every `checkpoint_interval` executions and then returns as
    // if it had finished, so "reached the limit" is the best that can be said.
    if let Some(max) = limits.max_permutations.filter(|&max| executions + 1 >= max) {
        let _ = write!(line, ", stopped by LOOM_MAX_PERMUTATIONS={max}");
    }
    if let Some(max) = limits.max_duration.filter(|&max| elapsed >= max) {
        let _ = write!(line, ", stopped by LOOM_MAX_DURATION={} s", max.as_secs());
    }
    line.push_str(")\n");
    if executions < FEW_EXECUTIONS {
        let _ = writeln!(
            line,
            "warning: only {executions} executions: the model may never reach the racing access \
             ({name}); let a thread retry until the value it waits for arrives, or give each \
             thread more operations"
        );
    }
    line
}

/// Writes `text` to the process's stderr in one call, past libtest's capture.
pub fn emit(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn a_large_model_gets_one_line() {
        let text = report("t at src/a.rs:3", 120, false, Limits::default(), SECOND);
        assert_eq!(text, "loom explored 120 executions (t at src/a.rs:3)\n");
    }

    #[test]
    fn a_small_model_gets_a_warning() {
        let text = report("t", 1, false, Limits::default(), SECOND);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "loom explored 1 executions (t)");
        assert!(
            lines[1].starts_with(
                "warning: only 1 executions: the model may never reach the racing access (t)"
            ),
            "{text}"
        );
    }

    #[test]
    fn bounds_and_early_stops_are_named() {
        let limits = Limits {
            preemption_bound: Some(2),
            max_permutations: Some(50),
            max_duration: Some(SECOND),
        };
        let text = report("t", 49, false, limits, 2 * SECOND);
        assert_eq!(
            text.lines().next().unwrap(),
            "loom explored 49 executions (t, preemption bound 2, stopped by \
             LOOM_MAX_PERMUTATIONS=50, stopped by LOOM_MAX_DURATION=1 s)"
        );
        // Limits that were not reached are not claimed.
        let text = report("t", 20, false, limits, Duration::ZERO);
        assert_eq!(
            text,
            "loom explored 20 executions (t, preemption bound 2)\n"
        );
    }

    #[test]
    fn a_failure_names_its_execution() {
        let text = report("t", 3, true, Limits::default(), SECOND);
        assert_eq!(text, "loom failed in execution 3 (t)\n");
    }

    #[test]
    fn the_name_is_the_test_and_the_call_site() {
        let name = model_name(Location::caller());
        assert!(
            name.starts_with("coverage::tests::the_name_is_the_test_and_the_call_site at "),
            "{name}"
        );
        assert!(name.contains("coverage.rs:"), "{name}");
    }
}
