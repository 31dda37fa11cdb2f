//! The one command line: every task, its options and its help text. `main` parses it once and
//! hands each task its own typed arguments, and `cargo xtask test` builds the same values to
//! run the tasks it includes, so no task parses another's argv.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// The project's task runner: builds and checks the book, its exercises and its claims.
#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    disable_version_flag = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub task: Task,
}

#[derive(Debug, Subcommand)]
pub enum Task {
    /// Install the pinned book tools if missing, build the book, serve it on
    /// http://localhost:3000 and rebuild on change
    Serve,
    /// Install the pinned book tools if missing and build the book into book/
    Build,
    /// Everything CI runs (what .ci/run calls); installs what it needs
    Test,
    /// Fast checks only: cargo fmt --check and cargo clippy -D warnings
    Check,
    /// Install the pinned tools (mdbook and its preprocessors, chromium, npm packages, rustup
    /// targets); skips what is already at the right version
    Install,
    /// Check your attempt at an exercise (with no name: list the exercises)
    Learn(Learn),
    /// Prove each ordering is the weakest that passes the loom checker and write the
    /// chapters' tables
    Audit(Audit),
    /// Run the chapters' Miri checks (installs the pinned nightly's Miri once)
    Miri(PerCrate),
    /// Run the chapters' ThreadSanitizer checks (pinned nightly, -Zbuild-std)
    Tsan(PerCrate),
    /// Run every litmus test under loom, under Miri and on this machine's cores, and write
    /// the Litmus results appendix
    Litmus,
    /// Run the test behind every cell of the Tools appendix's table, then write it
    Tools(Tools),
    /// Write the instruction tables (orderings, the hoisted loop, the spinlock's
    /// compare-and-swaps, the counter's increments; x86-64, AArch64, ARMv7)
    Asm(Generate),
    /// Draw the happens-before graphs (src/diagrams/hb/*.hb to .svg) and check each against
    /// the model's executions of the program it draws
    Diagrams(Generate),
    /// Each lesson's reading time (230 words a minute, 3 s a shown code line) against its
    /// `<!-- minutes: N -->`
    Reading(Generate),
    /// Run the real criterion benches and write the Benchmarks appendix's tables and charts
    Bench(Bench),
}

/// A task that writes files from the repository's facts.
#[derive(Debug, Args, Default, Clone, Copy)]
pub struct Generate {
    /// Write nothing; fail if a committed file is stale (or, for `reading`, a lesson is
    /// over its minutes)
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args, Default)]
pub struct Learn {
    /// The exercise (`cargo xtask learn` lists them)
    pub exercise: Option<String>,
    /// Start again from the exercise (asks first; keeps a backup of your attempt)
    #[arg(long, requires = "exercise")]
    pub reset: bool,
    /// Check this file instead of your attempt
    #[arg(
        long,
        value_name = "FILE",
        requires = "exercise",
        conflicts_with = "reset"
    )]
    pub attempt: Option<PathBuf>,
    /// Which exercises you have solved
    #[arg(long, conflicts_with_all = ["exercise", "verify"])]
    pub progress: bool,
    /// Every exercise fails as shipped and every solution passes
    #[arg(long, conflicts_with = "exercise")]
    pub verify: bool,
}

#[derive(Debug, Args, Default)]
pub struct Audit {
    /// One chapter crate, or one file of it (default: every crate with an audit)
    pub target: Option<String>,
    /// Write nothing; fail if a table is stale or an ordering is flagged
    #[arg(long, conflicts_with = "attempt")]
    pub check: bool,
    /// Grade your attempt at this exercise's orderings
    #[arg(long, value_name = "EXERCISE", conflicts_with = "target")]
    pub attempt: Option<String>,
}

/// A task that runs per chapter crate.
#[derive(Debug, Args, Default)]
pub struct PerCrate {
    /// One crate (default: every crate that declares these checks)
    #[arg(value_name = "CRATE")]
    pub krate: Option<String>,
}

#[derive(Debug, Args, Default, Clone, Copy)]
pub struct Tools {
    /// Write nothing; fail if the committed table is stale
    #[arg(long, conflicts_with = "hardware")]
    pub check: bool,
    /// Run only the claims about this machine's processor
    #[arg(long)]
    pub hardware: bool,
}

#[derive(Debug, Args, Default)]
pub struct Bench {}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(line: &[&str]) -> Result<Task, clap::Error> {
        Cli::try_parse_from(std::iter::once("cargo xtask").chain(line.iter().copied()))
            .map(|cli| cli.task)
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn each_task_gets_its_typed_arguments() {
        match parse(&["learn", "counter", "--reset"]).unwrap() {
            Task::Learn(learn) => {
                assert_eq!(learn.exercise.as_deref(), Some("counter"));
                assert!(learn.reset);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse(&["asm", "--check"]).unwrap(),
            Task::Asm(Generate { check: true })
        ));
    }

    #[test]
    fn an_unknown_task_or_option_is_refused_with_the_valid_ones() {
        let error = parse(&["lern"]).unwrap_err().to_string();
        assert!(error.contains("learn"), "{error}");
        assert!(parse(&["asm", "--chek"]).is_err());
        assert!(
            parse(&["learn", "--reset"]).is_err(),
            "--reset needs an exercise"
        );
    }
}
