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
use crate::util::{Result, anyhow};
use std::path::PathBuf;
use std::time::Duration;

const USAGE: &str = "\
cargo xtask learn                      list the exercises
cargo xtask learn <exercise>           check your attempt (made from the exercise on first use)
cargo xtask learn <exercise> --reset   start again from the exercise (asks first; your edits
                                       are kept in <attempt>.bak)
cargo xtask learn <exercise> --attempt <file>   check another file instead
cargo xtask learn <exercise> --hint    a \"pick the orderings\" exercise: show every ordering
                                       still to weaken (by default, one at a time)
cargo xtask learn <exercise> --timeout SECS
                                       stop the checker after SECS seconds (default 300, or
                                       XTASK_LEARN_TIMEOUT)
cargo xtask learn --progress           which exercises you have solved
cargo xtask learn --verify             every exercise fails as shipped; every solution passes";

/// The command line of `cargo xtask learn`.
#[derive(Debug, Default, PartialEq)]
struct Options {
    exercise: Option<String>,
    reset: bool,
    attempt: Option<PathBuf>,
    hint: bool,
    timeout: Option<Duration>,
    progress: bool,
    verify: bool,
}

fn parse(args: &[String]) -> Result<Options> {
    let usage = || anyhow!("usage:\n{USAGE}");
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--reset" => options.reset = true,
            "--hint" => options.hint = true,
            "--progress" => options.progress = true,
            "--verify" => options.verify = true,
            "--attempt" => options.attempt = Some(args.next().ok_or_else(usage)?.into()),
            "--timeout" => {
                let secs = args.next().ok_or_else(usage)?;
                options.timeout =
                    Some(checker::parse_seconds(secs).map_err(|e| anyhow!("--timeout: {e}"))?);
            }
            name if !name.starts_with('-') && options.exercise.is_none() => {
                options.exercise = Some(name.to_owned());
            }
            _ => return Err(usage()),
        }
    }
    let alone = options.progress || options.verify;
    let with_exercise = options.reset || options.attempt.is_some() || options.hint;
    if (alone && (options.exercise.is_some() || with_exercise))
        || (options.progress && options.verify)
        || (options.exercise.is_none() && with_exercise)
        || (options.reset && (options.attempt.is_some() || options.hint))
    {
        return Err(usage());
    }
    Ok(options)
}

pub fn run(args: &[String]) -> Result {
    let options = parse(args)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn the_command_line() {
        let options = parse(&args("counter --timeout 5 --hint")).unwrap();
        assert_eq!(options.exercise.as_deref(), Some("counter"));
        assert_eq!(options.timeout, Some(Duration::from_secs(5)));
        assert!(options.hint);
        assert_eq!(parse(&args("")).unwrap(), Options::default());
        for bad in [
            "--reset",
            "counter --timeout",
            "counter --timeout 0",
            "counter --reset --hint",
            "--verify counter",
            "a b",
        ] {
            assert!(parse(&args(bad)).is_err(), "{bad}");
        }
    }
}
