//! `cargo xtask test` (everything CI runs) and `cargo xtask check` (fmt and clippy).

use crate::flags::{self, Generate};
use crate::util::{self, Result, cmd, root, step};
use std::time::Instant;

/// Every check CI runs, in the order that fails fastest. `.ci/run` calls this.
pub fn run() -> Result {
    let started = Instant::now();
    check()?;
    // Each lesson fits the minutes it promises.
    step("cargo xtask reading --check");
    crate::tasks::reading::run(Generate::CHECK)?;

    // The instruction tables (orderings, hoisted loop, spinlock, counter) match what this compiler
    // emits.
    step("cargo xtask asm --check");
    crate::tasks::asm::run(Generate::CHECK)?;

    // The happens-before graphs match their specs.
    step("cargo xtask diagrams --check");
    crate::tasks::diagrams::run(Generate::CHECK)?;

    // The Litmus results page is the rendering of its committed record (the runs themselves
    // take minutes and depend on the machine: `cargo xtask litmus` repeats them).
    step("cargo xtask litmus --check");
    crate::tasks::litmus::run(flags::Litmus::CHECK)?;

    // Unit tests, std stress tests, doc tests, and the task runner's own tests.
    util::run(cmd("cargo").args(["test", "--workspace", "--locked"]))?;

    // The loom models. Their own target dir: a different RUSTFLAGS would otherwise force a
    // full rebuild of the normal build each time.
    util::run(loom(cmd("cargo").args([
        "test",
        "--workspace",
        "--exclude",
        "xtask",
        "--exclude",
        "benches",
        "--release",
        "--locked",
    ])))?;

    // Miri: fixed code passes many schedules; each broken program is caught for its reason.
    step("cargo xtask miri");
    crate::tasks::miri::run_task(flags::PerCrate::default())?;

    // ThreadSanitizer's reports (true and false) and silences, as the Tools appendix states
    // them; then that appendix's table against its claims, whose tests all ran above.
    step("cargo xtask tsan");
    crate::tasks::tsan::run_task(flags::PerCrate::default())?;
    step("the guide's Miri and TSan commands on a crate outside the workspace");
    crate::tasks::own_crate::guide_miri_and_tsan()?;
    step("cargo xtask tools --check");
    crate::tasks::tools::run(flags::Tools::CHECK)?;

    // Each ordering in the case studies is the weakest the loom checker accepts, and the
    // chapters' tables (src/appendix/audit/) say what the audit found.
    step("cargo xtask audit --check");
    crate::tasks::audit::run(flags::Audit::check())?;

    // Every exercise fails as shipped and every solution passes.
    step("cargo xtask learn --verify");
    crate::tasks::learn::run(flags::Learn::verify())?;

    // Benches run once each, unmeasured, so they cannot rot.
    util::timed_ok(
        cmd("cargo").args(["bench", "-p", "benches", "--locked", "--", "--test"]),
        std::time::Duration::from_secs(20 * 60),
        "the benches' smoke run (build, then each benchmark once)",
        "a queue or lock whose threads never hand over, so a spin loop waits forever",
    )?;

    crate::toolchain::lint_workflows()?;
    crate::tasks::book::test()?;

    step(&format!(
        "all checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// `cargo fmt --check` and clippy with warnings as errors, for the std and the loom builds.
pub fn check() -> Result {
    util::run(cmd("cargo").args(["fmt", "--all", "--check"]))?;
    let clippy = ["clippy", "--workspace", "--all-targets", "--locked", "--"];
    util::run(cmd("cargo").args(clippy).args(["-D", "warnings"]))?;
    // The loom build compiles the models and the shim's loom half: lint those too.
    util::run(loom(cmd("cargo").args(clippy).args(["-D", "warnings"])))?;
    Ok(())
}

/// Sets up `command` for a loom build in its own target directory.
fn loom(command: &mut std::process::Command) -> &mut std::process::Command {
    command
        .env("RUSTFLAGS", "--cfg loom")
        .env("CARGO_TARGET_DIR", root().join("target/loom"))
        // Source locations in loom's failure messages (a run-time setting: no rebuild).
        .env("LOOM_LOCATION", "1")
}
