//! The end-to-end test of `src/guide/check-your-own-code.md`: a crate *outside* the workspace
//! (the guide's Treiber stack, from `ci/xtask/tests/own-crate/`, copied to a temporary
//! directory) goes through the guide's loom command, and a check that never ends goes through
//! the runner's deadline. Miri and TSan need the pinned nightly, which `cargo test` does not
//! install: `cargo xtask miri` and `cargo xtask tsan` run those tools on the chapters, and
//! their deadline is tested in their own modules.

use crate::util::{Result, anyhow, explain_timeout, output_within, root};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The fixture's path dependency on `support`, as the guide shows it (the reader replaces it).
const SUPPORT_PLACEHOLDER: &str = "/path/to/the/book/exercises/support";

/// A copy of the fixture crate in a temporary directory, removed when dropped.
struct OwnCrate(PathBuf);

impl OwnCrate {
    /// `purpose` keeps the copies of tests running at the same time apart.
    fn new(purpose: &str) -> Result<OwnCrate> {
        let dir = std::env::temp_dir().join(format!("{purpose}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let fixture = root().join("ci/xtask/tests/own-crate");
        copy_dir(&fixture, &dir)?;
        let manifest = dir.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)?;
        if !text.contains(SUPPORT_PLACEHOLDER) {
            return Err(anyhow!(
                "{}: no `{SUPPORT_PLACEHOLDER}`",
                manifest.display()
            ));
        }
        let support = root().join("exercises/support");
        std::fs::write(
            &manifest,
            text.replace(SUPPORT_PLACEHOLDER, &support.display().to_string()),
        )?;
        // The workspace's lock file: the same loom as the chapters, and no fresh resolution.
        std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock"))?;
        Ok(OwnCrate(dir))
    }

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

impl Drop for OwnCrate {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// The guide's loom command on the reader's crate: the broken push is caught for its reason,
/// the fixed stack passes, and every model prints its execution count, with the warning on
/// the model too small to reach the race.
#[test]
fn the_guides_loom_command_judges_a_crate_outside_the_workspace() -> Result {
    let own = OwnCrate::new("own-crate-loom")?;
    let started = Instant::now();
    // The workspace's loom target directory: the same loom and `support` builds as the
    // chapters' models (`cargo xtask test` runs those after this test, so nothing is built
    // twice), and nothing written into the reader's crate.
    let mut command = own.cargo_test(&root().join("target/loom"));
    command
        .args(["--release", "--test", "loom"])
        .env("RUSTFLAGS", "--cfg loom")
        .env("LOOM_LOCATION", "1");
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
    let guide = std::fs::read_to_string(root().join("src/guide/check-your-own-code.md"))?;
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
