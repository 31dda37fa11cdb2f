//! `cargo test -p xtask own_crate`: the guide's loom command on the crate outside the
//! workspace, the abort the guide warns about, and a check that never ends.

use super::{GUIDE, OwnCrate, guide_commands};
use crate::util::{Result, anyhow, explain_timeout, output_within, root};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

impl OwnCrate {
    /// `cargo test` in the crate's directory, as a reader runs it there.
    fn cargo_test(&self, target_dir: &Path) -> Command {
        let mut command = Command::new("cargo");
        command
            .current_dir(&self.0)
            .args(["test", "--quiet"])
            .env("CARGO_TARGET_DIR", target_dir);
        command
    }
}

/// The guide's loom command: the one console command that sets `RUSTFLAGS="--cfg loom"`.
fn loom_command() -> Result<super::guide::Shown> {
    let mut found = guide_commands()?
        .into_iter()
        .filter(|shown| shown.var("RUSTFLAGS") == Some("--cfg loom"));
    match (found.next(), found.next()) {
        (Some(shown), None) => Ok(shown),
        _ => Err(anyhow!(
            "{GUIDE} should show exactly one command with RUSTFLAGS=\"--cfg loom\""
        )),
    }
}

/// The guide's loom command on the reader's crate: the broken push is caught for its reason,
/// the fixed stack passes, and every model prints its execution count, with the warning on
/// the model too small to reach the race.
#[test]
fn the_guides_loom_command_judges_a_crate_outside_the_workspace() -> Result {
    let own = OwnCrate::new("own-crate-loom")?;
    let shown = loom_command()?;
    assert_eq!(
        shown.args,
        ["test", "--release", "--test", "loom"],
        "{GUIDE}:{}: the command this test checks changed",
        shown.line
    );
    let started = Instant::now();
    // Its `CARGO_TARGET_DIR=target/loom` becomes the workspace's: the same loom and `support`
    // builds as the chapters' models (`cargo xtask test` runs those after this test, so
    // nothing is built twice), and nothing written into the reader's crate.
    let mut command = own.command(&shown);
    let output = output_within(
        &mut command,
        Duration::from_secs(900),
        "the guide's loom command on the e2e crate",
    )
    .map_err(|e| explain_timeout(e, "a loom model too big, or a build that stalled"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{text}");
    eprintln!(
        "loom on the e2e crate: {:.0} s (build included)",
        started.elapsed().as_secs_f64()
    );
    // `expect_bug` has checked the message ("Causality violation"); the shim names the run.
    assert!(
        text.contains(
            "loom failed in execution 1 (broken_push_is_caught_when_the_pop_retries at tests/loom.rs:"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "loom explored 1 executions (one_pop_misses_the_broken_push at tests/loom.rs:"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "warning: only 1 executions: the model may never reach the racing access \
             (one_pop_misses_the_broken_push"
        ),
        "{text}"
    );
    let big = text
        .lines()
        .find_map(|line| {
            line.strip_prefix("loom explored ")?
                .strip_suffix(")")?
                .split_once(" executions (fixed_stack_passes_two_pushers at ")
        })
        .ok_or_else(|| anyhow!("no count for fixed_stack_passes_two_pushers:\n{text}"))?;
    let count: usize = big.0.parse()?;
    // The guide shows these lines as the output of its command: they must be the output.
    let guide = std::fs::read_to_string(root().join(GUIDE))?;
    let shown: Vec<&str> = guide
        .lines()
        .filter(|line| {
            [
                "loom explored ",
                "loom failed in execution ",
                "warning: only ",
            ]
            .iter()
            .any(|start| line.starts_with(start))
        })
        .collect();
    assert!(shown.len() >= 4, "the guide shows no loom output any more");
    for line in shown {
        assert!(
            text.lines().any(|out| out == line),
            "the guide shows `{line}`, which the command did not print:\n{text}"
        );
    }
    assert!(count >= 10, "two pushers explored only {count}:\n{text}");
    assert!(
        !text.lines().any(|line| line.starts_with("warning: only")
            && line.contains("(fixed_stack_passes_two_pushers")),
        "{text}"
    );
    Ok(())
}

/// A check that never ends (a test spinning for a value nobody pushes) is stopped at its
/// deadline with what hung and the likely cause, and the test binary it ran is gone.
#[test]
fn a_check_that_never_ends_is_stopped_with_what_hung() -> Result {
    let own = OwnCrate::new("own-crate-hang")?;
    let target = root().join("target/own-crate");
    // Built first, with a generous deadline, so the short one below times the test alone.
    let build = output_within(
        own.cargo_test(&target).args(["--test", "hang", "--no-run"]),
        Duration::from_secs(600),
        "building the e2e crate's hang test",
    )?;
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let started = Instant::now();
    let mut command = own.cargo_test(&target);
    command.args(["--test", "hang", "--", "--ignored", "--exact"]);
    command.arg("waits_for_a_value_nobody_pushes");
    let error = output_within(
        &mut command,
        Duration::from_secs(3),
        "`treiber`, test `waits_for_a_value_nobody_pushes`",
    )
    .map(|_| ())
    .map_err(|e| explain_timeout(e, "a spin-wait for a value that never arrives"))
    .expect_err("the test spins forever, so the deadline must stop it");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "not stopped in time"
    );
    let message = error.to_string();
    assert!(
        message.starts_with(
            "`treiber`, test `waits_for_a_value_nobody_pushes` was still running after 3 s"
        ),
        "{message}"
    );
    assert!(message.contains("Likely cause: a spin-wait"), "{message}");
    // The whole process group went: no test binary of the e2e crate is left spinning.
    let left = Command::new("pgrep")
        .args(["-f", "own-crate/debug/deps/hang-"])
        .output()?;
    assert!(
        left.stdout.is_empty(),
        "still running: {}",
        String::from_utf8_lossy(&left.stdout)
    );
    Ok(())
}

/// What Rust prints when a destructor panics while a panic unwinds, before it aborts.
const DOUBLE_PANIC: &str = "panic in a destructor during cleanup";

/// The guide's warning, as it happens: a model fails, and while its panic unwinds a `Drop`
/// reads a loom cell, which loom fails again. The second panic aborts the test binary
/// (SIGABRT): no test result, nothing from `expect_bug`, which the model was run under. With
/// the guard the guide advises, the same model is caught by `expect_bug` and the test passes.
#[test]
fn a_destructor_touching_loom_while_a_model_fails_aborts_the_binary() -> Result {
    let own = OwnCrate::new("own-crate-unwind")?;
    // The guide's loom command, for the other test file, built but not run: the binary is run
    // below, one test at a time, so how it ends is this test's to see, not cargo's to report.
    let mut shown = loom_command()?;
    shown.args = [
        "test",
        "--release",
        "--test",
        "loom_unwind",
        "--no-run",
        "--message-format=json",
    ]
    .map(String::from)
    .into();
    let build = output_within(
        &mut own.command(&shown),
        Duration::from_secs(900),
        "building the e2e crate's loom_unwind test",
    )?;
    let json = String::from_utf8_lossy(&build.stdout);
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let binary = json
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|message| message["target"]["name"] == "loom_unwind")
        .and_then(|message| message["executable"].as_str().map(str::to_owned))
        .ok_or_else(|| anyhow!("cargo named no loom_unwind binary:\n{json}"))?;
    let run = |test: &str| -> Result<(std::process::ExitStatus, String)> {
        let output = output_within(
            Command::new(&binary).args(["--include-ignored", "--exact", test]),
            Duration::from_secs(120),
            &format!("loom_unwind's `{test}`"),
        )?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        Ok((output.status, text))
    };

    let (status, text) = run("a_loud_destructor_aborts_the_failing_model")?;
    assert_eq!(
        status.signal(),
        Some(6),
        "not killed by SIGABRT ({status}):\n{text}"
    );
    // The model's own failure came first, then the destructor's, then the abort.
    let first = text.find("Causality violation").unwrap_or(usize::MAX);
    let second = text.find(DOUBLE_PANIC).unwrap_or(0);
    assert!(first < second, "{text}");
    assert!(!text.contains("test result:"), "{text}");

    let (status, text) = run("a_quiet_destructor_lets_expect_bug_catch_the_failure")?;
    assert!(status.success(), "{text}");
    assert!(
        text.contains("test a_quiet_destructor_lets_expect_bug_catch_the_failure ... ok"),
        "{text}"
    );

    // The guide quotes the message a reader sees (wherever its lines wrap).
    let guide = std::fs::read_to_string(root().join(GUIDE))?;
    let guide = guide.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        guide.contains(DOUBLE_PANIC),
        "{GUIDE} no longer quotes `{DOUBLE_PANIC}`"
    );
    Ok(())
}
