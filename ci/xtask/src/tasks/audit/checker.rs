//! Building one instrumented test binary, and running it once per variant.
//!
//! The audited files are copied with every site rewritten into a lookup (see
//! [`sites::instrument`]), so one build serves every variant: a variant is the
//! `XTASK_AUDIT_ORDERINGS` environment variable of one run (an ordering for some sites, or
//! `removed` for an operation that is there only for its ordering). Two kinds of build:
//!
//! - a chapter crate: the whole crate is copied to `target/audit/crates/<crate>/` (its own
//!   one-package workspace, so the real workspace is untouched) with its audited files
//!   instrumented, and its loom test target is the checker;
//! - a reader's attempt: the instrumented attempt goes through the learner hook
//!   (`--cfg learner`, `LEARNER_ATTEMPT`), and the crate's `learner_attempt` test is the checker.
//!
//! The sources are only ever read; every copy lives under `target/`.

use super::sites::{self, Ordering};
use crate::util::{Result, capture, describe, relative, root, step};
use anyhow::anyhow;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A variant that runs longer than this has not passed (a weakening can make a spin loop
/// explode loom's state space).
const TIMEOUT: Duration = Duration::from_secs(240);

/// What one run of the checker said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail(Failure),
}

/// The first failing test of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Its name, when libtest printed one.
    pub test: Option<String>,
    /// Its panic message.
    pub message: String,
}

impl Outcome {
    /// A failure with a message and no test name (a time-out, a stand-in checker).
    pub fn fail(message: impl Into<String>) -> Outcome {
        Outcome::Fail(Failure {
            test: None,
            message: message.into(),
        })
    }
}

impl Outcome {
    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Pass)
    }
}

/// A built checker: a test binary, the arguments that select the checker's tests, and how to
/// turn paths in its messages back into the original files' names.
pub struct Checker {
    binary: PathBuf,
    args: Vec<String>,
    /// (path in the build, path to print), for the checker's messages.
    renames: Vec<(String, String)>,
}

/// Something that judges one variant: the real checker, or a stand-in in unit tests.
pub trait Judge: Sync {
    /// Runs the checker once with `overrides` (site number → ordering).
    fn run(&self, overrides: &[(usize, Ordering)]) -> Result<Outcome>;

    /// Runs the checker once without site `site`'s operation (every other site as written).
    /// Only for a site with a [`sites::Site::removal`].
    fn remove(&self, site: usize) -> Result<Outcome>;
}

impl Judge for Checker {
    fn run(&self, overrides: &[(usize, Ordering)]) -> Result<Outcome> {
        let spec: Vec<String> = overrides
            .iter()
            .map(|(site, ordering)| format!("{site}={}", ordering.name()))
            .collect();
        self.run_binary(&spec)
    }

    fn remove(&self, site: usize) -> Result<Outcome> {
        self.run_binary(&[format!("{site}={}", sites::REMOVED)])
    }
}

impl Checker {
    /// Runs every selected test once with `spec` (`site=Ordering` or `site=removed` items).
    fn run_binary(&self, spec: &[String]) -> Result<Outcome> {
        let mut command = Command::new(&self.binary);
        command
            .args(&self.args)
            // One test at a time, in name order: "the first failing test" is then the same on
            // every run, and two variants can run side by side on two cores.
            .arg("--test-threads=1")
            .current_dir(root())
            .env(sites::OVERRIDES, spec.join(","))
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = command
            .spawn()
            .map_err(|e| anyhow!("could not start {}: {e}", self.binary.display()))?;
        // Read stdout on a thread so a chatty test cannot fill the pipe and stall.
        let mut stdout = child.stdout.take().expect("piped");
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut stdout, &mut text).map(|_| text)
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break Some(status);
            }
            if started.elapsed() > TIMEOUT {
                child.kill()?;
                child.wait()?;
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = reader
            .join()
            .map_err(|_| anyhow!("reading the checker's output"))??;
        Ok(match status {
            None => Outcome::fail(format!(
                "timed out after {} s (loom kept exploring)",
                TIMEOUT.as_secs()
            )),
            Some(status) if status.success() => {
                if stdout.contains(" ... ok") {
                    Outcome::Pass
                } else {
                    return Err(anyhow!(
                        "`{}` ran no test: is the checker's test filter right?\n{stdout}",
                        describe(&command)
                    ));
                }
            }
            Some(_) => Outcome::Fail(Failure {
                test: failing_test(&stdout),
                message: self.message(&stdout),
            }),
        })
    }

    /// The first failing test's message, on one line, with the build's paths renamed.
    fn message(&self, stdout: &str) -> String {
        let raw = crate::tasks::learn::failure_message(stdout)
            .unwrap_or_else(|| "the checker failed without a panic message".to_owned());
        let mut message = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        for (from, to) in &self.renames {
            message = message.replace(from.as_str(), to);
        }
        message
    }
}

/// The first failing test's name in libtest's output: its `---- name stdout ----` header
/// (tests run one at a time, in name order), else its `test name ... FAILED` line.
fn failing_test(stdout: &str) -> Option<String> {
    let header = stdout.lines().find_map(|line| {
        line.strip_prefix("---- ")?
            .strip_suffix(" stdout ----")
            .map(str::to_owned)
    });
    header.or_else(|| {
        stdout.lines().find_map(|line| {
            line.strip_prefix("test ")?
                .strip_suffix(" ... FAILED")
                .map(str::to_owned)
        })
    })
}

/// One file to audit: where it is, what it says, and its sites' numbers in the build.
pub struct Audited {
    /// The file as the reader knows it.
    pub path: PathBuf,
    pub source: String,
    pub found: sites::Sites,
    /// The number of its first site in the build (sites of all files are numbered together).
    pub first_id: usize,
}

impl Audited {
    /// Reads and parses `path`; sites are numbered from `first_id`.
    pub fn read(path: &Path, first_id: usize) -> Result<Audited> {
        let source = std::fs::read_to_string(path)
            .map_err(|e| anyhow!("cannot read {}: {e}", relative(path)))?;
        let found = sites::find(&source).map_err(|e| anyhow!("{}: {e}", relative(path)))?;
        Ok(Audited {
            path: path.to_path_buf(),
            source,
            found,
            first_id,
        })
    }

    pub fn instrumented(&self) -> String {
        sites::instrument(&self.source, &self.found.sites, self.first_id)
    }
}

/// The audit's own directory under `target/`.
pub fn audit_dir() -> PathBuf {
    root().join("target/audit")
}

/// Copies the crate in `dir` to `target/audit/crates/<name>/` with `files` instrumented, builds
/// its `checker` test target for loom, and returns the binary with `tests` as its filters.
pub fn build_crate(
    package: &serde_json::Value,
    files: &[Audited],
    checker: &str,
    tests: &[String],
) -> Result<Checker> {
    let name = package["name"].as_str().unwrap_or_default();
    let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap_or_default());
    let dir = manifest
        .parent()
        .ok_or_else(|| anyhow!("a manifest with no directory"))?;
    let copy = audit_dir().join("crates").join(name);
    if copy.exists() {
        std::fs::remove_dir_all(&copy)?;
    }
    for sub in ["src", "tests"] {
        if dir.join(sub).is_dir() {
            copy_dir(&dir.join(sub), &copy.join(sub))?;
        }
    }
    let mut renames = Vec::new();
    for file in files {
        let inside = file
            .path
            .strip_prefix(dir)
            .map_err(|_| anyhow!("{} is not inside the crate {name}", relative(&file.path)))?;
        std::fs::write(copy.join(inside), file.instrumented())?;
        renames.push((
            copy.join(inside).display().to_string(),
            relative(&file.path),
        ));
    }
    // Paths rustc saw inside the copy (its own workspace), then any absolute path in the
    // repository, print as the reader's paths.
    renames.push((
        format!("{}/", copy.display()),
        format!("{}/", relative(dir)),
    ));
    renames.push((format!("{}/", root().display()), String::new()));
    std::fs::write(copy.join("Cargo.toml"), copy_manifest(package)?)?;
    std::fs::copy(root().join("Cargo.lock"), copy.join("Cargo.lock"))?;
    let mut command = Command::new("cargo");
    command
        .current_dir(&copy)
        .args(["test", "--release", "--no-run", "--message-format=json"])
        .args(["--test", checker])
        .env("CARGO_TARGET_DIR", audit_dir().join("build"))
        .env("RUSTFLAGS", "--cfg loom");
    step(&format!(
        "building the `{checker}` checker of {name} once, with every ordering site instrumented"
    ));
    let binary = built_binary(&mut command, checker)
        .map_err(|e| anyhow!("{name}: building the instrumented copy failed: {e}"))?;
    Ok(Checker {
        binary,
        args: tests.to_vec(),
        renames,
    })
}

/// Builds the reader's `attempt` (instrumented) through the learner hook and returns the
/// crate's `checker` test binary, set to run only `learner_attempt`. `Err` carries the
/// compiler's messages.
pub fn build_attempt(package: &str, attempt: &Audited, checker: &str) -> Result<Checker> {
    let copy = audit_dir().join("attempts").join(format!("{package}.rs"));
    std::fs::create_dir_all(copy.parent().expect("a parent"))?;
    std::fs::write(&copy, attempt.instrumented())?;
    let mut command = crate::util::cmd("cargo");
    command
        .args(["test", "--release", "-p", package, "--no-run"])
        .args(["--message-format=json", "--test", checker])
        // The learner loop's own target dir and flags: `cargo xtask learn` builds the same.
        .env("CARGO_TARGET_DIR", root().join("target/learner"))
        .env("RUSTFLAGS", "--cfg loom --cfg learner")
        .env("LEARNER_ATTEMPT", &copy);
    step(&format!(
        "building {} once with every ordering site instrumented",
        relative(&attempt.path)
    ));
    let binary = built_binary(&mut command, checker)?;
    Ok(Checker {
        binary,
        args: vec!["learner_attempt".into(), "--exact".into()],
        renames: vec![
            (copy.display().to_string(), relative(&attempt.path)),
            (format!("{}/", root().display()), String::new()),
        ],
    })
}

/// Runs a `cargo test --no-run --message-format=json` build and finds the test binary.
fn built_binary(command: &mut Command, target: &str) -> Result<PathBuf> {
    let output = capture(command)?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let rendered: Vec<String> = stdout
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|m| m["reason"] == "compiler-message")
            .filter_map(|m| m["message"]["rendered"].as_str().map(str::to_owned))
            .collect();
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(anyhow::Error::msg(if rendered.is_empty() {
            stderr.into_owned()
        } else {
            rendered.join("")
        }));
    }
    stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == target)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| anyhow!("the build made no `{target}` test binary"))
}

/// The copy's `Cargo.toml`: the package's own dependencies (from `cargo metadata`, so
/// `workspace = true` entries come out resolved), the workspace's release profile, and an
/// empty `[workspace]` that makes the copy a workspace of its own.
fn copy_manifest(package: &serde_json::Value) -> Result<String> {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let mut out = format!(
        "# Written by `cargo xtask audit`: a copy of {} with its ordering sites instrumented.\n\
         [package]\nname = {:?}\nversion = {:?}\nedition = {:?}\npublish = false\n",
        text(&package["name"]),
        text(&package["name"]),
        text(&package["version"]),
        text(&package["edition"]),
    );
    let mut sections: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for dep in package["dependencies"].as_array().into_iter().flatten() {
        let kind = match dep["kind"].as_str() {
            Some("dev") => "dev-dependencies",
            Some("build") => "build-dependencies",
            _ => "dependencies",
        };
        let section = match dep["target"].as_str() {
            Some(cfg) => format!("target.{cfg:?}.{kind}"),
            None => kind.to_owned(),
        };
        let key = dep["rename"]
            .as_str()
            .unwrap_or(dep["name"].as_str().unwrap_or_default());
        let mut fields = vec![format!("package = {:?}", text(&dep["name"]))];
        fields.push(format!("version = {:?}", text(&dep["req"])));
        if let Some(path) = dep["path"].as_str() {
            fields.push(format!("path = {path:?}"));
        }
        if dep["uses_default_features"] == false {
            fields.push("default-features = false".into());
        }
        let features: Vec<String> = dep["features"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| format!("{:?}", text(f)))
            .collect();
        if !features.is_empty() {
            fields.push(format!("features = [{}]", features.join(", ")));
        }
        sections
            .entry(section)
            .or_default()
            .push(format!("{key} = {{ {} }}", fields.join(", ")));
    }
    for (section, deps) in sections {
        out.push_str(&format!("\n[{section}]\n{}\n", deps.join("\n")));
    }
    out.push_str("\n[lints.rust]\nunexpected_cfgs = { level = \"allow\" }\n");
    out.push_str(&format!("\n{}\n[workspace]\n", release_profile()?));
    Ok(out)
}

/// The workspace's `[profile.release]` table, as written in its `Cargo.toml`.
fn release_profile() -> Result<String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml"))?;
    let Some(start) = manifest.find("[profile.release]") else {
        return Ok(String::new());
    };
    let rest = &manifest[start..];
    let end = rest[1..].find("\n[").map_or(rest.len(), |i| i + 2);
    Ok(rest[..end].trim_end().to_owned() + "\n")
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::failing_test;

    #[test]
    fn the_failing_test_is_named_from_libtests_output() {
        let stdout = "running 2 tests\ntest fixed_a ... ok\ntest fixed_b ... FAILED\n\n\
            failures:\n\n---- fixed_b stdout ----\n\nthread 'fixed_b' panicked at x.rs:1:1:\n\
            Causality violation\n";
        assert_eq!(failing_test(stdout).as_deref(), Some("fixed_b"));
        assert_eq!(
            failing_test("test fixed_c ... FAILED\n").as_deref(),
            Some("fixed_c")
        );
        assert_eq!(failing_test("test fixed_a ... ok\n"), None);
    }
}
