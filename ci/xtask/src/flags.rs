//! The one command line: every task, its options and its help text. `main` parses it once and
//! hands each task its own typed arguments; `cargo xtask test` builds the same values to run
//! the tasks it includes, so no task parses another's argv.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

/// The project's task runner: builds and checks the book, its exercises and its claims.
#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    disable_version_flag = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub task: Task,
}

#[derive(Debug, Subcommand)]
pub enum Task {
    /// Install the pinned book tools if missing, build the book, serve it on
    /// http://localhost:3000 and rebuild on change
    Serve(Serve),
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
    /// Every crate's tests/stress.rs on real threads, release build (the arm64 CI job)
    Stress,
    /// Run every litmus test under loom, under Miri and on this machine's cores, and write
    /// the Litmus results appendix
    Litmus(Litmus),
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
    /// Run by mdBook after each rebuild during `serve`: the pass over book/html that `build`
    /// makes (tasks/book/serve.rs)
    #[command(hide = true)]
    PagesPass,
}

/// A positive whole number of seconds: every `--timeout`, and `XTASK_LEARN_TIMEOUT`.
pub fn seconds(text: &str) -> anyhow::Result<Duration> {
    match text.trim().parse::<u64>() {
        Ok(secs) if secs > 0 => Ok(Duration::from_secs(secs)),
        _ => Err(anyhow::anyhow!(
            "`{text}` is not a whole number of seconds above 0"
        )),
    }
}

#[derive(Debug, Args, Default)]
pub struct Serve {
    /// Open the book in the default browser
    #[arg(long)]
    pub open: bool,
    /// The port to serve on (default 3000)
    #[arg(long)]
    pub port: Option<u16>,
}

/// A task that writes files from the repository's facts.
#[derive(Debug, Args, Default, Clone, Copy)]
pub struct Generate {
    /// Write nothing; fail if a committed file is stale (or, for `reading`, a lesson is
    /// over its minutes)
    #[arg(long)]
    pub check: bool,
}

impl Generate {
    /// The value `cargo xtask test` passes: check, write nothing.
    pub const CHECK: Self = Self { check: true };
}

#[derive(Debug, Args, Default)]
pub struct Learn {
    /// The exercise (`cargo xtask learn` lists them)
    pub exercise: Option<String>,
    /// Start again from the exercise (asks first; your edits are kept in <attempt>.bak)
    #[arg(long, requires = "exercise", conflicts_with_all = ["attempt", "hint"])]
    pub reset: bool,
    /// Check this file instead of your attempt
    #[arg(long, value_name = "FILE", requires = "exercise")]
    pub attempt: Option<PathBuf>,
    /// A "pick the orderings" exercise: show every ordering still to weaken (by default, one
    /// at a time)
    #[arg(long, requires = "exercise")]
    pub hint: bool,
    /// Stop the checker after SECS seconds (default 300, or XTASK_LEARN_TIMEOUT)
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    pub timeout: Option<Duration>,
    /// Which exercises you have solved
    #[arg(long, conflicts_with_all = ["exercise", "verify"])]
    pub progress: bool,
    /// Every exercise fails as shipped and every solution passes
    #[arg(long, conflicts_with = "exercise")]
    pub verify: bool,
}

impl Learn {
    /// The value `cargo xtask test` passes.
    pub fn verify() -> Self {
        Self {
            verify: true,
            ..Self::default()
        }
    }
}

#[derive(Debug, Args, Default)]
pub struct Audit {
    /// One chapter crate, or one file of it (default: every crate with an audit)
    #[arg(conflicts_with_all = ["krate", "attempt"])]
    pub target: Option<String>,
    /// Write nothing; fail if a table is stale or an ordering is flagged
    #[arg(long, conflicts_with_all = ["attempt", "krate"])]
    pub check: bool,
    /// Audit your own crate (a directory with a Cargo.toml, anywhere); the report goes to the
    /// terminal and PATH/target/audit/report.md
    #[arg(long = "crate", value_name = "PATH", conflicts_with = "attempt")]
    pub krate: Option<PathBuf>,
    /// Grade your attempt at this exercise's orderings
    #[arg(long, value_name = "EXERCISE")]
    pub attempt: Option<String>,
    /// Stop a checker run after SECS seconds (default 240)
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    pub timeout: Option<Duration>,
}

impl Audit {
    /// The value `cargo xtask test` passes.
    pub fn check() -> Self {
        Self {
            check: true,
            ..Self::default()
        }
    }
}

/// A task that runs per chapter crate.
#[derive(Debug, Args, Default)]
pub struct PerCrate {
    /// One crate (default: every crate that declares these checks)
    #[arg(value_name = "CRATE")]
    pub krate: Option<String>,
    /// Stop a run that takes longer than SECS seconds (default: miri 300, tsan 120; a build
    /// gets 1200)
    #[arg(long, value_name = "SECS", value_parser = seconds)]
    pub timeout: Option<Duration>,
}

#[derive(Debug, Args, Default, Clone, Copy)]
pub struct Litmus {
    /// Run nothing: render the page from the committed record
    #[arg(long, conflicts_with = "check")]
    pub render: bool,
    /// Run nothing: fail if the page is stale against the committed record
    #[arg(long)]
    pub check: bool,
}

impl Litmus {
    /// The value `cargo xtask test` passes: check the page, run nothing.
    pub const CHECK: Self = Self {
        render: false,
        check: true,
    };
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

impl Tools {
    /// The value `cargo xtask test` passes.
    pub const CHECK: Self = Self {
        check: true,
        hardware: false,
    };
}

#[derive(Debug, Args, Default, PartialEq)]
pub struct Bench {
    /// How many times each bench target runs (default: `runs` in benches/Cargo.toml)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: Option<u32>,
    /// Only these bench targets, comma-separated (the others keep their committed data)
    #[arg(long, value_name = "TARGET,...", value_delimiter = ',')]
    pub only: Vec<String>,
    /// A line for the "Measured on" paragraph (say what else ran, for instance)
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(line: &str) -> Result<Task, clap::Error> {
        Cli::try_parse_from(std::iter::once("cargo xtask").chain(line.split_whitespace()))
            .map(|cli| cli.task)
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn each_task_gets_its_typed_arguments() {
        match parse("learn counter --timeout 5 --hint").unwrap() {
            Task::Learn(learn) => {
                assert_eq!(learn.exercise.as_deref(), Some("counter"));
                assert_eq!(learn.timeout, Some(Duration::from_secs(5)));
                assert!(learn.hint);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse("asm --check").unwrap(),
            Task::Asm(Generate { check: true })
        ));
        match parse("bench --runs 3 --only spsc_throughput,locks").unwrap() {
            Task::Bench(bench) => {
                assert_eq!(bench.runs, Some(3));
                assert_eq!(bench.only, ["spsc_throughput", "locks"]);
            }
            other => panic!("{other:?}"),
        }
        match parse("audit --crate ../mine --timeout 30").unwrap() {
            Task::Audit(audit) => {
                assert_eq!(audit.krate, Some(PathBuf::from("../mine")));
                assert_eq!(audit.timeout, Some(Duration::from_secs(30)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_unknown_task_or_a_bad_option_is_refused() {
        let error = parse("lern").unwrap_err().to_string();
        assert!(error.contains("learn"), "{error}");
        for bad in [
            "asm --chek",
            "learn --reset",
            "learn counter --timeout",
            "learn counter --timeout 0",
            "learn counter --reset --hint",
            "learn --verify counter",
            "learn a b",
            "audit counter --crate x",
            "litmus --render --check",
            "tools --check --hardware",
            "bench --runs 0",
            "miri counter --timeout soon",
            "stress x",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
