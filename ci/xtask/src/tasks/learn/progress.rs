//! What the reader has solved: `.learn-progress` at the repository root (ignored by git), read
//! by `cargo xtask learn` (the list) and `cargo xtask learn --progress`.

use crate::checker::{Exercise, fingerprint};
use crate::util::{Result, relative, root};
use std::path::{Path, PathBuf};

/// `cargo xtask learn`: the exercises and where the reader stands on each.
pub fn list(exercises: &[Exercise]) {
    println!("Exercises (run `cargo xtask learn <exercise>`):");
    let solved = Progress::load();
    for exercise in exercises {
        let state = match solved.state(exercise) {
            State::NotStarted => "not started".to_owned(),
            State::Solved => format!("solved: {}", relative(&exercise.attempt())),
            State::Started | State::EditedSinceSolved => {
                format!("your attempt: {}", relative(&exercise.attempt()))
            }
        };
        println!("  {:<20} {state}", exercise.name);
    }
}

/// `cargo xtask learn --progress`: like rustlings, what is solved and what is left.
pub fn progress(exercises: &[Exercise]) {
    let solved = Progress::load();
    let mut done = 0;
    for exercise in exercises {
        let state = solved.state(exercise);
        let mark = match state {
            State::Solved => {
                done += 1;
                "[x]"
            }
            State::EditedSinceSolved => "[~]",
            State::Started | State::NotStarted => "[ ]",
        };
        let note = match state {
            State::Solved => "solved",
            State::EditedSinceSolved => "solved, then edited: run it again",
            State::Started => "started",
            State::NotStarted => "not started",
        };
        println!("  {mark} {:<20} {note}", exercise.name);
    }
    let width: usize = 30;
    let filled = (done * width).checked_div(exercises.len()).unwrap_or(0);
    println!(
        "\n  [{}{}] {done}/{} exercises solved",
        "#".repeat(filled),
        "-".repeat(width - filled),
        exercises.len()
    );
}

/// Where an exercise stands for this reader.
#[derive(Debug, PartialEq, Eq)]
enum State {
    NotStarted,
    Started,
    Solved,
    /// Solved once, and the attempt has changed since.
    EditedSinceSolved,
}

/// The exercises the reader has solved: `.learn-progress` at the repository root (ignored by
/// git), one `name hash` line each, the hash being that of the attempt that passed.
#[derive(Debug, Default)]
pub struct Progress {
    solved: Vec<(String, u64)>,
}

impl Progress {
    fn path() -> PathBuf {
        root().join(".learn-progress")
    }

    fn load() -> Progress {
        Progress::parse(&std::fs::read_to_string(Progress::path()).unwrap_or_default())
    }

    fn parse(text: &str) -> Progress {
        let solved = text
            .lines()
            .filter_map(|line| {
                let (name, hash) = line.split_once(' ')?;
                Some((name.to_owned(), u64::from_str_radix(hash.trim(), 16).ok()?))
            })
            .collect();
        Progress { solved }
    }

    fn state(&self, exercise: &Exercise) -> State {
        let Ok(attempt) = std::fs::read(exercise.attempt()) else {
            return State::NotStarted;
        };
        match self.solved.iter().find(|(name, _)| *name == exercise.name) {
            Some((_, hash)) if *hash == fingerprint(&attempt) => State::Solved,
            Some(_) => State::EditedSinceSolved,
            None => State::Started,
        }
    }

    /// Records `exercise` as solved by the attempt as it is now.
    pub fn record(exercise: &Exercise, attempt: &Path) -> Result {
        let mut progress = Progress::load();
        progress.solved.retain(|(name, _)| *name != exercise.name);
        progress
            .solved
            .push((exercise.name.clone(), fingerprint(&std::fs::read(attempt)?)));
        progress.solved.sort();
        let text: String = progress
            .solved
            .iter()
            .map(|(name, hash)| format!("{name} {hash:016x}\n"))
            .collect();
        std::fs::write(Progress::path(), text)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_solved_only_for_the_attempt_that_passed() {
        let progress = Progress::parse("a 00000000000000ff\nbroken line\n");
        assert_eq!(progress.solved, [("a".to_owned(), 0xff)]);
        assert_ne!(fingerprint(b"x"), fingerprint(b"y"));
    }
}
