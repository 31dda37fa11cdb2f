//! `cargo xtask miri [--timeout SECS] [crate]`: run each chapter's Miri checks.
//!
//! A crate opts in with a `[package.metadata.miri]` table:
//!
//! ```toml
//! [package.metadata.miri]
//! seeds = 16                      # schedules to explore (-Zmiri-many-seeds=0..seeds)
//! pass = ["--test", "miri"]       # `cargo miri test` arguments: every test there must pass
//!
//! [[package.metadata.miri.expect]]
//! target = "miri"                 # the test file (tests/miri.rs)
//! test = "broken_relaxed_drop"    # an #[ignore]d test that Miri must fail ...
//! message = "Data race detected"  # ... printing this
//! flags = ""                      # optional extra MIRIFLAGS for this run
//!
//! [[package.metadata.miri.expect]]  # a control: the same kind of #[ignore]d test, which
//! target = "miri"                 # must *pass* with these flags (for example with
//! test = "broken_lock_without_spurious_failures"  # spurious weak-CAS failures turned off)
//! flags = "-Zmiri-compare-exchange-weak-failure-rate=0.0"
//! outcome = "pass"
//! ```
//!
//! Miri ends on undefined behaviour or a deadlock by stopping the interpreter with an error,
//! not by panicking, so a test cannot catch it from inside: this runner starts Miri as a
//! subprocess and checks its exit status and message instead. Broken tests are `#[ignore]`d so
//! that a plain `cargo test` (or the `pass` run) never runs undefined behaviour natively.
//!
//! Every Miri run has a deadline: a thread spinning forever makes Miri run forever (it reports
//! a deadlock only when every thread blocks), so a run past `--timeout` (default
//! [`RUN_TIMEOUT`]) is stopped with its process group and reported with what hung. The build
//! comes first, under its own longer deadline ([`BUILD_TIMEOUT`]). Output is captured and
//! summarised per test, so `-Zmiri-many-seeds` neither interleaves nor lists ignored tests.

use crate::expectation::{self, Outcome};
use crate::toolchain::{NIGHTLY, ensure_miri};
use crate::util::{Result, cmd, text_of, timed, timed_ok};
use crate::workspace::{Package, with_table};
use anyhow::anyhow;
use serde::Deserialize;
use std::process::Command;
use std::time::Duration;

/// The default deadline of one Miri test run (all its seeds). The slowest run here takes
/// about a minute on a loaded 2-core machine; five times that is a hang, not a slow run.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(300);

/// The deadline of a crate's Miri build: the first one also builds Miri's sysroot (~50 s)
/// and the crate's dependencies under Miri.
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(1200);

/// Why a Miri run that never ends usually does not.
const LIKELY: &str = "a spin-wait: Miri reports a deadlock only when every thread blocks, and \
    a thread spinning forever keeps it running. Run the test again with \
    MIRIFLAGS=\"-Zmiri-compare-exchange-weak-failure-rate=0.0\" to see whether a spurious \
    weak-CAS failure causes it.";

/// `[package.metadata.miri]`, as a crate writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    #[serde(default = "default_seeds")]
    seeds: u32,
    #[serde(default)]
    pass: Vec<String>,
    #[serde(default)]
    expect: Vec<Entry>,
}

fn default_seeds() -> u32 {
    16
}

/// One `[[package.metadata.miri.expect]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    target: String,
    test: String,
    message: Option<String>,
    #[serde(default)]
    flags: String,
    #[serde(default)]
    outcome: Outcome,
}

#[derive(Debug)]
struct MiriCrate {
    name: String,
    seeds: u32,
    pass: Vec<String>,
    expect: Vec<Expect>,
}

#[derive(Debug)]
struct Expect {
    target: String,
    test: String,
    /// What Miri must print when it fails the test; `None` for a control that must pass.
    message: Option<String>,
    flags: String,
}

pub fn run_task(flags: crate::flags::PerCrate) -> Result {
    let limit = flags.timeout.unwrap_or(RUN_TIMEOUT);
    let crates = crates(&with_table::<Table>("miri")?)?;
    let chosen = crate::util::choose(&crates, |c| c.name.as_str(), &flags.krate, "Miri checks")?;
    if chosen.is_empty() {
        return Ok(());
    }
    ensure_miri()?;
    for krate in chosen {
        check(krate, limit)?;
    }
    Ok(())
}

/// The crates' tables, checked (a failing expectation needs its message), sorted by name.
fn crates(tables: &[(&Package, Table)]) -> Result<Vec<MiriCrate>> {
    let mut found = Vec::new();
    for (package, table) in tables {
        let name = &package.name;
        let mut expect = Vec::new();
        for entry in &table.expect {
            let message =
                expectation::message("miri", name, &entry.test, &entry.outcome, &entry.message)?;
            expect.push(Expect {
                target: entry.target.clone(),
                test: entry.test.clone(),
                message,
                flags: entry.flags.clone(),
            });
        }
        found.push(MiriCrate {
            name: name.clone(),
            seeds: table.seeds,
            pass: table.pass.clone(),
            expect,
        });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

fn miri_test(krate: &str, flags: &str) -> Command {
    let mut command = cmd("cargo");
    command
        .arg(format!("+{NIGHTLY}"))
        .args(["miri", "test", "--locked", "-p", krate])
        .env("MIRIFLAGS", flags.trim());
    command
}

fn check(krate: &MiriCrate, limit: Duration) -> Result {
    let name = &krate.name;
    let seeds = format!("-Zmiri-many-seeds=0..{}", krate.seeds);
    // Build once, so the test runs' deadlines time the tests, not the compiler.
    timed_ok(
        miri_test(name, &seeds).arg("--no-run"),
        BUILD_TIMEOUT,
        &format!("the Miri build of `{name}`"),
        LIKELY,
    )?;
    if !krate.pass.is_empty() {
        let what = format!("Miri on `{name}` {}", krate.pass.join(" "));
        let output = timed(
            miri_test(name, &seeds).args(&krate.pass),
            limit,
            &what,
            LIKELY,
        )?;
        let text = text_of(&output);
        if !output.status.success() {
            return Err(anyhow!("{what} failed ({}):\n{text}", output.status));
        }
        println!("{}", pass_summary(name, krate.seeds, &text));
    }
    for expect in &krate.expect {
        let mut command = miri_test(name, &format!("{seeds} {}", expect.flags));
        command.args([
            "--test",
            &expect.target,
            "--",
            "--ignored",
            "--exact",
            &expect.test,
        ]);
        let what = format!("Miri on `{name}`, test `{}`", expect.test);
        let output = timed(&mut command, limit, &what, LIKELY)?;
        let text = text_of(&output);
        let passed = output.status.success();
        let verdict = expectation::miri(&expect.test, expect.message.as_deref(), passed, &text)
            .map_err(|e| {
                anyhow!(
                    "{e} (MIRIFLAGS {seeds} {}); it printed:\n{text}",
                    expect.flags
                )
            })?;
        println!("{verdict}");
    }
    Ok(())
}

/// One line for a passing run of many seeds: each test that passed and on how many seeds,
/// instead of libtest's report per seed (interleaved, with every ignored test listed).
fn pass_summary(krate: &str, seeds: u32, output: &str) -> String {
    let mut passed = expectation::passes(output);
    passed.sort_unstable();
    let tests: Vec<String> = passed
        .iter()
        .map(|(name, runs)| format!("{name} ({runs})"))
        .collect();
    format!(
        "Miri passed {} tests of `{krate}` with {seeds} seeds (test (runs)): {}",
        passed.len(),
        tests.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo metadata`'s JSON with one more package holding this `[package.metadata.miri]`.
    fn tables(miri: &str) -> Result<Vec<MiriCrate>> {
        let packages = crate::workspace::sample("miri", miri);
        crates(&crate::workspace::tables_in::<Table>(&packages, "miri")?)
    }

    #[test]
    fn an_unknown_outcome_or_a_missing_message_is_an_error() {
        let error =
            tables(r#"{"expect":[{"target":"miri","test":"t","outcome":"maybe"}]}"#).unwrap_err();
        assert!(error.to_string().contains("refcount"), "{error}");
        let error = tables(r#"{"expect":[{"target":"miri","test":"t"}]}"#).unwrap_err();
        assert!(error.to_string().contains("needs `message`"), "{error}");
    }

    #[test]
    fn reads_the_miri_table() {
        let crates = tables(
            r#"{"seeds":8,"pass":["--test","miri"],
             "expect":[{"target":"miri","test":"broken_drop","message":"Data race"},
                       {"target":"miri","test":"ctl","outcome":"pass","flags":"-Zx"}]}"#,
        )
        .unwrap();
        assert_eq!(crates.len(), 1);
        assert_eq!(crates[0].seeds, 8);
        assert_eq!(crates[0].pass, ["--test", "miri"]);
        assert_eq!(crates[0].expect[0].test, "broken_drop");
        assert_eq!(crates[0].expect[1].message, None);
        assert_eq!(crates[0].expect[1].flags, "-Zx");
        assert_eq!(tables("{}").unwrap()[0].seeds, 16);
    }

    #[test]
    fn many_seeds_are_summarised_per_test_without_ignored_ones() {
        let output = "running 3 tests\ntest a ... ok\ntest broken ... ignored\n\
                      test b ... ok\ntest a ... ok\ntest b ... ok\ntest broken ... ignored\n";
        assert_eq!(
            pass_summary("races", 2, output),
            "Miri passed 2 tests of `races` with 2 seeds (test (runs)): a (2), b (2)"
        );
    }

    #[test]
    fn a_hung_run_names_the_likely_cause() {
        // util::timed puts this after what hung and for how long (tested there).
        assert!(LIKELY.contains("Miri reports a deadlock only when every thread blocks"));
        assert!(LIKELY.contains("-Zmiri-compare-exchange-weak-failure-rate=0.0"));
    }
}
