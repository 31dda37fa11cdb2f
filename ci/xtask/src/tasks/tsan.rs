//! `cargo xtask tsan [--timeout SECS] [crate]`: ThreadSanitizer's verdicts on the chapters'
//! `tests/tsan.rs`.
//!
//! A crate opts in with `[[package.metadata.tsan.expect]]` entries, one for each `#[ignore]`d
//! test in its `tests/tsan.rs`:
//!
//! ```toml
//! [[package.metadata.tsan.expect]]
//! test = "fixed_fence_drop_is_reported_as_a_race"   # TSan must report ...
//! message = "WARNING: ThreadSanitizer: data race"   # ... this
//!
//! [[package.metadata.tsan.expect]]
//! test = "acquire_load_drop_is_clean"               # a control: TSan must stay silent
//! outcome = "pass"
//! ```
//!
//! TSan needs the standard library rebuilt with the sanitizer (`-Zbuild-std`, so a nightly with
//! `rust-src`: the pinned one Miri uses) and an explicit `--target`. It prints its report and
//! then makes the process exit with status 66, even though libtest has already printed "ok"
//! for the test: so this runner, not the test, judges the verdict, from the exit status and the
//! output. The build goes to `target/tsan`, apart from the normal and loom builds.
//!
//! Every run has a deadline (`--timeout`, default [`RUN_TIMEOUT`]; the build [`BUILD_TIMEOUT`]):
//! one past it is stopped with its process group and reported with what hung.

use crate::expectation::{self, Outcome};
use crate::toolchain::{NIGHTLY, install_nightly};
use crate::util::{Result, capture, cmd, root, step, text_of, timed, timed_ok};
use crate::workspace::{Package, with_table};
use anyhow::anyhow;
use serde::Deserialize;
use std::process::Command;
use std::time::{Duration, Instant};

/// The default deadline of one TSan test: every test here finishes in well under a second, so
/// one that takes this long is stuck (say, a lock waiting for an unlock that never comes).
pub const RUN_TIMEOUT: Duration = Duration::from_secs(120);

/// The deadline of a crate's TSan build: the first one compiles std with the sanitizer.
pub const BUILD_TIMEOUT: Duration = Duration::from_secs(1200);

/// Why an instrumented test that never ends usually does not.
const LIKELY: &str = "a lock taken twice or a wait that nobody ends (a deadlock), or a \
    spin-wait for a value that never arrives; TSan reports races, not hangs.";

/// `[package.metadata.tsan]`, as a crate writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    expect: Vec<Entry>,
}

/// One `[[package.metadata.tsan.expect]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(default = "default_target")]
    target: String,
    test: String,
    message: Option<String>,
    #[serde(default)]
    outcome: Outcome,
}

fn default_target() -> String {
    "tsan".to_owned()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsanCrate {
    pub name: String,
    pub expect: Vec<Expect>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expect {
    /// The test file: `tsan` (tests/tsan.rs) unless the entry names another.
    pub target: String,
    pub test: String,
    /// What TSan must print; `None` for a control, which must pass with no report.
    pub message: Option<String>,
}

pub fn run_task(flags: crate::flags::PerCrate) -> Result {
    let limit = flags.timeout.unwrap_or(RUN_TIMEOUT);
    let crates = crates(&with_table::<Table>("tsan")?)?;
    let chosen = crate::util::choose(&crates, |c| c.name.as_str(), &flags.krate, "TSan checks")?;
    let started = Instant::now();
    ensure_toolchain()?;
    for krate in chosen {
        check(krate, limit)?;
    }
    step(&format!(
        "TSan checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// The crates' tables, checked (a failing expectation needs its message), sorted by name.
fn crates(tables: &[(&Package, Table)]) -> Result<Vec<TsanCrate>> {
    let mut found = Vec::new();
    for (package, table) in tables {
        let name = &package.name;
        if table.expect.is_empty() {
            return Err(anyhow!("{name}: [package.metadata.tsan] lists no `expect`"));
        }
        let expect = table
            .expect
            .iter()
            .map(|entry| {
                let message = expectation::message(
                    "tsan",
                    name,
                    &entry.test,
                    &entry.outcome,
                    &entry.message,
                )?;
                Ok(Expect {
                    target: entry.target.clone(),
                    test: entry.test.clone(),
                    message,
                })
            })
            .collect::<Result<_>>()?;
        found.push(TsanCrate {
            name: name.clone(),
            expect,
        });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// The target TSan builds for: this machine's, on Linux (the sanitizer's runtime ships for
/// x86-64 and AArch64 Linux among others; this project's CI is Linux).
fn target() -> Result<String> {
    if std::env::consts::OS != "linux" {
        return Err(anyhow!(
            "`cargo xtask tsan` runs on Linux only (ThreadSanitizer's runtime, and \
                    the target triple it builds std for)"
        ));
    }
    Ok(format!("{}-unknown-linux-gnu", std::env::consts::ARCH))
}

/// The pinned nightly with `rust-src` (for `-Zbuild-std`). `cargo xtask miri` installs the same
/// toolchain with Miri as well; this installs only what TSan needs if it is not there.
fn ensure_toolchain() -> Result {
    let library =
        capture(Command::new("rustup").args(["run", NIGHTLY, "rustc", "--print", "sysroot"]))
            .ok()
            .filter(|output| output.status.success())
            .map(|output| {
                std::path::PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
                    .join("lib/rustlib/src/rust/library")
            });
    if library.is_some_and(|dir| dir.is_dir()) {
        return Ok(());
    }
    install_nightly("rust-src", "TSan")
}

/// `cargo test` of one crate's TSan target, instrumented: the crate, its dependencies and std.
fn tsan_test(krate: &str, target_file: &str) -> Result<Command> {
    let mut command = cmd("cargo");
    command
        .arg(format!("+{NIGHTLY}"))
        .args(["test", "--locked", "-Zbuild-std", "--target", &target()?])
        .args(["-p", krate, "--test", target_file])
        .env("RUSTFLAGS", "-Zsanitizer=thread")
        .env("CARGO_TARGET_DIR", root().join("target/tsan"));
    Ok(command)
}

fn check(krate: &TsanCrate, limit: Duration) -> Result {
    let name = &krate.name;
    // Build first, under its own deadline: the first build of all compiles std with the
    // sanitizer, and the test runs' deadlines should time the tests alone.
    let mut targets: Vec<&str> = krate.expect.iter().map(|e| e.target.as_str()).collect();
    targets.sort_unstable();
    targets.dedup();
    for target_file in targets {
        let what = format!("the TSan build of `{name}` --test {target_file}");
        timed_ok(
            tsan_test(name, target_file)?.arg("--no-run"),
            BUILD_TIMEOUT,
            &what,
            LIKELY,
        )?;
    }
    for expect in &krate.expect {
        let mut command = tsan_test(name, &expect.target)?;
        command.args(["--", "--ignored", "--exact", &expect.test]);
        let what = format!("TSan on `{name}`, test `{}`", expect.test);
        let output = timed(&mut command, limit, &what, LIKELY)?;
        let text = text_of(&output);
        let status = output.status.code();
        let verdict = expectation::tsan(&expect.test, expect.message.as_deref(), status, &text)
            .map_err(|e| anyhow!("{e}; it printed:\n{text}"))?;
        println!("{verdict}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo metadata`'s JSON with one more package holding this `[package.metadata.tsan]`.
    fn tables(tsan: &str) -> Result<Vec<TsanCrate>> {
        let packages = crate::workspace::sample("tsan", tsan);
        crates(&crate::workspace::tables_in::<Table>(&packages, "tsan")?)
    }

    #[test]
    fn reads_the_tsan_table() {
        let crates = tables(
            r#"{"expect":[{"test":"fence_drop","message":"data race"},
             {"test":"arc","outcome":"pass","target":"other"}]}"#,
        )
        .unwrap();
        assert_eq!(crates.len(), 1);
        assert_eq!(crates[0].expect[0].target, "tsan");
        assert_eq!(crates[0].expect[1].target, "other");
        assert_eq!(crates[0].expect[1].message, None);
    }

    #[test]
    fn an_unknown_outcome_a_missing_message_or_no_entry_is_an_error() {
        let error = tables(r#"{"expect":[{"test":"t","outcome":"maybe"}]}"#).unwrap_err();
        assert!(error.to_string().contains("refcount"), "{error}");
        let error = tables(r#"{"expect":[{"test":"t"}]}"#).unwrap_err();
        assert!(error.to_string().contains("needs `message`"), "{error}");
        let error = tables(r#"{"expect":[]}"#).unwrap_err();
        assert!(error.to_string().contains("lists no `expect`"), "{error}");
    }

    #[test]
    fn a_hung_run_names_the_likely_cause() {
        // util::timed puts this after what hung and for how long (tested there).
        assert!(LIKELY.contains("a lock taken twice"));
    }
}
