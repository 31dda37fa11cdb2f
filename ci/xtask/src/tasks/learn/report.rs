//! The verdict, told to the reader: what the checker said, where, how much it explored, and
//! what to do next.

use super::check::audited;
use super::progress::Progress;
use crate::checker::{Exercise, Kind, Run, Verdict, target_dir};
use crate::util::{Reported, Result, anyhow, relative};
use std::path::{Path, PathBuf};

/// Prints the verdict on `file`. A verdict that is not "solved" is an error already told in
/// full ([`Reported`]), so the exit status is non-zero with no `error:` in front of it.
pub fn report(
    exercises: &[Exercise],
    exercise: &Exercise,
    file: &Path,
    run: &Run,
    hint: bool,
) -> Result {
    for line in &run.coverage {
        println!("  {line}");
    }
    match &run.verdict {
        Verdict::Correct => {
            forget_location(exercise);
            correct(exercises, exercise, file, hint)
        }
        Verdict::StillBroken(message) => {
            let title = match exercise.kind {
                Kind::Fix => "still broken",
                Kind::Orderings => "broken (an ordering is too weak)",
            };
            println!("\n{title}: {message}");
            if let Some(location) = &run.location {
                println!("  at {location}");
                if let Some(before) = remember_location(exercise, location) {
                    println!("  the failure moved from {before} to {location}: progress");
                }
            }
            println!(
                "\nhint: {}\n\nEdit {} and run `cargo xtask learn {}` again.",
                exercise.hint,
                relative(file),
                exercise.name
            );
            Err(Reported.into())
        }
        Verdict::DoesNotCompile(messages) => {
            println!(
                "\n{} does not compile yet; the compiler says:\n\n{messages}",
                relative(file)
            );
            Err(Reported.into())
        }
    }
}

fn correct(exercises: &[Exercise], exercise: &Exercise, file: &Path, hint: bool) -> Result {
    if exercise.kind == Kind::Fix {
        record_if_attempt(exercise, file)?;
        println!(
            "\ncorrect — compare with the solution: {}",
            relative(&exercise.solution)
        );
        if !audited(&exercise.package)? {
            return Ok(());
        }
    }
    let grade = crate::tasks::audit::grade(&exercise.package, file)?;
    let not_audited = not_audited(file)?;
    match exercise.kind {
        Kind::Fix => {
            println!("\nYour orderings, each weakened alone:\n{}", grade.report);
            if grade.too_strong > 0 {
                println!("{}", next_step(exercises, exercise));
            }
            if not_audited > 0 {
                println!("{}", not_audited_text(not_audited));
            }
            Ok(())
        }
        Kind::Orderings => {
            let shown = if hint {
                grade.report.clone()
            } else {
                one_at_a_time(&grade.report)
            };
            println!("\nThe checker passes. Each ordering, weakened alone:\n{shown}");
            if grade.minimal {
                record_if_attempt(exercise, file)?;
                println!(
                    "solved: every ordering is the weakest the checker accepts — compare with \
                     the solution: {}",
                    relative(&exercise.solution)
                );
                return Ok(());
            }
            if grade.too_strong > 0 {
                println!(
                    "correct, but {} ordering(s) are stronger than the checker needs. Weaken \
                     them and run `cargo xtask learn {}` again.",
                    grade.too_strong, exercise.name
                );
            }
            if not_audited > 0 {
                println!("{}", not_audited_text(not_audited));
            }
            println!("\nhint: {}", exercise.hint);
            Err(Reported.into())
        }
    }
}

/// After a fix that passes with orderings stronger than needed: the orderings exercise if there
/// is one (only an exercise that exists), else what to try.
fn next_step(exercises: &[Exercise], exercise: &Exercise) -> String {
    let orderings = format!("{}-orderings", exercise.package);
    if exercises.iter().any(|e| e.name == orderings) {
        format!(
            "Solved, and some orderings are stronger than the checker needs: try \
             `cargo xtask learn {orderings}` next."
        )
    } else {
        "Solved, and some orderings are stronger than the checker needs (above): weaken them \
         in your attempt and run it again to see which the checker accepts."
            .to_owned()
    }
}

fn not_audited_text(count: usize) -> String {
    format!(
        "{count} ordering(s) are not audited: not written as an argument of an atomic \
         operation (a `const`, a variable), so the audit cannot vary them. Write each ordering \
         at its operation to have it graded."
    )
}

/// The orderings the audit could not vary in `file`.
fn not_audited(file: &Path) -> Result<usize> {
    let source = std::fs::read_to_string(file)
        .map_err(|e| anyhow!("cannot read {}: {e}", relative(file)))?;
    Ok(crate::tasks::audit::sites::find(&source)
        .map(|found| found.stray.len())
        .unwrap_or(0))
}

/// The grades with only the first ordering still to weaken revealed: the rest of the answers
/// stay hidden until the reader gets there (or asks with `--hint`).
pub fn one_at_a_time(report: &str) -> String {
    let mut out = String::new();
    let mut revealed = false;
    let mut hidden = 0;
    let mut hiding = false;
    for line in report.lines() {
        let site = line.starts_with("  ") && !line.starts_with("   ");
        if site {
            let to_weaken = line.contains("too strong:") || line.contains("not needed:");
            hiding = to_weaken && revealed;
            if hiding {
                hidden += 1;
                continue;
            }
            revealed |= to_weaken;
        } else if hiding && line.starts_with("        ") {
            continue;
        } else {
            hiding = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    if hidden > 0 {
        out.push_str(&format!(
            "  … and {hidden} more ordering(s) to weaken, not shown: weaken the one above first \
             (or run with `--hint` to see every answer)\n"
        ));
    }
    out
}

/// Marks the exercise solved, if `file` is the reader's own attempt (not `--attempt <file>`).
fn record_if_attempt(exercise: &Exercise, file: &Path) -> Result {
    if file == exercise.attempt() {
        Progress::record(exercise, file)?;
    }
    Ok(())
}

/// Where the last failure of this exercise was (under `target/learner/`).
fn location_file(exercise: &Exercise) -> PathBuf {
    target_dir().join("last-failure").join(&exercise.name)
}

/// Records `location` and returns the previous one if it was elsewhere.
fn remember_location(exercise: &Exercise, location: &str) -> Option<String> {
    let path = location_file(exercise);
    let before = std::fs::read_to_string(&path).ok();
    let _ = std::fs::create_dir_all(path.parent().expect("a parent"));
    // Best effort: losing this only loses the progress cue.
    let _ = std::fs::write(&path, location);
    before.filter(|before| before != location)
}

fn forget_location(exercise: &Exercise) {
    let _ = std::fs::remove_file(location_file(exercise));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_ordering_to_weaken_is_revealed() {
        let report = "  a.rs:3    load      `load`   SeqCst   minimal\n\
                      \x20 a.rs:5    store     `store`  SeqCst   too strong: Release passes the checker\n\
                      \x20       with Relaxed: message\n\
                      \x20 a.rs:7    swap      `swap`   SeqCst   too strong: Acquire passes the checker\n\
                      \x20       with Relaxed: other\n\
                      \n\
                      Tried together: fine\n";
        let shown = one_at_a_time(report);
        assert!(shown.contains("a.rs:5"), "{shown}");
        assert!(!shown.contains("a.rs:7"), "{shown}");
        assert!(!shown.contains("Acquire passes"), "{shown}");
        assert!(shown.contains("Tried together"), "{shown}");
        assert!(shown.contains("1 more ordering(s) to weaken"), "{shown}");
    }
}
