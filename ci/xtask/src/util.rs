//! Running commands and finding the repository: shared by every task.

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

/// Fails with a usage error if any argument is left over.
pub fn no_args(task: &str, args: &[String]) -> Result {
    match args.first() {
        None => Ok(()),
        Some(arg) => Err(anyhow!("`cargo xtask {task}` takes no argument `{arg}`")),
    }
}

/// A path relative to the repository root, for messages.
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// `cargo metadata` for the workspace's own packages.
pub fn cargo_metadata() -> Result<serde_json::Value> {
    let output = capture(cmd("cargo").args(["metadata", "--format-version", "1", "--no-deps"]))?;
    if !output.status.success() {
        return Err(anyhow!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(serde_json::from_slice(&output.stdout)?)
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
    args: &[String],
    what: &str,
    usage: &str,
) -> Result<Vec<&'a T>> {
    match args {
        [] => Ok(crates.iter().collect()),
        [name] => match crates.iter().find(|c| name_of(c) == name) {
            Some(found) => Ok(vec![found]),
            None => {
                let names: Vec<&str> = crates.iter().map(&name_of).collect();
                Err(anyhow!(
                    "no crate `{name}` has {what}. Those that do: {}",
                    names.join(", ")
                ))
            }
        },
        _ => Err(anyhow!("usage: {usage}")),
    }
}
