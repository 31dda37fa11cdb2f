//! Running commands and finding the repository: shared by every task. `output_within` (at the
//! end) is the one way to run an external check with a deadline.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub use anyhow::anyhow;

/// Every task returns this: an error with its chain of context, printed as one message.
pub type Result<T = ()> = anyhow::Result<T>;

/// The repository root (the workspace holding this crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("ci/xtask sits two levels below the root")
        .to_path_buf()
}

/// A command that starts in the repository root.
pub fn cmd(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root());
    command
}

/// The command line as a reader would type it (for progress lines and errors).
pub fn describe(command: &Command) -> String {
    let mut line = String::new();
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            line.push_str(&format!("{}={:?} ", key.to_string_lossy(), value));
        }
    }
    line.push_str(&command.get_program().to_string_lossy());
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs `command` with inherited output, announcing it first; fails if it fails.
pub fn run(command: &mut Command) -> Result {
    step(&describe(command));
    let status = command
        .status()
        .map_err(|e| anyhow!("could not start `{}`: {e}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(anyhow!("`{}` failed ({status})", describe(command)))
    }
}

/// Runs `command` and captures its output, whatever its exit status.
pub fn capture(command: &mut Command) -> Result<Output> {
    command
        .output()
        .map_err(|e| anyhow!("could not start `{}`: {e}", describe(command)))
}

/// Prints a visible progress line.
pub fn step(what: &str) {
    eprintln!("\n==> {what}");
}

/// Copies the directory `from`, with everything in it, to `to` (made if missing).
pub fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// A path relative to the repository root, for messages.
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Every file below `dir`, sorted.
pub fn files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| anyhow!("reading {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The crates a per-crate task runs on: all of them with no argument, or the one named, with
/// a list of the valid names when the name is unknown. `what` names the checks ("Miri
/// checks") and `usage` is the task's usage line.
pub fn choose<'a, T>(
    crates: &'a [T],
    name_of: impl Fn(&T) -> &str,
    name: &Option<String>,
    what: &str,
) -> Result<Vec<&'a T>> {
    let Some(name) = name else {
        return Ok(crates.iter().collect());
    };
    match crates.iter().find(|c| name_of(c) == name) {
        Some(found) => Ok(vec![found]),
        None => {
            let names: Vec<&str> = crates.iter().map(&name_of).collect();
            Err(anyhow!(
                "no crate `{name}` has {what}. Those that do: {}",
                names.join(", ")
            ))
        }
    }
}

// The one timeout helper of the runner (issue 21: no check may hang silently). `learn` uses it
// for the learner's checker; `miri`, `tsan` and any other external check should use it too.

/// A command that ran past its deadline and was stopped. Returned (inside `anyhow::Error`) by
/// [`output_within`]; a caller that can say more about the likely cause downcasts to it.
#[derive(Debug)]
pub struct TimedOut {
    /// What was running, as the caller named it.
    pub what: String,
    /// The deadline it passed.
    pub after: std::time::Duration,
    /// What it had printed before it was stopped.
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} was still running after {} s, so it was stopped",
            self.what,
            self.after.as_secs()
        )
    }
}

impl std::error::Error for TimedOut {}

/// Runs `command` to completion and returns its output, like [`Command::output`], unless it
/// runs past `limit`: then its whole process group (the command and anything it started) is
/// killed and the error is a [`TimedOut`] naming `what`. The exit status is not checked.
/// The deadline itself is `support::process::run_within`, which the chapters' tests use too.
pub fn output_within(
    command: &mut Command,
    limit: std::time::Duration,
    what: &str,
) -> Result<Output> {
    let run = support::process::run_within(command, limit)
        .map_err(|e| anyhow!("could not start `{}`: {e}", describe(command)))?;
    if !run.timed_out {
        return Ok(run.output);
    }
    Err(TimedOut {
        what: what.to_owned(),
        after: limit,
        stdout: String::from_utf8_lossy(&run.output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&run.output.stderr).into_owned(),
    }
    .into())
}

/// [`output_within`], announced with [`step`]: on expiry the error says what hung (`what` and
/// the command line), for how long, and the `likely` cause ([`explain_timeout`]).
pub fn timed(
    command: &mut Command,
    limit: std::time::Duration,
    what: &str,
    likely: &str,
) -> Result<Output> {
    step(&describe(command));
    output_within(command, limit, &format!("{what} (`{}`)", describe(command)))
        .map_err(|e| explain_timeout(e, likely))
}

/// A command under [`timed`] that must succeed, such as a build (`cargo … --no-run`, so a later
/// run's deadline times the tests, not the compiler) or a smoke run: fails with its standard
/// error if it did not succeed.
pub fn timed_ok(
    command: &mut Command,
    limit: std::time::Duration,
    what: &str,
    likely: &str,
) -> Result {
    let build = timed(command, limit, what, likely)?;
    if !build.status.success() {
        return Err(anyhow!(
            "{what} failed:\n{}",
            String::from_utf8_lossy(&build.stderr)
        ));
    }
    Ok(())
}

/// A command's standard output followed by its standard error, as one text.
pub fn text_of(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// If `error` is a [`TimedOut`], the message a reader needs from it: what hung and for how
/// long (its own `Display`), the `likely` cause, and the last lines it printed, which say
/// where it was. Any other error is returned as it is.
pub fn explain_timeout(error: anyhow::Error, likely: &str) -> anyhow::Error {
    let Some(timed_out) = error.downcast_ref::<TimedOut>() else {
        return error;
    };
    let printed = format!("{}{}", timed_out.stdout, timed_out.stderr);
    let lines: Vec<&str> = printed.lines().collect();
    let tail = lines[lines.len().saturating_sub(20)..].join("\n");
    anyhow!(
        "{timed_out}.\nLikely cause: {likely}\nThe last lines it printed:\n{tail}\n\
         (If it is only slow, raise the limit with `--timeout SECS`.)"
    )
}

#[cfg(test)]
mod deadline_tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn a_command_past_its_deadline_is_stopped_and_explained() {
        let started = Instant::now();
        let mut command = Command::new("sh");
        // A child that starts a grandchild and both sleep: the whole group must go.
        command.args(["-c", "echo started; sleep 30 & sleep 30"]);
        let error =
            output_within(&mut command, Duration::from_secs(1), "`sleepy` (test nap)").unwrap_err();
        let message = explain_timeout(error, "a spin-wait").to_string();
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "not stopped in time"
        );
        assert!(
            message.starts_with("`sleepy` (test nap) was still running after 1 s"),
            "{message}"
        );
        assert!(message.contains("Likely cause: a spin-wait"), "{message}");
        assert!(message.contains("started"), "{message}");
    }
}

/// A failure the task has already reported in full (a learner's "still broken: …" verdict):
/// `main` exits non-zero without printing `error:` on top of it.
#[derive(Debug)]
pub struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("reported above")
    }
}

impl std::error::Error for Reported {}
