//! The learner build: the only place that knows how a reader's file becomes a chapter crate's
//! `attempt` module (the cfg, the `LEARNER_ATTEMPT` path, the target dir) and how the crate's
//! `learner_attempt` test turns into a [`Verdict`]. `learn` and `audit` both judge attempts
//! through it, so neither needs the other's internals.
//!
//! An exercise is any workspace crate with a `[package.metadata.learn]` table naming its
//! `exercise` file (the broken code, shipped), its `solution` file and a `hint`. A crate whose
//! `[package.metadata.audit]` has an `exercise` table also offers a "pick the orderings"
//! exercise, `<crate>-orderings`.

mod messages;

pub use messages::{compiler_messages, failure_message, unseen_by_loom};

use crate::util::{Result, TimedOut, anyhow, cmd, describe, output_within, relative, root, step};
use crate::workspace::{Package, with_table};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

/// `[package.metadata.learn]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LearnTable {
    /// The broken code the reader starts from.
    pub exercise: PathBuf,
    pub solution: PathBuf,
    pub hint: String,
}

/// The part of `[package.metadata.audit]` the learner reads: its optional `exercise` table.
#[derive(Debug, Deserialize)]
pub struct AuditTable {
    pub exercise: Option<OrderingsTable>,
}

/// `[package.metadata.audit.exercise]`: a "pick the orderings" exercise.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderingsTable {
    pub solution: PathBuf,
    pub hint: Option<String>,
}

/// One exercise, as its crate's `[package.metadata.learn]` (or audit `exercise`) table
/// describes it.
#[derive(Debug)]
pub struct Exercise {
    pub name: String,
    /// The crate whose checker judges it.
    pub package: String,
    pub dir: PathBuf,
    /// The starting file: the broken code for a fix, the solution (to be made all-SeqCst)
    /// for a "pick the orderings" exercise.
    pub exercise: PathBuf,
    pub solution: PathBuf,
    pub hint: String,
    pub kind: Kind,
}

/// What the reader is asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Fix the broken code: solved when the checker passes.
    Fix,
    /// Weaken every ordering as far as it goes: solved when the checker passes and the audit
    /// grades every ordering minimal.
    Orderings,
}

impl Exercise {
    /// The reader's own copy.
    pub fn attempt(&self) -> PathBuf {
        match self.kind {
            Kind::Fix => self.dir.join("attempt.rs"),
            Kind::Orderings => self.dir.join("attempt-orderings.rs"),
        }
    }
}

/// What the checker said about a file.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Correct,
    /// The checker's failure message.
    StillBroken(String),
    /// The compiler's messages.
    DoesNotCompile(String),
}

/// The hint of a "pick the orderings" exercise whose crate gives none.
pub const ORDERINGS_HINT: &str = "For each access, ask what it hands over. A store that \
    publishes writes made before it needs Release; a load after which this thread reads what \
    another thread published needs Acquire; an access that only watches a value, or counts, \
    needs Relaxed. Weaken one ordering at a time and run the checker after each.";

/// Every exercise of the workspace, by name.
pub fn exercises() -> Result<Vec<Exercise>> {
    Ok(collect(
        with_table::<LearnTable>("learn")?,
        with_table::<AuditTable>("audit")?,
    ))
}

/// The exercises the tables describe, sorted by name.
fn collect(
    learn: Vec<(&Package, LearnTable)>,
    audit: Vec<(&Package, AuditTable)>,
) -> Vec<Exercise> {
    let mut found: Vec<Exercise> = learn
        .into_iter()
        .map(|(package, table)| Exercise {
            name: package.name.clone(),
            package: package.name.clone(),
            dir: package.dir().to_path_buf(),
            exercise: package.dir().join(table.exercise),
            solution: package.dir().join(table.solution),
            hint: table.hint,
            kind: Kind::Fix,
        })
        .collect();
    for (package, table) in audit {
        let Some(orderings) = table.exercise else {
            continue;
        };
        let solution = package.dir().join(orderings.solution);
        found.push(Exercise {
            name: format!("{}-orderings", package.name),
            package: package.name.clone(),
            dir: package.dir().to_path_buf(),
            exercise: solution.clone(),
            solution,
            hint: orderings.hint.unwrap_or_else(|| ORDERINGS_HINT.to_owned()),
            kind: Kind::Orderings,
        });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    found
}

/// The exercise named `name`, or an error listing the valid names.
pub fn find<'a>(exercises: &'a [Exercise], name: &str) -> Result<&'a Exercise> {
    exercises.iter().find(|e| e.name == name).ok_or_else(|| {
        let names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
        anyhow!(
            "there is no exercise `{name}`. The exercises are: {}",
            names.join(", ")
        )
    })
}

/// The learner build's flags for `package`: loom's types, and the attempt hook of that one
/// crate (`#[cfg(learner = "<package>")]`), so chapter crates may depend on each other.
pub fn rustflags(package: &str) -> String {
    format!("--cfg loom --cfg learner=\"{package}\"")
}

/// The learner build's own target dir: its flags differ from the normal and loom builds, and
/// sharing one directory would make each of them rebuild everything every time.
pub fn target_dir() -> PathBuf {
    root().join("target/learner")
}

/// Where the text being judged is written for the build (`LEARNER_ATTEMPT`): the reader's file
/// is only ever read.
pub fn attempt_copy(package: &str) -> PathBuf {
    target_dir().join("attempts").join(format!("{package}.rs"))
}

/// The test target holding `learner_attempt` in every chapter crate.
pub const TEST_TARGET: &str = "loom";

/// How long the learner's checker may run before it is stopped (`--timeout SECS`, or
/// `XTASK_LEARN_TIMEOUT=SECS`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

/// The environment variable that sets the learner checker's deadline, in seconds.
pub const TIMEOUT_VAR: &str = "XTASK_LEARN_TIMEOUT";

/// The deadline: `XTASK_LEARN_TIMEOUT` if set, else [`DEFAULT_TIMEOUT`].
pub fn timeout_from_env() -> Result<Duration> {
    match std::env::var(TIMEOUT_VAR) {
        Ok(text) => crate::flags::seconds(&text).map_err(|e| anyhow!("{TIMEOUT_VAR}: {e}")),
        Err(_) => Ok(DEFAULT_TIMEOUT),
    }
}

/// A learner build's result.
#[derive(Debug)]
pub enum Build {
    /// The test binary of the crate's checker.
    Binary(PathBuf),
    /// The compiler's messages.
    DoesNotCompile(String),
}

/// Builds `source` as `package`'s attempt and returns its checker's test binary. Built once per
/// run for one text: a second call with the same text (the audit grading the file `learn` has
/// just judged) reuses the binary without running cargo again.
pub fn build(package: &str, source: &str, test_target: &str) -> Result<Build> {
    type Built = Vec<((String, u64, String), PathBuf)>;
    static BUILT: Mutex<Built> = Mutex::new(Vec::new());
    let key = (
        package.to_owned(),
        fingerprint(source.as_bytes()),
        test_target.to_owned(),
    );
    let cached = BUILT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, binary)| binary.clone());
    if let Some(binary) = cached {
        return Ok(Build::Binary(binary));
    }
    let copy = attempt_copy(package);
    std::fs::create_dir_all(copy.parent().expect("a parent"))?;
    // Written only when it changed: a fresh mtime alone would make cargo rebuild the crate.
    if std::fs::read_to_string(&copy).ok().as_deref() != Some(source) {
        std::fs::write(&copy, source).map_err(|e| anyhow!("writing {}: {e}", copy.display()))?;
    }
    let mut command = cmd("cargo");
    command
        .args(["test", "--release", "-p", package, "--no-run"])
        .args([
            "--message-format=json-render-diagnostics",
            "--test",
            test_target,
        ])
        .env("CARGO_TARGET_DIR", target_dir())
        .env("RUSTFLAGS", rustflags(package))
        .env("LEARNER_ATTEMPT", &copy);
    let build = test_binary(&mut command, test_target)?;
    let Build::Binary(built) = build else {
        return Ok(build);
    };
    // Another run (a second terminal, `cargo test -p xtask`) may have built another text into
    // the same paths meanwhile: check the text is still ours, and keep a copy of the binary
    // named for the text, which no later build can replace.
    if std::fs::read_to_string(&copy).ok().as_deref() != Some(source) {
        return Err(anyhow!(
            "{} changed during the build: is another `cargo xtask learn {package}` running? \
             Run it again when that one is done",
            relative(&copy)
        ));
    }
    let binary = target_dir()
        .join("bin")
        .join(format!("{package}-{test_target}-{:016x}", key.1));
    std::fs::create_dir_all(binary.parent().expect("a parent"))?;
    std::fs::copy(&built, &binary)
        .map_err(|e| anyhow!("copying {} to {}: {e}", built.display(), binary.display()))?;
    let mut cache = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    cache.push((key, binary.clone()));
    Ok(Build::Binary(binary))
}

/// Runs a `cargo test --no-run --message-format=json-render-diagnostics` build and finds the
/// test binary of `target`, or returns the compiler's messages.
pub fn test_binary(command: &mut Command, target: &str) -> Result<Build> {
    // A build cannot loop forever, but a wedged one must still end with a message.
    let output = output_within(command, BUILD_TIMEOUT, "the build of the checker")?;
    if !output.status.success() {
        return Ok(Build::DoesNotCompile(compiler_messages(
            &String::from_utf8_lossy(&output.stderr),
        )));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == target)
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .map(Build::Binary)
        .ok_or_else(|| anyhow!("`{}` made no `{target}` test binary", describe(command)))
}

/// The deadline of a learner build (a cold one builds loom: about a minute on two cores).
const BUILD_TIMEOUT: Duration = Duration::from_secs(30 * 60);

/// What one run of the learner's checker said.
#[derive(Debug)]
pub struct Run {
    pub verdict: Verdict,
    /// Where the failure happened (`file:line:column`), when the output says.
    pub location: Option<String>,
    /// The support shim's coverage lines (how many executions loom explored).
    pub coverage: Vec<String>,
}

/// Runs `binary`'s `learner_attempt` test once, within `timeout`. `shown` is the file the
/// reader knows the attempt as: paths of the build's copy in messages are renamed to it.
pub fn run(binary: &Path, package: &str, shown: &Path, timeout: Duration) -> Result<Run> {
    let mut command = Command::new(binary);
    command
        .args(["learner_attempt", "--exact", "--test-threads=1"])
        .current_dir(root())
        // Source locations in loom's messages: the verdict quotes them.
        .env("LOOM_LOCATION", "1")
        .env("RUST_BACKTRACE", "0");
    let what = format!("the `{package}` checker on {}", relative(shown));
    let output = match output_within(&mut command, timeout, &what) {
        Ok(output) => output,
        Err(error) => {
            let timed_out = error.downcast::<TimedOut>()?;
            return Ok(Run {
                verdict: Verdict::StillBroken(messages::timed_out(&timed_out)),
                location: None,
                coverage: messages::coverage(&timed_out.stderr),
            });
        }
    };
    let stdout = rename_copy(&String::from_utf8_lossy(&output.stdout), package, shown);
    let stderr = rename_copy(&String::from_utf8_lossy(&output.stderr), package, shown);
    let coverage = messages::coverage(&stderr);
    if output.status.success() {
        if !stdout.contains("test learner_attempt ... ok") {
            return Err(anyhow!(
                "`{}` ran no `learner_attempt` test; does the crate define one under \
                 cfg(learner = \"{package}\")?\n{stdout}",
                describe(&command)
            ));
        }
        return Ok(Run {
            verdict: Verdict::Correct,
            location: None,
            coverage,
        });
    }
    let message = failure_message(&stdout)
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| {
            format!(
                "the checker failed without a panic message ({}). Its output:\n{}\n{}",
                output.status,
                stdout.trim_end(),
                stderr.trim_end()
            )
        });
    Ok(Run {
        location: messages::location(&stdout),
        verdict: Verdict::StillBroken(messages::readable(&message)),
        coverage,
    })
}

/// Builds `file` as the exercise crate's attempt and runs the checker on it: the verdict
/// alone, for `learn --verify` and the audit.
pub fn judge(exercise: &Exercise, file: &Path) -> Result<Verdict> {
    let source = read_attempt(file)?;
    if let Some(problem) = unseen_by_loom(&source) {
        return Ok(Verdict::StillBroken(problem));
    }
    step(&format!(
        "checking {} with the `{}` checker (the first run builds loom: about a minute)",
        relative(file),
        exercise.package
    ));
    Ok(match build(&exercise.package, &source, TEST_TARGET)? {
        Build::DoesNotCompile(messages) => {
            Verdict::DoesNotCompile(rename_copy(&messages, &exercise.package, file))
        }
        Build::Binary(binary) => {
            run(&binary, &exercise.package, file, timeout_from_env()?)?.verdict
        }
    })
}

/// The text of a reader's file, or an error naming it (a missing one says how to make it).
pub fn read_attempt(file: &Path) -> Result<String> {
    std::fs::read_to_string(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => anyhow!(
            "{} does not exist (deleted or renamed?); `cargo xtask learn <exercise>` makes \
             it again from the exercise",
            relative(file)
        ),
        _ => anyhow!("cannot read {}: {e}", relative(file)),
    })
}

/// Text about the build's copy (compiler or checker messages), with the copy's path renamed
/// to the reader's file and repository paths made relative.
pub fn rename_copy(text: &str, package: &str, file: &Path) -> String {
    text.replace(
        &attempt_copy(package).display().to_string(),
        &relative(file),
    )
    .replace(&format!("{}/", root().display()), "")
}

/// FNV-1a: enough to notice that a text changed, with no dependency.
pub fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exercises of `cargo metadata`'s JSON, as [`exercises`] reads them.
    fn parse(json: &str) -> Result<Vec<Exercise>> {
        let packages = crate::workspace::parse(json.as_bytes())?;
        let mut learn = Vec::new();
        let mut audit = Vec::new();
        for package in &packages {
            if let Some(table) = package.table("learn")? {
                learn.push((package, table));
            }
            if let Some(table) = package.table("audit")? {
                audit.push((package, table));
            }
        }
        Ok(collect(learn, audit))
    }

    #[test]
    fn reads_the_learn_table_and_skips_other_packages() {
        let json = r#"{"packages":[
            {"name":"support","manifest_path":"/r/exercises/support/Cargo.toml","metadata":null},
            {"name":"counter","manifest_path":"/r/exercises/counter/Cargo.toml",
             "metadata":{"learn":{"exercise":"src/broken.rs","solution":"src/fixed.rs","hint":"h"}}}
        ]}"#;
        let found = parse(json).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "counter");
        assert_eq!(
            found[0].exercise,
            Path::new("/r/exercises/counter/src/broken.rs")
        );
        assert_eq!(
            found[0].attempt(),
            Path::new("/r/exercises/counter/attempt.rs")
        );
    }

    #[test]
    fn an_audit_exercise_table_adds_a_pick_the_orderings_exercise() {
        let json = r#"{"packages":[
            {"name":"spinlock","manifest_path":"/r/exercises/spinlock/Cargo.toml",
             "metadata":{"learn":{"exercise":"src/broken.rs","solution":"src/fixed.rs","hint":"h"},
                         "audit":{"files":["src/fixed.rs"],"checker":"loom",
                                  "exercise":{"solution":"src/fixed.rs"}}}}
        ]}"#;
        let found = parse(json).unwrap();
        let names: Vec<&str> = found.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["spinlock", "spinlock-orderings"]);
        let orderings = &found[1];
        assert_eq!(orderings.kind, Kind::Orderings);
        assert_eq!(orderings.package, "spinlock");
        // Its own attempt file: never the fix exercise's.
        assert_eq!(
            orderings.attempt(),
            Path::new("/r/exercises/spinlock/attempt-orderings.rs")
        );
        assert_eq!(
            found[0].attempt(),
            Path::new("/r/exercises/spinlock/attempt.rs")
        );
        assert_eq!(orderings.hint, ORDERINGS_HINT);
    }

    #[test]
    fn a_learn_table_without_a_solution_is_an_error_naming_the_crate() {
        let json = r#"{"packages":[{"name":"c","manifest_path":"/c/Cargo.toml",
            "metadata":{"learn":{"exercise":"e.rs","hint":"h"}}}]}"#;
        let error = parse(json).unwrap_err().to_string();
        assert!(error.contains("`solution`"), "{error}");
        assert!(
            error.contains("/c/Cargo.toml: [package.metadata.learn]"),
            "{error}"
        );
    }

    #[test]
    fn an_unknown_exercise_lists_the_valid_ones() {
        let json = r#"{"packages":[{"name":"counter","manifest_path":"/c/Cargo.toml",
            "metadata":{"learn":{"exercise":"e.rs","solution":"s.rs","hint":"h"}}}]}"#;
        let exercises = parse(json).unwrap();
        let error = find(&exercises, "conter").unwrap_err().to_string();
        assert!(error.contains("no exercise `conter`"), "{error}");
        assert!(error.contains("The exercises are: counter"), "{error}");
    }

    /// An attempt that takes a `std::sync::Mutex` twice hangs the checker (loom cannot see std's
    /// locks): the deadline must end it with what hung, for how long, and the likely cause.
    /// Builds the counter's learner checker (target/learner, shared with `cargo xtask learn`).
    #[test]
    fn a_std_mutex_taken_twice_ends_at_the_deadline_with_the_likely_cause() {
        let attempt = "use crate::Count;\n\
            pub struct Counter { value: std::sync::Mutex<u64> }\n\
            impl Count for Counter {\n\
                fn new() -> Self { Counter { value: std::sync::Mutex::new(0) } }\n\
                fn increment(&self) {\n\
                    let _held = self.value.lock().unwrap();\n\
                    *self.value.lock().unwrap() += 1;\n\
                }\n\
                fn get(&self) -> u64 { *self.value.lock().unwrap() }\n\
            }\n";
        let Build::Binary(binary) = build("counter", attempt, TEST_TARGET).unwrap() else {
            panic!("the deadlocking attempt should compile");
        };
        let shown = root().join("exercises/counter/attempt.rs");
        let started = std::time::Instant::now();
        let run = run(&binary, "counter", &shown, Duration::from_secs(3)).unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the deadline did not stop it"
        );
        let Verdict::StillBroken(message) = run.verdict else {
            panic!("a hang is not a pass: {:?}", run.verdict);
        };
        assert!(
            message.starts_with(
                "the `counter` checker on exercises/counter/attempt.rs was still running after \
                 3 s, so it was stopped. Likely cause:"
            ),
            "{message}"
        );
        assert!(message.contains("a lock taken twice"), "{message}");
    }
}
