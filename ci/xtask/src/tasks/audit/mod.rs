//! `cargo xtask audit`: prove each ordering is the weakest that works, and each fence needed.
//!
//! For every atomic-ordering site in the code it is given (found by parsing, see [`sites`]),
//! the audit tries each strictly weaker ordering the operation accepts, one site at a time,
//! and runs the crate's loom checker on each variant. An operation that is there only for its
//! ordering (a fence, a load whose value is dropped) is also tried removed. A site whose weaker
//! ordering passes, or whose operation the checker does not need, is flagged unless its comment
//! says why it is kept (`audit: stronger because …`). Pairs of sites that each pass weakened
//! alone are then tried together. Every verdict names the loom models that decided it and how
//! many executions they explored ([`output`]).
//!
//! A crate of this workspace opts in with a `[package.metadata.audit]` table:
//!
//! ```toml
//! [package.metadata.audit]
//! files = ["src/fixed.rs"]   # the fixed code to audit (never a `broken*` file)
//! checker = "loom"           # the loom test target that judges each variant
//! tests = ["fixed_"]         # which of its tests (libtest name filters)
//!
//! [package.metadata.audit.exercise]   # optional: a "pick the orderings" exercise
//! solution = "src/fixed.rs"
//! hint = "…"
//! ```
//!
//! The tables it writes are `src/appendix/audit/<crate>.md`, included in the chapters. A crate
//! outside the workspace is audited with `--crate PATH` ([`outside`]); its report goes to its
//! own `target/audit/report.md`, never into the book.

mod build;
mod checker;
mod output;
mod outside;
mod search;
pub mod sites;
mod table;

use crate::generated::{Mode, all_fresh, header, write_or_check};
use crate::util::{Result, anyhow, relative, root, step};
use build::{PackageFacts, Place};
use checker::Audited;
use search::{Findings, Verdict};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// `[package.metadata.audit]`, as this task reads it (the learner reads its `exercise`).
#[derive(Debug, Default, Deserialize)]
pub struct AuditTable {
    /// The files to audit, relative to the crate.
    #[serde(default)]
    pub files: Vec<String>,
    /// The loom test target that judges each variant.
    pub checker: Option<String>,
    /// libtest filters selecting the checker's tests.
    #[serde(default)]
    pub tests: Vec<String>,
}

/// A crate with an audit table.
#[derive(Debug)]
pub struct Crate {
    pub name: String,
    pub dir: PathBuf,
    facts: PackageFacts,
    pub files: Vec<PathBuf>,
    pub checker: String,
    pub tests: Vec<String>,
}

impl Crate {
    fn table(&self) -> PathBuf {
        root()
            .join("src/appendix/audit")
            .join(format!("{}.md", self.name))
    }

    fn checker_text(&self) -> String {
        checker_text(&relative(&self.dir), Some(&self.checker), &self.tests)
    }

    fn place(&self, timeout: Duration) -> Place {
        Place {
            copy: root().join("target/audit/crates").join(&self.name),
            target: root().join("target/audit/build"),
            lock: Some(root().join("Cargo.lock")),
            profile_from: root().join("Cargo.toml"),
            checker: Some(self.checker.clone()),
            tests: self.tests.clone(),
            timeout,
        }
    }
}

/// How the report names its checker: "the tests matching `fixed_` of `dir` (loom, …)".
fn checker_text(dir: &str, target: Option<&str>, tests: &[String]) -> String {
    let which = if tests.is_empty() {
        "every test".to_owned()
    } else {
        let names: Vec<String> = tests.iter().map(|t| format!("`{t}`")).collect();
        format!("the tests matching {}", names.join(", "))
    };
    match target {
        Some(target) => format!("{which} of `{dir}` (loom, `tests/{target}.rs`)"),
        None => format!("{which} of `{dir}` (loom, every test target)"),
    }
}

/// `cargo xtask audit`: every crate (`--check`: write nothing, fail if a table is stale or a
/// site flagged), one crate or file, `--crate PATH` (a crate outside this repository) or
/// `--attempt EXERCISE` (grade a reader's orderings); see [`crate::flags::Audit`].
pub fn run(flags: crate::flags::Audit) -> Result {
    let timeout = flags.timeout.unwrap_or(checker::TIMEOUT);
    if let Some(path) = &flags.krate {
        return outside::audit(path, timeout);
    }
    if let Some(name) = &flags.attempt {
        let exercises = crate::checker::exercises()?;
        let exercise = crate::checker::find(&exercises, name)?;
        let attempt = exercise.attempt();
        if !attempt.exists() {
            return Err(anyhow!(
                "{} does not exist yet: `cargo xtask learn {name}` makes it",
                relative(&attempt)
            ));
        }
        return grade_file(&exercise.package, &attempt);
    }
    match &flags.target {
        Some(target) => audit_one(target, timeout),
        None => audit_all(Mode::from_flag(flags.check), timeout),
    }
}

/// Every crate with a `[package.metadata.audit]` table, by name.
pub fn crates() -> Result<Vec<Crate>> {
    let mut found = Vec::new();
    for (package, table) in crate::workspace::with_table::<AuditTable>("audit")? {
        let mut json = package.rest.clone();
        json.insert("name".into(), package.name.clone().into());
        json.insert(
            "manifest_path".into(),
            package.manifest_path.display().to_string().into(),
        );
        let facts = PackageFacts::deserialize(serde_json::Value::Object(json))
            .map_err(|e| anyhow!("{}: reading `cargo metadata`: {e}", package.name))?;
        found.push(checked(&package.name, package.dir(), table, facts)?);
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// A workspace crate's table, checked: it names files, none broken, and a checker.
fn checked(name: &str, dir: &Path, table: AuditTable, facts: PackageFacts) -> Result<Crate> {
    if table.files.is_empty() {
        return Err(anyhow!("{name}: [package.metadata.audit] needs `files`"));
    }
    if let Some(broken) = table.files.iter().find(|f| is_broken(Path::new(f))) {
        return Err(anyhow!(
            "{name}: `{broken}` is broken on purpose; the audit is for fixed code only"
        ));
    }
    let checker = table.checker.ok_or_else(|| {
        anyhow!("{name}: [package.metadata.audit] needs `checker` (a loom test target)")
    })?;
    Ok(Crate {
        name: name.to_owned(),
        dir: dir.to_path_buf(),
        files: table.files.iter().map(|f| dir.join(f)).collect(),
        tests: table.tests,
        checker,
        facts,
    })
}

/// A file the book keeps broken on purpose (`broken.rs`, `broken_relaxed.rs`, …).
fn is_broken(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("broken"))
}

/// The crate with this name, or a message naming the ones there are.
fn find<'a>(crates: &'a [Crate], name: &str) -> Result<&'a Crate> {
    if let Some(found) = crates.iter().find(|c| c.name == name) {
        return Ok(found);
    }
    let names: Vec<&str> = crates.iter().map(|c| c.name.as_str()).collect();
    if crate::workspace::package(name).is_ok() {
        Err(anyhow!(
            "the crate `{name}` declares no checker: add a [package.metadata.audit] table \
             (files, checker) to its Cargo.toml. Crates with one: {}",
            names.join(", ")
        ))
    } else {
        Err(anyhow!(
            "there is no crate or file `{name}` (a crate outside this repository: \
             `cargo xtask audit --crate PATH`). Crates with an audit: {}",
            names.join(", ")
        ))
    }
}

/// Audits files of a crate with its checker: the findings, after printing them.
fn audit_files(
    name: &str,
    facts: &PackageFacts,
    files: Vec<Audited>,
    place: &Place,
) -> Result<(Vec<Audited>, Findings)> {
    let started = Instant::now();
    let sites: usize = files.iter().map(|f| f.found.sites.len()).sum();
    let checker = build::build_crate(facts, &files, place)?;
    step(&format!(
        "auditing {sites} ordering sites in {}",
        files
            .iter()
            .map(|f| f.shown.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let findings = search::audit(&files, &checker)?;
    print!("{}", table::console(&files, &findings));
    println!(
        "{name}: {} checker runs in {:.0} s",
        findings.runs,
        started.elapsed().as_secs_f64()
    );
    Ok((files, findings))
}

/// Audits one crate's declared files (or only `only`); returns its table and findings.
fn audit_crate(
    krate: &Crate,
    only: Option<&Path>,
    timeout: Duration,
) -> Result<(String, Findings)> {
    let mut files = Vec::new();
    let mut next_id = 0;
    for path in &krate.files {
        if only.is_some_and(|only| only != path) {
            continue;
        }
        let file = Audited::read(path, next_id)?;
        next_id += file.found.sites.len();
        files.push(file);
    }
    let (files, findings) = audit_files(&krate.name, &krate.facts, files, &krate.place(timeout))?;
    let table = table::markdown(&header("audit"), &files, &findings, &krate.checker_text());
    Ok((table, findings))
}

fn audit_all(mode: Mode, timeout: Duration) -> Result {
    let started = Instant::now();
    let crates = crates()?;
    if crates.is_empty() {
        return Err(anyhow!("no crate has a [package.metadata.audit] table"));
    }
    let mut problems = Vec::new();
    for krate in &crates {
        let (table, findings) = audit_crate(krate, None, timeout)?;
        let flagged = findings.flagged();
        if flagged > 0 {
            problems.push(format!(
                "{}: {flagged} site(s) flagged (see the table above)",
                krate.name
            ));
        }
        problems.extend(write_or_check(mode, &krate.table(), &table)?);
    }
    step(&format!(
        "audited {} crates in {:.0} s",
        crates.len(),
        started.elapsed().as_secs_f64()
    ));
    all_fresh(problems)
}

/// `cargo xtask audit <crate-or-file>`.
fn audit_one(target: &str, timeout: Duration) -> Result {
    let crates = crates()?;
    let as_file = std::env::current_dir()?.join(target);
    if target.ends_with(".rs") || as_file.is_file() {
        if !as_file.is_file() {
            return Err(anyhow!("there is no file {target}"));
        }
        let file = as_file
            .canonicalize()
            .map_err(|e| anyhow!("{target}: {e}"))?;
        // A file a crate audits: the chapter's own checker, without writing its table.
        if let Some(krate) = crates.iter().find(|c| c.files.contains(&file)) {
            let (_, findings) = audit_crate(krate, Some(&file), timeout)?;
            return verdict(&findings);
        }
        // Anything else inside an exercise crate is graded as a reader's attempt.
        let package = crate::workspace::packages()?
            .iter()
            .find(|p| file.starts_with(p.dir()))
            .ok_or_else(|| {
                anyhow!(
                    "{target} is not inside a workspace crate, so there is no checker for it \
                     (a crate of your own: `cargo xtask audit --crate PATH`)"
                )
            })?;
        return grade_file(&package.name, &file);
    }
    let krate = find(&crates, target)?;
    let (table, findings) = audit_crate(krate, None, timeout)?;
    write_or_check(Mode::Write, &krate.table(), &table)?;
    verdict(&findings)
}

fn verdict(findings: &Findings) -> Result {
    match findings.flagged() {
        0 => Ok(()),
        n => Err(anyhow!("{n} site(s) flagged")),
    }
}

/// A reader's file graded: what to print, and whether every site is minimal.
pub struct Grade {
    pub report: String,
    /// Whether the checker passes on the file as written.
    pub passes: bool,
    pub minimal: bool,
    /// Sites whose ordering is stronger than the checker needs, or whose operation the checker
    /// does not need at all (no reason given).
    pub too_strong: usize,
}

/// Grades a file that already passes the checker as `package`'s learner attempt.
pub fn grade(package: &str, file: &Path) -> Result<Grade> {
    let checker_target = crates()?
        .into_iter()
        .find(|c| c.name == package)
        .map_or_else(|| "loom".to_owned(), |c| c.checker);
    let attempt = Audited::read(file, 0)?;
    if let Some(problem) = crate::checker::unseen_by_loom(&attempt.source) {
        return Err(anyhow!("{problem}"));
    }
    if attempt.found.sites.is_empty() && attempt.found.stray.is_empty() {
        return Ok(Grade {
            report: "  (no atomic orderings in this file)\n".into(),
            passes: true,
            minimal: true,
            too_strong: 0,
        });
    }
    let checker = build::build_attempt(package, &attempt, &checker_target, checker::TIMEOUT)
        .map_err(|e| anyhow!("{} does not compile:\n{e}", relative(file)))?;
    let files = [attempt];
    let findings = search::audit(&files, &checker)?;
    let too_strong = findings
        .sites
        .iter()
        .filter(|s| matches!(s.verdict, Verdict::Unjustified | Verdict::NotNeeded))
        .count();
    Ok(Grade {
        report: table::console(&files, &findings),
        passes: findings.as_written.passed(),
        minimal: findings.flagged() == 0,
        too_strong,
    })
}

/// `cargo xtask audit <attempt>`: the checker first, then (if it passes) the grades.
fn grade_file(package: &str, file: &Path) -> Result {
    let exercises = crate::checker::exercises()?;
    let exercise = exercises
        .iter()
        .find(|e| e.package == package)
        .ok_or_else(|| anyhow!("the crate `{package}` has no exercise, so no learner checker"))?;
    match crate::checker::judge(exercise, file)? {
        crate::checker::Verdict::Correct => {}
        crate::checker::Verdict::StillBroken(message) => {
            return Err(anyhow!(
                "broken: the checker fails on {} as written, so there is nothing to grade \
                 yet:\n{message}",
                relative(file)
            ));
        }
        crate::checker::Verdict::DoesNotCompile(messages) => {
            return Err(anyhow!("{} does not compile:\n{messages}", relative(file)));
        }
    }
    let grade = grade(package, file)?;
    println!("\nThe orderings in {}:\n{}", relative(file), grade.report);
    if grade.minimal {
        println!("Every ordering is the weakest the checker accepts.");
        Ok(())
    } else {
        Err(anyhow!(
            "some orderings are stronger than the checker needs (see above)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(toml_as_json: &str) -> Result<Crate> {
        let table: AuditTable = serde_json::from_str(toml_as_json).unwrap();
        let facts: PackageFacts = serde_json::from_str(
            r#"{"name":"spinlock","version":"0.1.0","edition":"2024",
                "manifest_path":"/r/exercises/spinlock/Cargo.toml"}"#,
        )
        .unwrap();
        checked("spinlock", Path::new("/r/exercises/spinlock"), table, facts)
    }

    #[test]
    fn reads_the_audit_table() {
        let found =
            table(r#"{"files":["src/fixed.rs"],"checker":"loom","tests":["fixed_"]}"#).unwrap();
        assert_eq!(
            found.files,
            [PathBuf::from("/r/exercises/spinlock/src/fixed.rs")]
        );
        assert_eq!(found.checker, "loom");
        assert_eq!(found.tests, ["fixed_"]);
    }

    #[test]
    fn an_audit_table_needs_a_checker() {
        let error = table(r#"{"files":["src/fixed.rs"]}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("needs `checker`"), "{error}");
    }

    #[test]
    fn broken_files_are_never_audited() {
        let error = table(r#"{"files":["src/broken_relaxed.rs"],"checker":"loom"}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("fixed code only"), "{error}");
    }
}
