//! Running the built checker once per variant, under a deadline, and reading what it said.
//!
//! The audited files are copied with every site rewritten into a lookup (see
//! [`sites::instrument`]), so one build serves every variant: a variant is the
//! `XTASK_AUDIT_ORDERINGS` environment variable of one run (an ordering for some sites, or
//! `removed` for an operation that is there only for its ordering). [`super::build`] makes the
//! binaries.

use super::output::{self, Model};
use super::sites::{self, Ordering};
use crate::util::{Result, anyhow, relative};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A variant that runs longer than this has not passed (a weakening can make a spin loop
/// explode loom's state space). `--timeout SECONDS` changes it.
pub const TIMEOUT: Duration = Duration::from_secs(240);

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

    pub fn passed(&self) -> bool {
        matches!(self, Outcome::Pass)
    }
}

/// One run: its outcome and the loom models behind it, with their execution counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    pub outcome: Outcome,
    pub models: Vec<Model>,
}

impl Run {
    pub fn passed(&self) -> bool {
        self.outcome.passed()
    }

    /// A run whose models said nothing (stand-in checkers in unit tests).
    #[cfg(test)]
    pub fn bare(outcome: Outcome) -> Run {
        Run {
            outcome,
            models: Vec::new(),
        }
    }
}

/// A built checker: its test binaries, the arguments that select the checker's tests, and how
/// to turn paths in its messages back into the original files' names.
pub struct Checker {
    pub binaries: Vec<PathBuf>,
    pub args: Vec<String>,
    /// (path in the build, path to print), for the checker's messages.
    pub renames: Vec<(String, String)>,
    /// Where the binaries run.
    pub dir: PathBuf,
    pub timeout: Duration,
}

/// Something that judges one variant: the real checker, or a stand-in in unit tests.
pub trait Judge: Sync {
    /// Runs the checker once with `overrides` (site number → ordering).
    fn run(&self, overrides: &[(usize, Ordering)]) -> Result<Run>;

    /// Runs the checker once without site `site`'s operation (every other site as written).
    /// Only for a site with a [`sites::Site::removal`].
    fn remove(&self, site: usize) -> Result<Run>;
}

impl Judge for Checker {
    fn run(&self, overrides: &[(usize, Ordering)]) -> Result<Run> {
        let spec: Vec<String> = overrides
            .iter()
            .map(|(site, ordering)| format!("{site}={}", ordering.name()))
            .collect();
        self.run_all(&spec.join(","))
    }

    fn remove(&self, site: usize) -> Result<Run> {
        self.run_all(&format!("{site}={}", sites::REMOVED))
    }
}

impl Checker {
    /// Runs every binary with `spec` (`site=Ordering` or `site=removed` items), stopping at
    /// the first that fails.
    fn run_all(&self, spec: &str) -> Result<Run> {
        let mut models = Vec::new();
        let mut passed = 0;
        for binary in &self.binaries {
            let (outcome, ran, found) = self.run_binary(binary, spec)?;
            passed += ran;
            models.extend(found);
            if !outcome.passed() {
                return Ok(Run { outcome, models });
            }
        }
        if passed == 0 {
            return Err(anyhow!(
                "the checker ran no test ({} with {}): is its test filter right?",
                self.binaries
                    .iter()
                    .map(|b| relative(b))
                    .collect::<Vec<_>>()
                    .join(", "),
                if self.args.is_empty() {
                    "no filter".to_owned()
                } else {
                    format!("filters {}", self.args.join(" "))
                }
            ));
        }
        Ok(Run {
            outcome: Outcome::Pass,
            models,
        })
    }

    /// One binary, every selected test once: (outcome, tests passed, models).
    fn run_binary(&self, binary: &Path, spec: &str) -> Result<(Outcome, usize, Vec<Model>)> {
        let mut command = Command::new(binary);
        command
            .args(&self.args)
            // One test at a time, in name order: "the first failing test" is then the same on
            // every run, and variants run side by side, one per core.
            .args(["--test-threads=1", "--show-output"])
            .current_dir(&self.dir)
            .env(sites::OVERRIDES, spec)
            .env("RUST_BACKTRACE", "0")
            // loom's own count of executions (`Completed in N iterations`), for models that do
            // not go through the `support` shim, which prints its own line.
            .env("LOOM_LOG", "info");
        let run = support::process::run_within(&mut command, self.timeout)
            .map_err(|e| anyhow!("could not start {}: {e}", binary.display()))?;
        let stdout = String::from_utf8_lossy(&run.output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&run.output.stderr).into_owned();
        let status = (!run.timed_out).then_some(run.output.status);
        let parsed = output::parse(&stdout, &stderr);
        let outcome = match status {
            None => {
                // Which test hung: the last one libtest started and never finished.
                let running = stdout
                    .lines()
                    .filter_map(|l| l.strip_prefix("test "))
                    .rfind(|l| !l.ends_with(" ... ok") && !l.ends_with(" ... FAILED"))
                    .map(|l| l.trim_end_matches(" ...").to_owned());
                Outcome::Fail(Failure {
                    message: format!(
                        "timed out after {} s running {} with {}={spec}: loom kept exploring \
                         (a weakened ordering can turn a wait loop into one loom cannot \
                         finish; `--timeout SECONDS` gives it longer)",
                        self.timeout.as_secs(),
                        binary.file_name().map_or_else(
                            || binary.display().to_string(),
                            |n| n.to_string_lossy().into_owned()
                        ),
                        sites::OVERRIDES,
                    ),
                    test: running,
                })
            }
            Some(status) if status.success() => Outcome::Pass,
            Some(_) => match &parsed.failing {
                Some((test, section)) => Outcome::Fail(Failure {
                    test: Some(test.clone()),
                    message: self.message(section),
                }),
                None => Outcome::fail(self.message(&format!("{stdout}\n{stderr}"))),
            },
        };
        Ok((outcome, parsed.passed, parsed.models))
    }

    /// The failing test's panic message, on one line, with the build's paths renamed.
    fn message(&self, section: &str) -> String {
        let raw = crate::checker::failure_message(section)
            .unwrap_or_else(|| "the checker failed without a panic message".to_owned());
        let mut message = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        for (from, to) in &self.renames {
            message = message.replace(from.as_str(), to);
        }
        message
    }
}

/// One file to audit: where it is, what it says, and its sites' numbers in the build.
pub struct Audited {
    /// The file as the reader knows it.
    pub path: PathBuf,
    /// Its path as printed: relative to the repository, or to a reader's crate.
    pub shown: String,
    pub source: String,
    pub found: sites::Sites,
    /// The number of its first site in the build (sites of all files are numbered together).
    pub first_id: usize,
}

impl Audited {
    /// Reads and parses `path`; sites are numbered from `first_id`.
    pub fn read(path: &Path, first_id: usize) -> Result<Audited> {
        Audited::read_as(path, relative(path), first_id)
    }

    /// [`Audited::read`], printing the file as `shown`.
    pub fn read_as(path: &Path, shown: String, first_id: usize) -> Result<Audited> {
        let source =
            std::fs::read_to_string(path).map_err(|e| anyhow!("cannot read {shown}: {e}"))?;
        let found = sites::find(&source).map_err(|e| anyhow!("{shown}: {e}"))?;
        Ok(Audited {
            path: path.to_path_buf(),
            shown,
            source,
            found,
            first_id,
        })
    }

    pub fn instrumented(&self) -> String {
        sites::instrument(&self.source, &self.found.sites, self.first_id)
    }

    /// The crate directory `dir` as printed, consistent with [`Audited::shown`].
    pub fn shown_dir(&self, dir: &Path) -> String {
        let inside = self
            .path
            .strip_prefix(dir)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        self.shown
            .strip_suffix(&inside)
            .map(|d| d.trim_end_matches('/').to_owned())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| ".".to_owned())
    }
}
