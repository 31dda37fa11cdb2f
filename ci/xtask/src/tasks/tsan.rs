//! `cargo xtask tsan [crate]`: ThreadSanitizer's verdicts on the chapters' `tests/tsan.rs`.
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

use crate::tasks::miri::NIGHTLY;
use crate::util::{self, Result, capture, cargo_metadata, cmd, describe, root, run, step};
use anyhow::anyhow;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The exit status ThreadSanitizer gives a process it reported something in (`exitcode=66`).
const TSAN_EXIT: i32 = 66;

/// Every TSan test here finishes in well under a second; one that takes this long is stuck
/// (say, a lock waiting for an unlock that never comes) and is stopped.
const TIMEOUT: Duration = Duration::from_secs(120);

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

pub fn run_task(args: &[String]) -> Result {
    let crates = parse_metadata(&cargo_metadata()?)?;
    let chosen = util::choose(
        &crates,
        |c| c.name.as_str(),
        args,
        "TSan checks",
        "cargo xtask tsan [crate]",
    )?;
    let started = Instant::now();
    ensure_toolchain()?;
    for krate in chosen {
        check(krate)?;
    }
    step(&format!(
        "TSan checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// Reads every `[[package.metadata.tsan.expect]]` in the workspace, crates sorted by name.
pub fn parse_metadata(metadata: &serde_json::Value) -> Result<Vec<TsanCrate>> {
    let mut found = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let tsan = &package["metadata"]["tsan"];
        if tsan.is_null() {
            continue;
        }
        let name = package["name"].as_str().unwrap_or_default().to_owned();
        let mut expect = Vec::new();
        for entry in tsan["expect"].as_array().into_iter().flatten() {
            let test = entry["test"]
                .as_str()
                .ok_or_else(|| anyhow!("{name}: a TSan expectation needs `test`"))?;
            let message = match entry["outcome"].as_str().unwrap_or("fail") {
                "fail" => Some(
                    entry["message"]
                        .as_str()
                        .ok_or_else(|| {
                            format!("{name}: `{test}` needs `message` (or outcome = \"pass\")")
                        })
                        .map_err(anyhow::Error::msg)?
                        .to_owned(),
                ),
                "pass" => None,
                other => {
                    return Err(anyhow!(
                        "{name}: a TSan expectation's `outcome` is \"fail\" or \"pass\", not {other:?}"
                    ));
                }
            };
            expect.push(Expect {
                target: entry["target"].as_str().unwrap_or("tsan").to_owned(),
                test: test.to_owned(),
                message,
            });
        }
        if expect.is_empty() {
            return Err(anyhow!("{name}: [package.metadata.tsan] lists no `expect`"));
        }
        found.push(TsanCrate { name, expect });
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
    crate::tasks::miri::install_nightly("rust-src", "TSan")
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

fn check(krate: &TsanCrate) -> Result {
    // Build first, untimed: the first build of all compiles std with the sanitizer.
    let mut targets: Vec<&str> = krate.expect.iter().map(|e| e.target.as_str()).collect();
    targets.sort_unstable();
    targets.dedup();
    for target_file in targets {
        run(tsan_test(&krate.name, target_file)?.arg("--no-run"))?;
    }
    for expect in &krate.expect {
        let mut command = tsan_test(&krate.name, &expect.target)?;
        command.args(["--", "--ignored", "--exact", &expect.test]);
        step(&describe(&command));
        let (status, output) = run_with_timeout(&mut command, TIMEOUT)?;
        verdict(expect, status, &output)?;
    }
    Ok(())
}

/// Runs `command` with its output captured, stopping it after `limit`. The status is `None`
/// when the process was stopped (or killed by a signal).
fn run_with_timeout(command: &mut Command, limit: Duration) -> Result<(Option<i32>, String)> {
    // Output goes to files, not pipes: a TSan report can outgrow a pipe's buffer, and nothing
    // reads the pipe while this waits.
    let dir = root().join("target/tsan");
    std::fs::create_dir_all(&dir)?;
    let (out_path, err_path) = (dir.join("last-run.stdout"), dir.join("last-run.stderr"));
    let mut child = command
        .stdout(Stdio::from(std::fs::File::create(&out_path)?))
        .stderr(Stdio::from(std::fs::File::create(&err_path)?))
        .spawn()
        .map_err(|e| anyhow!("could not start `{}`: {e}", describe(command)))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status.code();
        }
        if started.elapsed() > limit {
            child.kill()?;
            child.wait()?;
            let output = std::fs::read_to_string(&out_path)? + &std::fs::read_to_string(&err_path)?;
            return Err(anyhow!(
                "`{}` was still running after {} s and was stopped; it said:\n{output}",
                describe(command),
                limit.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = std::fs::read_to_string(&out_path)? + &std::fs::read_to_string(&err_path)?;
    Ok((status, output))
}

/// A report must come with TSan's exit status and the message; a control must exit 0 with no
/// report at all. Either way the test must have run.
fn verdict(expect: &Expect, status: Option<i32>, output: &str) -> Result {
    let ran = output.contains(&format!("test {} ... ok", expect.test));
    let reported = output.contains("WARNING: ThreadSanitizer");
    let Some(message) = &expect.message else {
        return match (status, ran, reported) {
            (Some(0), true, false) => {
                println!("TSan passed the control `{}` as expected", expect.test);
                Ok(())
            }
            (Some(0), false, _) => Err(anyhow!("the control `{}` did not run", expect.test)),
            _ => Err(anyhow!(
                "the control `{}` should pass under TSan with no report, but it exited with \
                 {status:?}:\n{output}",
                expect.test
            )),
        };
    };
    if !ran {
        return Err(anyhow!(
            "`{}` did not run to the end under TSan (exit status {status:?}):\n{output}",
            expect.test
        ));
    }
    if status != Some(TSAN_EXIT) || !output.contains(message.as_str()) {
        return Err(anyhow!(
            "TSan should have reported `{}` with {message:?} (exit status {TSAN_EXIT}), but it \
             exited with {status:?}:\n{output}",
            expect.test
        ));
    }
    let summary = output
        .lines()
        .find(|line| line.starts_with("SUMMARY: ThreadSanitizer"))
        .unwrap_or(message);
    println!(
        "TSan reported `{}` as expected: {}",
        expect.test,
        summary.trim()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Expect {
        Expect {
            target: "tsan".into(),
            test: "fence_drop".into(),
            message: Some("WARNING: ThreadSanitizer: data race".into()),
        }
    }

    const RACE: &str = "WARNING: ThreadSanitizer: data race (pid=1)\ntest fence_drop ... ok\n";

    #[test]
    fn a_report_needs_the_message_and_status_66() {
        verdict(&report(), Some(66), RACE).unwrap();
        assert!(verdict(&report(), Some(0), "test fence_drop ... ok").is_err());
        assert!(verdict(&report(), Some(66), "test fence_drop ... ok").is_err());
        // A test that panicked did not reach the point the report is about.
        assert!(verdict(&report(), Some(101), "test fence_drop ... FAILED").is_err());
    }

    #[test]
    fn a_control_must_run_and_stay_silent() {
        let control = Expect {
            message: None,
            ..report()
        };
        verdict(&control, Some(0), "test fence_drop ... ok").unwrap();
        assert!(verdict(&control, Some(66), RACE).is_err());
        assert!(verdict(&control, Some(0), "running 0 tests").is_err());
    }

    #[test]
    fn reads_the_tsan_table() {
        let metadata: serde_json::Value = serde_json::from_str(
            r#"{"packages":[{"name":"counter","metadata":null},
            {"name":"refcount","metadata":{"tsan":{"expect":[
             {"test":"fence_drop","message":"data race"},
             {"test":"arc","outcome":"pass","target":"other"}]}}}]}"#,
        )
        .unwrap();
        let crates = parse_metadata(&metadata).unwrap();
        assert_eq!(crates.len(), 1);
        assert_eq!(crates[0].expect[0].target, "tsan");
        assert_eq!(crates[0].expect[1].target, "other");
        assert_eq!(crates[0].expect[1].message, None);
    }

    #[test]
    fn an_unknown_outcome_is_an_error() {
        let metadata: serde_json::Value = serde_json::from_str(
            r#"{"packages":[{"name":"s","metadata":{"tsan":{"expect":[
             {"test":"t","outcome":"maybe"}]}}}]}"#,
        )
        .unwrap();
        assert!(parse_metadata(&metadata).is_err());
    }
}
