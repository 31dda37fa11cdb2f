//! The project's one task runner. `cargo xtask help` lists the tasks.

mod bench;
mod book;
mod learn;
mod miri;
mod test;
mod tools;
mod util;

use std::process::ExitCode;

const HELP: &str = "\
cargo xtask <task>

  serve              install the pinned book tools if missing, build the book, serve it on
                     http://localhost:3000 and rebuild on change
  build              install the pinned book tools if missing and build the book into book/
  test               everything CI runs (what .ci/run calls); installs what it needs
  check              fast checks only: cargo fmt --check and cargo clippy -D warnings
  bench              run the real criterion benches and write the Benchmarks appendix data
  learn <exercise>   check your attempt at an exercise (`cargo xtask learn` lists them)
  miri [crate]       run the chapters' Miri checks (installs the pinned nightly's Miri once)
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
        "serve" => book::serve(rest),
        "build" => book::build(rest),
        "test" => test::run(rest),
        "check" => test::check(rest),
        "bench" => bench::run(rest),
        "learn" => learn::run(rest),
        "miri" => miri::run_task(rest),
        "install" => tools::install(rest),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => Err(format!("unknown task `{other}`\n\n{HELP}").into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
