//! What makes a claim stand, and running the claims' tests.
//!
//! A claim stands only if CI runs its test: the function exists, a std or loom test is not
//! `#[ignore]`d, and a Miri or TSan test is one of the checks in the crate's
//! `[package.metadata.miri]` or `[package.metadata.tsan]` table, with the outcome the verdict
//! says. [`problems`] lists every way a claim falls short; [`run_all`] runs the tests.

use super::{Claim, Claims, Tool};
use crate::util::{Result, anyhow, cmd, relative, step};
use crate::workspace;
use serde::Deserialize;
use std::process::Command;

/// The parts of a crate's `[package.metadata.miri]` or `[package.metadata.tsan]` table that
/// say which tests its task runs and how each must end (the tasks read the rest).
#[derive(Debug, Default, Deserialize)]
pub struct CheckTable {
    /// Miri's arguments for the run in which every test must pass: `["--test", "miri"]`.
    #[serde(default)]
    pass: Vec<String>,
    #[serde(default)]
    expect: Vec<Expect>,
}

/// One `#[ignore]`d test the task runs on its own, and how it must end.
#[derive(Debug, Deserialize)]
struct Expect {
    /// The test target; TSan's tests are all in `tests/tsan.rs`.
    target: Option<String>,
    test: String,
    /// `"pass"`, or (the default) a failure with the report named in `message`.
    outcome: Option<String>,
}

/// Everything that would let a claim stand without its test running in CI, one line each.
pub fn problems(claims: &Claims) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for group in &claims.groups {
        for row in &group.rows {
            for (i, claim) in row.claims.iter().enumerate() {
                if row.claims[..i].iter().any(|c| c.tool == claim.tool) {
                    found.push(format!(
                        "{}: two claims for the {} cell",
                        row.program,
                        claim.tool.heading()
                    ));
                }
                if let Some(problem) = problem(claim)? {
                    found.push(format!(
                        "{} ({}): {problem}",
                        claim.test,
                        claim.tool.heading()
                    ));
                }
            }
        }
    }
    Ok(found)
}

/// What is wrong with one claim's test, if anything.
fn problem(claim: &Claim) -> Result<Option<String>> {
    let test = &claim.test;
    let package = workspace::package(&test.krate)?;
    let path = package
        .dir()
        .join("tests")
        .join(format!("{}.rs", test.file));
    let source = std::fs::read_to_string(&path).unwrap_or_default();
    let Some(attributes) = attributes_of(&source, &test.function) else {
        return Ok(Some(format!(
            "no `fn {}` in {}",
            test.function,
            relative(&path)
        )));
    };
    let ignored = attributes.iter().any(|a| a.starts_with("#[ignore"));
    let key = match claim.tool {
        Tool::Loom | Tool::X86 | Tool::Arm => {
            return Ok(ignored.then(|| "`#[ignore]`d, so CI's cargo test never runs it".into()));
        }
        Tool::Miri => "miri",
        Tool::Tsan => "tsan",
    };
    Ok(match package.table::<CheckTable>(key)? {
        None => Some(format!("{} has no [package.metadata.{key}]", test.krate)),
        Some(table) => check_table(claim, &table, ignored, key),
    })
}

/// A Miri or TSan claim must be one of the crate's checks, with the claim's outcome: an
/// `#[ignore]`d test listed under `expect` (a report for "caught" and "false alarm", a control
/// that passes otherwise), or, for Miri, a test in a target the crate's `pass` run runs.
fn check_table(claim: &Claim, table: &CheckTable, ignored: bool, tool: &str) -> Option<String> {
    let test = &claim.test;
    let default_target = if tool == "tsan" { "tsan" } else { "" };
    let expected = table.expect.iter().find(|e| {
        e.test == test.function && e.target.as_deref().unwrap_or(default_target) == test.file
    });
    let claimed = claim.verdict.reports();
    if let Some(entry) = expected {
        let reports = entry.outcome.as_deref().unwrap_or("fail") == "fail";
        let says = if claimed { "reports" } else { "passes" };
        let expects = if reports { "report" } else { "pass" };
        return (reports != claimed).then(|| {
            format!("the claim says the tool {says} but the {tool} table expects it to {expects}")
        });
    }
    let in_pass_run = table.pass.windows(2).any(|w| w == ["--test", &test.file]);
    match (in_pass_run, ignored, claimed) {
        (true, false, false) => None,
        (true, false, true) => Some(format!(
            "a test that must pass under {tool} cannot back a claim that {tool} reports"
        )),
        _ => Some(format!(
            "not among the checks `cargo xtask {tool} {}` runs",
            test.krate
        )),
    }
}

/// The attribute lines (`#[...]`) directly above `fn <test>(` in `source`, or `None` if there
/// is no such function.
fn attributes_of(source: &str, test: &str) -> Option<Vec<String>> {
    let lines: Vec<&str> = source.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start().starts_with(&format!("fn {test}(")))?;
    let mut attributes = Vec::new();
    for line in lines[..at].iter().rev() {
        let line = line.trim();
        if line.starts_with("#[") {
            attributes.push(line.to_owned());
        } else if !line.starts_with("///") && !line.starts_with("//") {
            break;
        }
    }
    Some(attributes)
}

/// Runs every claim's test that can run on this machine (with `hardware_only`, only the claims
/// about this machine's processor) and fails, listing them, if any fails.
pub fn run_all(claims: &Claims, hardware_only: bool) -> Result {
    let here = std::env::consts::ARCH;
    let mut failed = Vec::new();
    let mut skipped = 0;
    let mut miri_crates: Vec<&str> = Vec::new();
    let mut tsan_crates: Vec<&str> = Vec::new();
    // One litmus test backs several cells: each (loom or not, test) runs once.
    let mut ran: Vec<((bool, String), std::result::Result<(), String>)> = Vec::new();
    for (row, c) in claims.cells() {
        match c.tool.arch() {
            Some(arch) if arch != here => {
                skipped += 1;
                continue;
            }
            None if hardware_only => continue,
            _ => {}
        }
        match c.tool {
            // Miri and TSan check a crate's whole table in one go (the claims are in it: see
            // `problems`); each crate once.
            Tool::Miri => miri_crates.push(&c.test.krate),
            Tool::Tsan => tsan_crates.push(&c.test.krate),
            Tool::Loom | Tool::X86 | Tool::Arm => {
                let key = (c.tool == Tool::Loom, c.test.to_string());
                let verdict = match ran.iter().find(|(k, _)| *k == key) {
                    Some((_, verdict)) => verdict.clone(),
                    None => {
                        let verdict = run_one(c).map_err(|e| e.to_string());
                        ran.push((key, verdict.clone()));
                        verdict
                    }
                };
                if let Err(error) = verdict {
                    failed.push(format!("{} / {}: {error}", row.program, c.tool.heading()));
                }
            }
        }
    }
    for (crates, runner) in [
        (
            miri_crates,
            crate::tasks::miri::run_task as fn(crate::flags::PerCrate) -> Result,
        ),
        (tsan_crates, crate::tasks::tsan::run_task),
    ] {
        let mut crates = crates;
        crates.sort_unstable();
        crates.dedup();
        for krate in crates {
            let one = crate::flags::PerCrate {
                krate: Some(krate.to_owned()),
                timeout: None,
            };
            if let Err(error) = runner(one) {
                failed.push(format!("{krate}: {error}"));
            }
        }
    }
    if skipped > 0 {
        step(&format!(
            "{skipped} claims are about another processor than this {here} machine: the CI job \
             on that processor runs them (`cargo xtask tools --hardware`)"
        ));
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(anyhow!("claims whose test failed:\n{}", failed.join("\n")))
    }
}

/// The command that runs one std or loom claim's test, and nothing else.
fn command(c: &Claim) -> Command {
    let test = &c.test;
    let mut command = cmd("cargo");
    // --release for every run: loom models are slow unoptimised, and the stress tests share
    // the build of the arm64 CI job's `cargo test --release` (the workspace's release profile
    // keeps debug assertions and overflow checks).
    command.args(["test", "--release", "--locked", "-p", &test.krate]);
    command.args(["--test", &test.file]);
    if c.tool == Tool::Loom {
        command
            .env("RUSTFLAGS", "--cfg loom")
            .env("CARGO_TARGET_DIR", crate::util::root().join("target/loom"));
    }
    command.args(["--", "--exact", &test.function]);
    command
}

fn run_one(c: &Claim) -> Result {
    let mut command = command(c);
    step(&crate::util::describe(&command));
    let output = crate::util::capture(&mut command)?;
    let text = String::from_utf8_lossy(&output.stdout);
    let function = &c.test.function;
    // `--exact` with a name that matches nothing runs 0 tests and passes: demand the line.
    if output.status.success() && text.contains(&format!("test {function} ... ok")) {
        println!("ok: {function}");
        Ok(())
    } else {
        Err(anyhow!(
            "`{function}` failed:\n{text}{}",
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{TestRef, Verdict};
    use super::*;

    fn claim(verdict: Verdict, test: &str) -> Claim {
        Claim {
            tool: Tool::Miri,
            verdict,
            detail: String::new(),
            test: TestRef::try_from(format!("k/tests/miri.rs::{test}")).unwrap(),
        }
    }

    #[test]
    fn finds_the_attributes_above_a_test() {
        let source =
            "#[test]\n#[ignore = \"why\"]\n/// doc\nfn broken() {}\n\n#[test]\nfn fixed() {}\n";
        assert_eq!(
            attributes_of(source, "broken").unwrap(),
            ["#[ignore = \"why\"]", "#[test]"]
        );
        assert_eq!(attributes_of(source, "fixed").unwrap(), ["#[test]"]);
        assert!(attributes_of(source, "other").is_none());
    }

    #[test]
    fn a_miri_claim_must_match_the_crates_table() {
        let table: CheckTable = toml::from_str(
            "pass = [\"--test\", \"miri\"]\n\
             [[expect]]\ntarget = \"miri\"\ntest = \"bad\"\nmessage = \"x\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let caught = claim(Verdict::Caught, "bad");
        assert_eq!(check_table(&caught, &table, true, "miri"), None);
        let wrong = claim(Verdict::Passes, "bad");
        let error = check_table(&wrong, &table, true, "miri").unwrap();
        assert!(error.contains("says the tool passes but"), "{error}");
        let good = claim(Verdict::Passes, "good");
        assert_eq!(check_table(&good, &table, false, "miri"), None);
        // An ignored test outside `expect` is never run.
        assert!(check_table(&good, &table, true, "miri").is_some());
        assert!(check_table(&good, &CheckTable::default(), false, "miri").is_some());
    }
}
