//! `cargo run -p litmus --release [-- <test>...]`: the litmus tests on this machine's cores,
//! with how often each outcome appeared.
//!
//! The same program under loom (`RUSTFLAGS="--cfg loom"`) prints the outcomes loom enumerates,
//! and under Miri (`cargo miri run -p litmus`) the outcomes of many runs. `--tsv` prints
//! tab-separated lines for `cargo xtask litmus` instead of the table; `--iterations N` sets
//! the hardware iterations (or Miri runs) for each set of orderings. `--markdown` prints a
//! Markdown section instead (a heading naming the machine, then one table), which the Pages
//! workflow adds to the Litmus results page for each machine it runs on.

use litmus::report::{self, Row, Tool};
use litmus::{TESTS, Test};
use std::process::ExitCode;

#[cfg(not(loom))]
/// Hardware iterations for each set of orderings of a test with a core for each thread.
const ITERATIONS: u64 = 1_000_000;
#[cfg(not(loom))]
/// ... and of one with more threads than cores (IRIW on two cores), whose threads take turns
/// instead of racing, some thirty times slower.
const CROWDED_ITERATIONS: u64 = 100_000;
#[cfg(not(loom))]
/// Runs under Miri for each set of orderings (Miri interprets every instruction).
const MIRI_RUNS: u64 = 100;

const USAGE: &str = "usage: litmus [--tsv | --markdown] [--iterations N] [test...]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let tool = Tool::of_this_build();
    let mut tsv = false;
    let mut markdown = false;
    let mut iterations = None;
    let mut chosen: Vec<&'static Test> = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tsv" => tsv = true,
            "--markdown" => markdown = true,
            "--iterations" => {
                let n = args.next().ok_or(USAGE)?;
                iterations = Some(
                    n.parse::<u64>()
                        .map_err(|e| format!("--iterations {n}: {e}"))?,
                );
            }
            "-h" | "--help" => {
                println!("{USAGE}\n\ntests: {}", names());
                return Ok(());
            }
            name => match litmus::find(name) {
                Some(test) => chosen.push(test),
                None => return Err(format!("unknown test `{name}`; the tests are: {}", names())),
            },
        }
    }
    if chosen.is_empty() {
        chosen = TESTS.to_vec();
    }
    if tsv && markdown {
        return Err(format!("--tsv and --markdown exclude each other\n{USAGE}"));
    }
    if markdown {
        println!("### {}\n", report::machine());
        print!("{}", report::MARKDOWN_HEADER);
    } else if tool == Tool::Hardware && !tsv {
        println!("{}\n", report::machine());
    }
    for test in chosen {
        let rows: Vec<Row> = test
            .rows()
            .map(|(variant, expected)| {
                let (tally, elapsed) = measure(tool, test, variant, iterations);
                Row {
                    test,
                    variant,
                    expected,
                    tally,
                    elapsed,
                }
            })
            .collect();
        if markdown {
            print!("{}", report::markdown(tool, &rows));
        } else if tsv {
            print!("{}", report::tsv(tool, &rows));
        } else {
            println!("{}", report::render(tool, &rows));
        }
    }
    Ok(())
}

fn names() -> String {
    TESTS.iter().map(|t| t.key).collect::<Vec<_>>().join(", ")
}

/// Runs one set of orderings the way this build runs them.
#[cfg(loom)]
fn measure(
    _: Tool,
    test: &'static Test,
    variant: &'static litmus::Variant,
    _: Option<u64>,
) -> (litmus::Tally, std::time::Duration) {
    litmus::model::enumerate(test, variant)
}

/// Runs one set of orderings the way this build runs them.
#[cfg(not(loom))]
fn measure(
    tool: Tool,
    test: &'static Test,
    variant: &'static litmus::Variant,
    iterations: Option<u64>,
) -> (litmus::Tally, std::time::Duration) {
    if tool == Tool::Miri {
        let started = std::time::Instant::now();
        let tally = litmus::threads::run(test, variant, iterations.unwrap_or(MIRI_RUNS));
        return (tally, started.elapsed());
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let default = if variant.threads.len() > cores {
        CROWDED_ITERATIONS
    } else {
        ITERATIONS
    };
    let run = litmus::hardware::run(test, variant, iterations.unwrap_or(default));
    (run.tally, run.elapsed)
}
