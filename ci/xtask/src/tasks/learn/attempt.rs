//! The reader's attempt file: made from the exercise on first use, never overwritten without a
//! yes at the prompt, and backed up before `--reset` overwrites it.

use crate::checker::{Exercise, Kind};
use crate::util::{Result, anyhow, relative};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// What the reader starts from.
pub fn starting_text(exercise: &Exercise) -> Result<String> {
    let source = std::fs::read_to_string(&exercise.exercise)
        .map_err(|e| anyhow!("cannot read {}: {e}", relative(&exercise.exercise)))?;
    match exercise.kind {
        Kind::Fix => Ok(source),
        Kind::Orderings => crate::tasks::audit::sites::orderings_exercise(&source, &exercise.name)
            .map_err(|e| anyhow!("{}: {e}", relative(&exercise.exercise))),
    }
}

pub fn starting_point(exercise: &Exercise) -> &'static str {
    match exercise.kind {
        Kind::Fix => "the broken code",
        Kind::Orderings => "the solution with every ordering set to SeqCst",
    }
}

/// Makes the attempt from the exercise if it does not exist yet, and says so.
pub fn create_if_missing(exercise: &Exercise) -> Result<PathBuf> {
    let attempt = exercise.attempt();
    if attempt.exists() {
        return Ok(attempt);
    }
    write(&attempt, &starting_text(exercise)?)?;
    let task = match exercise.kind {
        Kind::Fix => "Fix it",
        Kind::Orderings => "Weaken its orderings",
    };
    println!(
        "Created {} from {}.\n\
         It is yours: git ignores it and this command never overwrites it.\n\
         {task}, then run `cargo xtask learn {}` again.",
        relative(&attempt),
        starting_point(exercise),
        exercise.name
    );
    Ok(attempt)
}

/// `--reset`: asks, then copies the attempt to `<attempt>.bak` and writes the starting text.
pub fn reset(exercise: &Exercise) -> Result {
    let attempt = exercise.attempt();
    if attempt.exists() {
        let question = format!(
            "Overwrite {} with {}? A copy of your edits goes to {}. [y/N] ",
            relative(&attempt),
            starting_point(exercise),
            relative(&backup_path(&attempt))
        );
        if !confirm(&question)? {
            println!("Left {} as it was.", relative(&attempt));
            return Ok(());
        }
        let backup = backup(&attempt)?;
        println!("Your edits are in {}.", relative(&backup));
    }
    write(&attempt, &starting_text(exercise)?)?;
    println!(
        "{} now holds {} again.",
        relative(&attempt),
        starting_point(exercise)
    );
    Ok(())
}

/// `attempt.rs` → `attempt.rs.bak`, next to it.
pub fn backup_path(attempt: &Path) -> PathBuf {
    let mut name = attempt.as_os_str().to_owned();
    name.push(".bak");
    PathBuf::from(name)
}

/// Copies `attempt` to its backup (replacing an older backup) and returns where.
pub fn backup(attempt: &Path) -> Result<PathBuf> {
    let backup = backup_path(attempt);
    std::fs::copy(attempt, &backup).map_err(|e| {
        anyhow!(
            "backing up {} to {}: {e}; nothing was overwritten",
            relative(attempt),
            relative(&backup)
        )
    })?;
    Ok(backup)
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| anyhow!("writing {}: {e}", relative(path)))
}

/// Asks on the terminal; with no terminal to ask on, the answer is no.
fn confirm(question: &str) -> Result<bool> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        println!("{question}\nNo terminal to ask on, so: no.");
        return Ok(false);
    }
    print!("{question}");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backup_sits_next_to_the_attempt_and_keeps_its_text() {
        let dir = std::env::temp_dir().join(format!("xtask-learn-backup-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let attempt = dir.join("attempt-orderings.rs");
        std::fs::write(&attempt, "my edits").unwrap();
        let backup = backup(&attempt).unwrap();
        assert_eq!(backup, dir.join("attempt-orderings.rs.bak"));
        assert_eq!(std::fs::read_to_string(&backup).unwrap(), "my edits");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
