//! The project's one task runner. `cargo xtask help` lists the tasks.

mod checker;
mod generated;
mod machine;
mod tasks;
#[cfg(test)]
mod tidy;
mod toolchain;
mod util;
mod workspace;

use anyhow::anyhow;
use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <task>

  serve              install the pinned book tools if missing, build the book, serve it on
                     http://localhost:3000 and rebuild on change
  build              install the pinned book tools if missing and build the book into book/
  test               everything CI runs (what .ci/run calls); installs what it needs
  check              fast checks only: cargo fmt --check and cargo clippy -D warnings
  bench              run the real criterion benches and write the Benchmarks appendix data
  learn <exercise>   check your attempt at an exercise (`cargo xtask learn` lists them;
                     `--progress` shows what you have solved)
  audit [crate|file] prove each ordering is the weakest that passes the loom checker, and
                     write the chapters' tables; --check fails if one is stale or flagged;
                     --attempt <exercise> grades your attempt's orderings
  miri [crate]       run the chapters' Miri checks (installs the pinned nightly's Miri once);
                     --timeout SECS stops a run that takes longer (default 300; build 1200)
  litmus             run every litmus test under loom, under Miri and on this machine's cores,
                     and write the Litmus results appendix
  tsan [crate]       run the chapters' ThreadSanitizer checks (pinned nightly, -Zbuild-std);
                     --timeout SECS stops a test that takes longer (default 120; build 1200)
  stress             every crate's tests/stress.rs on real threads, release build (the
                     arm64 CI job)
  tools [--check|--hardware]
                     run the test behind every cell of the Tools appendix's table, then
                     write it; --check fails if the committed table is stale; --hardware
                     runs only the claims about this machine's processor
  asm [--check]      write the instruction tables: orderings and the hoisted loop (lesson 1),
                     the spinlock's compare-and-swaps, the counter's increments (x86-64,
                     AArch64, ARMv7); --check fails if a committed table is stale
  diagrams [--check] draw the happens-before graphs (src/diagrams/hb/*.hb to .svg) and check
                     each against the model's executions of the program it draws; --check
                     also fails if a committed SVG is stale
  reading [--check]  each lesson's reading time (prose at 230 words a minute, 3 s a shown
                     code line) against its `<!-- minutes: N -->`; --check fails past N + 1
  install            install the pinned tools (mdbook and its preprocessors, chromium, npm
                     packages); skips what is already at the right version
  help               this text
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((task, rest)) => (task.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match task {
        "serve" => tasks::book::serve(rest),
        "build" => tasks::book::build(rest),
        "test" => tasks::test::run(rest),
        "check" => tasks::test::check(rest),
        "bench" => tasks::bench::run(rest),
        "learn" => tasks::learn::run(rest),
        "audit" => tasks::audit::run(rest),
        "miri" => tasks::miri::run_task(rest),
        "litmus" => tasks::litmus::run(rest),
        "tsan" => tasks::tsan::run_task(rest),
        "stress" => tasks::stress::run(rest),
        "tools" => tasks::tools::run(rest),
        "asm" => tasks::asm::run(rest),
        "diagrams" => tasks::diagrams::run(rest),
        "reading" => tasks::reading::run(rest),
        "install" => toolchain::install(rest),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(anyhow!("unknown task `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The task has already said what went wrong, in its own words (`learn`'s verdicts).
        Err(error) if error.is::<util::Reported>() => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
