//! `cargo xtask litmus`: every litmus test run three ways, written to the Litmus results
//! appendix (`src/appendix/litmus-results.md`), next to the model's answer, computed.
//!
//! The `litmus` crate's binary does the running: built with `--cfg loom` it prints the outcomes
//! loom enumerates, under Miri the outcomes of many runs, and natively the counts of the
//! hardware harness. With `--tsv` it prints one tab-separated line per test and set of
//! orderings (see `exercises/litmus/src/report.rs`), which this task parses, merges (Miri's
//! seeds each print their own lines) and turns into one table. The model's answers come from
//! the model checker: the crate's `model` example runs it on each row's litmus file
//! (`exercises/litmus/model/`) under C++20's axioms and RC11's and prints one `model` line per
//! row; the page shows that answer, and this task fails if the answer written in the crate
//! differs from it. The tools' known deviations come from the crate, so the page cannot
//! disagree with the tests.
//!
//! The runs are recorded (`src/appendix/litmus-results.tsv`: the lines the tools printed, and
//! when and where they ran), and the page is rendered from the record: `--render` renders it
//! again without running anything (after a change to the page's text), and `--check` fails if
//! the committed page is not what the record renders. The tests' names and thread counts come
//! from the `litmus` crate itself ([`litmus::TESTS`]), so a new test needs no change here.
//!
//! - [`parse`]: the tab-separated lines of the binary and of the model example.
//! - [`page`]: the Markdown page.

mod page;
mod parse;

use crate::generated::{Mode, all_fresh, write_or_check};
use crate::toolchain::{NIGHTLY, ensure_miri};
use crate::util::{Result, anyhow, cmd, describe, root, step};
use page::{Measured, Results};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

/// Where the page goes, and the record of the runs it is rendered from.
const PAGE: &str = "src/appendix/litmus-results.md";
const RECORD: &str = "src/appendix/litmus-results.tsv";

/// Miri seeds, and runs of each set of orderings under each seed. 8 × 25 = 200 runs a row:
/// a few minutes, which is why CI runs the shorter `tests/miri.rs` instead.
const MIRI_SEEDS: u32 = 8;
const MIRI_RUNS: u32 = 25;

/// Hardware iterations for each set of orderings of a test with a core for each thread, and
/// of one with more threads than cores (IRIW on two cores), whose threads take turns instead
/// of racing.
const ITERATIONS: u64 = 2_000_000;
const CROWDED_ITERATIONS: u64 = 100_000;

pub fn run(flags: crate::flags::Litmus) -> Result {
    let path = |file: &str| -> PathBuf { root().join(file) };
    let (mode, record) = if flags.render || flags.check {
        let record = std::fs::read_to_string(path(RECORD)).map_err(|e| {
            anyhow!("reading {RECORD}: {e}; `cargo xtask litmus` runs the tests and records them")
        })?;
        (Mode::from_flag(flags.check), record)
    } else {
        let record = measure()?;
        write_or_check(Mode::Write, &path(RECORD), &record)?;
        (Mode::Write, record)
    };
    let page = page::render(&from_record(&record)?)?;
    all_fresh(
        write_or_check(mode, &path(PAGE), &page)?
            .into_iter()
            .collect(),
    )
}

/// Runs the model, loom, Miri and the hardware harness, and returns the record of the runs.
fn measure() -> Result<String> {
    let started = Instant::now();
    let mut record = format!(
        "# Recorded by `cargo xtask litmus`, which renders {PAGE} from it.\n\
         measured\t{}\t{}\t{MIRI_RUNS}\t{MIRI_SEEDS}\n",
        crate::machine::today()?,
        crate::machine::machine()?
    );

    step("the model: every row's answer, computed from its litmus file (C++20 and RC11)");
    let litmus = ["-p", "litmus"];
    record += &stdout_of(cmd("cargo").args(["run", "--locked"]).args(litmus).args([
        "--example",
        "model",
        "--",
        "--tsv",
    ]))?;

    step("loom: every outcome loom produces (release build, --cfg loom)");
    record += &stdout_of(
        cmd("cargo")
            .args(["run", "--release", "--locked"])
            .args(litmus)
            .args(["--", "--tsv"])
            .env("RUSTFLAGS", "--cfg loom")
            .env("CARGO_TARGET_DIR", root().join("target/loom")),
    )?;

    ensure_miri()?;
    step(&format!(
        "Miri: {MIRI_RUNS} runs of each, under {MIRI_SEEDS} seeds (a few minutes)"
    ));
    record += &stdout_of(
        cmd("cargo")
            .arg(format!("+{NIGHTLY}"))
            .args(["miri", "run", "--locked"])
            .args(litmus)
            .args(["--", "--tsv", "--iterations", &MIRI_RUNS.to_string()])
            .env("MIRIFLAGS", format!("-Zmiri-many-seeds=0..{MIRI_SEEDS}")),
    )?;

    step("this machine: the hardware harness (release build)");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (crowded, racing): (Vec<&litmus::Test>, Vec<&litmus::Test>) = litmus::TESTS
        .iter()
        .partition(|test| test.variants.iter().any(|v| v.threads.len() > cores));
    for (tests, iterations) in [(racing, ITERATIONS), (crowded, CROWDED_ITERATIONS)] {
        if tests.is_empty() {
            continue;
        }
        record += &stdout_of(
            cmd("cargo")
                .args(["run", "--release", "--locked"])
                .args(litmus)
                .args(["--", "--tsv", "--iterations", &iterations.to_string()])
                .args(tests.iter().map(|test| test.key)),
        )?;
    }
    step(&format!(
        "ran every tool in {:.0} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(record)
}

/// The results a record holds: the model's answers, each tool's lines merged (one per Miri
/// seed), and when and where they ran.
fn from_record(record: &str) -> Result<Results> {
    let measured = record
        .lines()
        .find_map(|line| match line.split('\t').collect::<Vec<_>>()[..] {
            ["measured", date, machine, runs, seeds] => Some((date, machine, runs, seeds)),
            _ => None,
        })
        .ok_or_else(|| anyhow!("{RECORD} has no `measured` line"))?;
    let rows = parse::parse(record)?;
    let of = |tool: &str| {
        let lines: Vec<_> = rows.iter().filter(|l| l.tool == tool).cloned().collect();
        parse::merge(&lines)
    };
    Ok(Results {
        measured: Measured {
            date: measured.0.to_owned(),
            machine: measured.1.to_owned(),
            miri_runs: measured.2.parse()?,
            miri_seeds: measured.3.parse()?,
        },
        model: parse::parse_model(record)?,
        loom: of("loom"),
        miri: of("miri"),
        hardware: of("hardware"),
    })
}

/// Runs `command` with its progress on stderr and returns its stdout; fails if it fails.
fn stdout_of(command: &mut Command) -> Result<String> {
    step(&describe(command));
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| anyhow!("could not start `{}`: {e}", describe(command)))?;
    if !output.status.success() {
        return Err(anyhow!(
            "`{}` failed ({})",
            describe(command),
            output.status
        ));
    }
    Ok(String::from_utf8(output.stdout)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_gives_each_tool_its_lines_and_the_measurement() {
        let record = "# a comment\n\
            measured\t2026-11-24\tAMD EPYC (x86_64)\t25\t8\n\
            model\tSB\tRelaxed\tallowed\tallowed\t4\t4\tallowed\n\
            row\tloom\tSB\tRelaxed\tq\tallowed\t63\t180\t0.010\t-\n\
            row\tmiri\tSB\tRelaxed\tq\tallowed\t2\t10\t1.0\t-\n\
            row\tmiri\tSB\tRelaxed\tq\tallowed\t3\t10\t1.0\t-\n\
            row\thardware\tSB\tRelaxed\tq\tallowed\t7\t100\t0.5\t-\n";
        let results = from_record(record).unwrap();
        assert_eq!(results.measured.machine, "AMD EPYC (x86_64)");
        assert_eq!(
            (results.measured.miri_runs, results.measured.miri_seeds),
            (25, 8)
        );
        assert_eq!(results.model.len(), 1);
        assert_eq!(results.loom.len(), 1);
        assert_eq!((results.miri[0].count, results.miri[0].total), (5, 20));
        assert_eq!(results.hardware[0].count, 7);
        let page = page::render(&results).unwrap();
        assert!(
            page.starts_with(&crate::generated::header("litmus")),
            "{page}"
        );
        assert!(from_record("row\tloom\n").is_err());
    }

    #[test]
    fn every_test_of_the_crate_is_run_on_the_hardware() {
        // The names come from the crate: each is one the binary accepts.
        for test in litmus::TESTS {
            assert_eq!(litmus::find(test.key).map(|t| t.name), Some(test.name));
        }
    }
}
