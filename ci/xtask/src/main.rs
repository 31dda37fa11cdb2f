//! The project's one task runner. `cargo xtask help` lists the tasks; [`flags`] is its
//! command line.

mod checker;
mod expectation;
mod flags;
mod generated;
mod machine;
mod tasks;
#[cfg(test)]
mod tidy;
mod toolchain;
mod util;
mod workspace;

use clap::Parser;
use flags::Task;
use std::process::ExitCode;

fn main() -> ExitCode {
    // clap prints its own message (with the valid tasks or options) and exits 2 on bad input.
    let flags::Cli { task } = flags::Cli::parse();
    let result = match task {
        Task::Serve(serve) => tasks::book::serve(serve),
        Task::Build => tasks::book::build(),
        Task::Test => tasks::test::run(),
        Task::Check => tasks::test::check(),
        Task::Bench(bench) => tasks::bench::run(bench),
        Task::Learn(learn) => tasks::learn::run(learn),
        Task::Audit(audit) => tasks::audit::run(audit),
        Task::Miri(miri) => tasks::miri::run_task(miri),
        Task::Litmus(litmus) => tasks::litmus::run(litmus),
        Task::Tsan(tsan) => tasks::tsan::run_task(tsan),
        Task::Stress => tasks::stress::run(),
        Task::Tools(tools) => tasks::tools::run(tools),
        Task::Asm(asm) => tasks::asm::run(asm),
        Task::Diagrams(diagrams) => tasks::diagrams::run(diagrams),
        Task::Reading(reading) => tasks::reading::run(reading),
        Task::Install => toolchain::install(),
        Task::PagesPass => tasks::book::serve::rewrite_after_rebuild(),
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
