//! `cargo xtask learn <exercise>`: the learner loop.
//!
//! The exercises are the crates' `[package.metadata.learn]` tables (and audit `exercise`
//! tables, for "pick the orderings"): see [`crate::checker`], which also owns the learner
//! build. The reader's attempt is `exercises/<crate>/attempt.rs` (`attempt-orderings.rs` for a
//! "pick the orderings" exercise): copied from the exercise on first use, ignored by git (so a
//! reader's edits never reach CI), never overwritten without a yes at the prompt, and backed up
//! to `<attempt>.bak` before `--reset` overwrites it.
//!
//! A run builds the attempt once (`check`), runs the crate's `learner_attempt` test under a
//! deadline, and tells the verdict (`report`): the failure's message and location, how many
//! executions loom explored, and, for a pass, the audit's grades from the same build. Solved
//! exercises are recorded in `.learn-progress` (`progress`).

mod attempt;
mod check;
mod progress;
mod report;
mod verify;

use crate::checker::{self, exercises, find};
use crate::util::Result;

/// `cargo xtask learn [<exercise>] [--reset | --attempt FILE] [--hint] [--timeout SECS]`,
/// `--progress` or `--verify` (see [`crate::flags::Learn`]).
pub fn run(options: crate::flags::Learn) -> Result {
    let exercises = exercises()?;
    if options.verify {
        return verify::verify(&exercises);
    }
    if options.progress {
        progress::progress(&exercises);
        return Ok(());
    }
    let Some(name) = &options.exercise else {
        progress::list(&exercises);
        return Ok(());
    };
    let exercise = find(&exercises, name)?;
    if options.reset {
        return attempt::reset(exercise);
    }
    let file = match &options.attempt {
        Some(file) => std::env::current_dir()?.join(file),
        None => attempt::create_if_missing(exercise)?,
    };
    let timeout = match options.timeout {
        Some(timeout) => timeout,
        None => checker::timeout_from_env()?,
    };
    let run = check::check(exercise, &file, timeout)?;
    report::report(&exercises, exercise, &file, &run, options.hint)
}
