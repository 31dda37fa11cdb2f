//! One `learn` run on one file: one build, one checker run, then (if it passes) the audit's
//! grades from that same build.

use crate::checker::{self, Build, Exercise, Run, TEST_TARGET, Verdict};
use crate::tasks::audit::sites;
use crate::util::{Result, relative, step};
use std::path::Path;
use std::time::Duration;

/// Builds `file` once as the exercise crate's attempt and runs its checker within `timeout`.
///
/// A crate the audit knows is built from the file with its ordering sites instrumented, exactly
/// as the audit builds it (with nothing overridden the instrumented code runs as written), so
/// the grades that follow a pass reuse this build instead of making another.
pub fn check(exercise: &Exercise, file: &Path, timeout: Duration) -> Result<Run> {
    let source = checker::read_attempt(file)?;
    if let Some(problem) = checker::unseen_by_loom(&source) {
        return Ok(Run {
            verdict: Verdict::StillBroken(problem),
            location: None,
            coverage: Vec::new(),
        });
    }
    step(&format!(
        "checking {} with the `{}` checker (the first run builds loom: about a minute)",
        relative(file),
        exercise.package
    ));
    let instrumented = audited(&exercise.package)?
        .then(|| sites::find(&source).ok())
        .flatten()
        .map(|found| sites::instrument(&source, &found.sites, 0));
    let mut build = checker::build(
        &exercise.package,
        instrumented.as_deref().unwrap_or(&source),
        TEST_TARGET,
    )?;
    if instrumented.is_some() && matches!(build, Build::DoesNotCompile(_)) {
        // The reader's own columns: the compiler's messages about the file as written.
        build = checker::build(&exercise.package, &source, TEST_TARGET)?;
    }
    match build {
        Build::DoesNotCompile(messages) => Ok(Run {
            verdict: Verdict::DoesNotCompile(checker::rename_copy(
                &messages,
                &exercise.package,
                file,
            )),
            location: None,
            coverage: Vec::new(),
        }),
        Build::Binary(binary) => checker::run(&binary, &exercise.package, file, timeout),
    }
}

/// Whether the audit grades this crate's orderings (it has a `[package.metadata.audit]`).
pub fn audited(package: &str) -> Result<bool> {
    Ok(crate::workspace::package(package)?
        .table::<serde_json::Value>("audit")?
        .is_some())
}
