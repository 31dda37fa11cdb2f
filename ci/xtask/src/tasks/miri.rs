//! `cargo xtask miri [crate]`: run each chapter's Miri checks.
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

use crate::util::{self, Result, capture, cargo_metadata, cmd, describe, run, step};
use anyhow::anyhow;
use std::process::Command;

/// The nightly that Miri comes from: pinned, so a Miri change cannot turn CI red overnight.
pub const NIGHTLY: &str = "nightly-2026-05-20";

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

pub fn run_task(args: &[String]) -> Result {
    let crates = parse_metadata(&cargo_metadata()?)?;
    let chosen = util::choose(
        &crates,
        |c| c.name.as_str(),
        args,
        "Miri checks",
        "cargo xtask miri [crate]",
    )?;
    if chosen.is_empty() {
        return Ok(());
    }
    ensure_miri()?;
    for krate in chosen {
        check(krate)?;
    }
    Ok(())
}

fn parse_metadata(metadata: &serde_json::Value) -> Result<Vec<MiriCrate>> {
    let mut found = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let miri = &package["metadata"]["miri"];
        if miri.is_null() {
            continue;
        }
        let name = package["name"].as_str().unwrap_or_default().to_owned();
        let text = |value: &serde_json::Value, key: &str| {
            value[key]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| anyhow!("{name}: [package.metadata.miri] needs `{key}`"))
        };
        let mut expect = Vec::new();
        for entry in miri["expect"].as_array().into_iter().flatten() {
            let message = match entry["outcome"].as_str().unwrap_or("fail") {
                "fail" => Some(text(entry, "message")?),
                "pass" => None,
                other => {
                    return Err(anyhow!(
                        "{name}: a Miri expectation's `outcome` is \"fail\" or \"pass\", not {other:?}"
                    ));
                }
            };
            expect.push(Expect {
                target: text(entry, "target")?,
                test: text(entry, "test")?,
                message,
                flags: entry["flags"].as_str().unwrap_or_default().to_owned(),
            });
        }
        found.push(MiriCrate {
            seeds: miri["seeds"].as_u64().unwrap_or(16) as u32,
            pass: miri["pass"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(str::to_owned))
                .collect(),
            expect,
            name,
        });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// Installs the pinned nightly with Miri unless `cargo miri` already answers.
pub(crate) fn ensure_miri() -> Result {
    let answers = Command::new("rustup")
        .args(["run", NIGHTLY, "cargo", "miri", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    if answers {
        return Ok(());
    }
    install_nightly("miri,rust-src", "Miri")
}

/// Installs the pinned nightly with these rustup components (for `tool`'s error message).
pub(crate) fn install_nightly(components: &str, tool: &str) -> Result {
    step(&format!(
        "installing {NIGHTLY} with {components} (once; about a minute)"
    ));
    run(Command::new("rustup").args([
        "toolchain",
        "install",
        NIGHTLY,
        "--profile",
        "minimal",
        "--component",
        components,
    ]))
    .map_err(|e| anyhow!("{e}\n{tool} needs rustup (https://rustup.rs) to fetch {NIGHTLY}"))
}

fn miri_test(krate: &str, flags: &str) -> Command {
    let mut command = cmd("cargo");
    command
        .arg(format!("+{NIGHTLY}"))
        .args(["miri", "test", "--locked", "-p", krate])
        .env("MIRIFLAGS", flags.trim());
    command
}

fn check(krate: &MiriCrate) -> Result {
    let seeds = format!("-Zmiri-many-seeds=0..{}", krate.seeds);
    if !krate.pass.is_empty() {
        run(miri_test(&krate.name, &seeds).args(&krate.pass))?;
    }
    for expect in &krate.expect {
        let mut command = miri_test(&krate.name, &format!("{seeds} {}", expect.flags));
        command.args([
            "--test",
            &expect.target,
            "--",
            "--ignored",
            "--exact",
            &expect.test,
        ]);
        step(&describe(&command));
        let output = capture(&mut command)?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        verdict(expect, output.status.success(), &text)?;
    }
    Ok(())
}

/// Miri must have failed the broken test, and for the reason the chapter gives; a control
/// must have passed, and actually run.
fn verdict(expect: &Expect, passed: bool, output: &str) -> Result {
    let ran = output.contains(&format!("test {} ...", expect.test));
    let Some(message) = &expect.message else {
        return match (passed, ran) {
            (true, true) => {
                println!("Miri passed the control `{}` as expected", expect.test);
                Ok(())
            }
            (true, false) => Err(anyhow!("the control `{}` did not run", expect.test)),
            (false, _) => Err(anyhow!(
                "the control `{}` should pass under Miri with {:?}, but it failed:\n{output}",
                expect.test,
                expect.flags
            )),
        };
    };
    if passed {
        return Err(anyhow!(
            "Miri did not catch `{}`: it passed every seed ({})",
            expect.test,
            if ran {
                "the test ran"
            } else {
                "did the test run at all?"
            }
        ));
    }
    if !output.contains(message.as_str()) {
        return Err(anyhow!(
            "Miri failed `{}`, but without {message:?}; it said:\n{output}",
            expect.test
        ));
    }
    let first_error = output
        .lines()
        .find(|line| line.contains(message.as_str()))
        .unwrap_or_default();
    println!(
        "Miri caught `{}` as expected: {}",
        expect.test,
        first_error.trim()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expect() -> Expect {
        Expect {
            target: "miri".into(),
            test: "broken_drop".into(),
            message: Some("Data race detected".into()),
            flags: String::new(),
        }
    }

    #[test]
    fn a_control_must_pass_and_run() {
        let control = Expect {
            message: None,
            ..expect()
        };
        verdict(&control, true, "test broken_drop ... ok").unwrap();
        assert!(verdict(&control, true, "running 0 tests").is_err());
        assert!(verdict(&control, false, "error: deadlock").is_err());
    }

    #[test]
    fn an_unknown_outcome_is_an_error() {
        let metadata: serde_json::Value = serde_json::from_str(
            r#"{"packages":[{"name":"s","metadata":{"miri":{"expect":[
             {"target":"miri","test":"t","outcome":"maybe"}]}}}]}"#,
        )
        .unwrap();
        assert!(parse_metadata(&metadata).is_err());
    }

    #[test]
    fn reads_the_miri_table() {
        let metadata: serde_json::Value = serde_json::from_str(
            r#"{"packages":[{"name":"counter","metadata":null},
            {"name":"refcount","metadata":{"miri":{"seeds":8,"pass":["--test","miri"],
             "expect":[{"target":"miri","test":"broken_drop","message":"Data race"}]}}}]}"#,
        )
        .unwrap();
        let crates = parse_metadata(&metadata).unwrap();
        assert_eq!(crates.len(), 1);
        assert_eq!(crates[0].seeds, 8);
        assert_eq!(crates[0].pass, ["--test", "miri"]);
        assert_eq!(crates[0].expect[0].test, "broken_drop");
    }

    #[test]
    fn a_broken_test_that_passes_is_an_error() {
        let error = verdict(&expect(), true, "test broken_drop ... ok").unwrap_err();
        assert!(error.to_string().contains("did not catch"), "{error}");
    }

    #[test]
    fn a_failure_for_another_reason_is_an_error() {
        let error =
            verdict(&expect(), false, "error: Undefined Behavior: out-of-bounds").unwrap_err();
        assert!(error.to_string().contains("without"), "{error}");
    }

    #[test]
    fn the_expected_failure_passes() {
        let output = "error: Undefined Behavior: Data race detected between (1) write and (2) read";
        verdict(&expect(), false, output).unwrap();
    }
}
