//! `cargo xtask audit`: prove each ordering is the weakest that works.
//!
//! For every atomic-ordering site in the code it is given (found by parsing, see [`sites`]),
//! the audit tries each strictly weaker ordering the operation accepts, one site at a time,
//! and runs the crate's loom checker on each variant. An operation that is there only for its
//! ordering (a fence, a load whose value is dropped) is also tried removed. A site whose weaker
//! ordering passes, or whose operation the checker does not need, is flagged unless its comment
//! says why it is kept (`audit: stronger because …`). Pairs of sites that each pass weakened
//! alone are then tried together.
//!
//! A crate opts in with a `[package.metadata.audit]` table:
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
//! The tables it writes are `src/appendix/audit/<crate>.md`, included in the chapters.

mod checker;
mod search;
pub mod sites;
mod table;

use crate::util::{Result, cargo_metadata, relative, root, step};
use anyhow::anyhow;
use checker::Audited;
use search::{Findings, Verdict};
use std::path::{Path, PathBuf};
use std::time::Instant;

const USAGE: &str = "\
cargo xtask audit                      audit every crate that declares [package.metadata.audit]
                                       and write its table to src/appendix/audit/<crate>.md
cargo xtask audit <crate>              audit one crate and write its table
cargo xtask audit <file.rs>            audit one file: a crate's audited file, or any other
                                       file as a reader's attempt at that crate's exercise
cargo xtask audit --attempt <exercise> grade your attempt at an exercise (`cargo xtask learn`)
cargo xtask audit --check              audit every crate; fail if a table is stale or a site
                                       is flagged";

/// A crate with an audit table.
#[derive(Debug)]
pub struct Crate {
    pub name: String,
    pub dir: PathBuf,
    pub package: serde_json::Value,
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
        let tests = if self.tests.is_empty() {
            "every test".to_owned()
        } else {
            let names: Vec<String> = self.tests.iter().map(|t| format!("`{t}`")).collect();
            format!("the tests matching {}", names.join(", "))
        };
        format!(
            "{tests} of `{}` (loom, `tests/{}.rs`)",
            relative(&self.dir),
            self.checker
        )
    }
}

pub fn run(args: &[String]) -> Result {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => audit_all(false),
        ["--check"] => audit_all(true),
        ["--attempt", name] => {
            let exercises = crate::tasks::learn::exercises()?;
            let exercise = crate::tasks::learn::find(&exercises, name)?;
            let attempt = exercise.attempt();
            if !attempt.exists() {
                return Err(anyhow!(
                    "{} does not exist yet: `cargo xtask learn {name}` makes it",
                    relative(&attempt)
                ));
            }
            grade_file(&exercise.package, &attempt)
        }
        [target] if !target.starts_with('-') => audit_one(target),
        _ => Err(anyhow!("usage:\n{USAGE}")),
    }
}

/// Every crate with a `[package.metadata.audit]` table, by name.
pub fn crates() -> Result<Vec<Crate>> {
    parse_metadata(&cargo_metadata()?)
}

fn parse_metadata(metadata: &serde_json::Value) -> Result<Vec<Crate>> {
    let mut found = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let audit = &package["metadata"]["audit"];
        if audit.is_null() {
            continue;
        }
        let name = package["name"].as_str().unwrap_or_default().to_owned();
        let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap_or_default());
        let dir = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
        let strings = |key: &str| -> Vec<String> {
            audit[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        let files = strings("files");
        if files.is_empty() {
            return Err(anyhow!("{name}: [package.metadata.audit] needs `files`"));
        }
        if let Some(broken) = files.iter().find(|f| file_stem(f).starts_with("broken")) {
            return Err(anyhow!(
                "{name}: `{broken}` is broken on purpose; the audit is for fixed code only"
            ));
        }
        let checker = audit["checker"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| {
                format!("{name}: [package.metadata.audit] needs `checker` (a loom test target)")
            })
            .map_err(anyhow::Error::msg)?;
        found.push(Crate {
            files: files.iter().map(|f| dir.join(f)).collect(),
            tests: strings("tests"),
            package: package.clone(),
            checker,
            dir,
            name,
        });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

fn file_stem(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The crate with this name, or a message naming the ones there are.
fn find<'a>(crates: &'a [Crate], name: &str) -> Result<&'a Crate> {
    crates
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            let names: Vec<&str> = crates.iter().map(|c| c.name.as_str()).collect();
            let known = crate::util::cargo_metadata()
                .ok()
                .and_then(|m| {
                    m["packages"]
                        .as_array()
                        .map(|p| p.iter().any(|p| p["name"] == name))
                })
                .unwrap_or(false);
            if known {
                format!(
                    "the crate `{name}` declares no checker: add a [package.metadata.audit] table \
                 (files, checker) to its Cargo.toml. Crates with one: {}",
                    names.join(", ")
                )
            } else {
                format!(
                    "there is no crate or file `{name}`. Crates with an audit: {}",
                    names.join(", ")
                )
            }
        })
        .map_err(anyhow::Error::msg)
}

/// Audits one crate's declared files; returns its table and findings.
fn audit_crate(krate: &Crate, only: Option<&Path>) -> Result<(String, Findings)> {
    let started = Instant::now();
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
    let checker = checker::build_crate(&krate.package, &files, &krate.checker, &krate.tests)?;
    step(&format!(
        "auditing {} ordering sites in {}",
        next_id,
        files
            .iter()
            .map(|f| relative(&f.path))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let findings = search::audit(&files, &checker)?;
    print!("{}", table::console(&files, &findings));
    println!(
        "{}: {} checker runs in {:.0} s",
        krate.name,
        findings.runs,
        started.elapsed().as_secs_f64()
    );
    Ok((
        table::markdown(&krate.name, &files, &findings, &krate.checker_text()),
        findings,
    ))
}

fn audit_all(check: bool) -> Result {
    let started = Instant::now();
    let crates = crates()?;
    if crates.is_empty() {
        return Err(anyhow!("no crate has a [package.metadata.audit] table"));
    }
    let mut problems = Vec::new();
    for krate in &crates {
        let (table, findings) = audit_crate(krate, None)?;
        let flagged = findings.flagged();
        if flagged > 0 {
            problems.push(format!(
                "{}: {flagged} site(s) flagged (see the table above)",
                krate.name
            ));
        }
        let path = krate.table();
        if check {
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != table {
                problems.push(format!(
                    "{} is stale: run `cargo xtask audit {}` and commit the result",
                    relative(&path),
                    krate.name
                ));
            }
        } else {
            write_table(&path, &table)?;
        }
    }
    step(&format!(
        "audited {} crates in {:.0} s",
        crates.len(),
        started.elapsed().as_secs_f64()
    ));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(anyhow::Error::msg(problems.join("\n")))
    }
}

fn write_table(path: &Path, table: &str) -> Result {
    std::fs::create_dir_all(path.parent().expect("a parent"))?;
    std::fs::write(path, table)?;
    println!("wrote {}", relative(path));
    Ok(())
}

/// `cargo xtask audit <crate-or-file>`.
fn audit_one(target: &str) -> Result {
    let crates = crates()?;
    let as_file = std::env::current_dir()?.join(target);
    if target.ends_with(".rs") || as_file.is_file() {
        if !as_file.is_file() {
            return Err(anyhow!("there is no file {target}"));
        }
        let file = as_file.canonicalize()?;
        // A file a crate audits: the chapter's own checker, without writing its table.
        if let Some(krate) = crates.iter().find(|c| c.files.contains(&file)) {
            let (_, findings) = audit_crate(krate, Some(&file))?;
            return verdict(&findings);
        }
        // Anything else inside an exercise crate is graded as a reader's attempt.
        let package = crate::util::cargo_metadata()?["packages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| {
                let manifest = PathBuf::from(p["manifest_path"].as_str()?);
                let dir = manifest.parent()?.to_path_buf();
                file.starts_with(&dir)
                    .then(|| p["name"].as_str().map(str::to_owned))?
            })
            .next()
            .ok_or_else(|| {
                format!("{target} is not inside a workspace crate, so there is no checker for it")
            })
            .map_err(anyhow::Error::msg)?;
        return grade_file(&package, &file);
    }
    let krate = find(&crates, target)?;
    let (table, findings) = audit_crate(krate, None)?;
    write_table(&krate.table(), &table)?;
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
    if let Some(problem) = crate::tasks::learn::unseen_by_loom(&attempt.source) {
        return Err(anyhow::Error::msg(problem));
    }
    if attempt.found.sites.is_empty() && attempt.found.stray.is_empty() {
        return Ok(Grade {
            report: "  (no atomic orderings in this file)\n".into(),
            passes: true,
            minimal: true,
            too_strong: 0,
        });
    }
    let checker = checker::build_attempt(package, &attempt, &checker_target)
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
    let exercises = crate::tasks::learn::exercises()?;
    let exercise = exercises
        .iter()
        .find(|e| e.package == package)
        .ok_or_else(|| anyhow!("the crate `{package}` has no exercise, so no learner checker"))?;
    match crate::tasks::learn::judge(exercise, file)? {
        crate::tasks::learn::Verdict::Correct => {}
        crate::tasks::learn::Verdict::StillBroken(message) => {
            return Err(anyhow!(
                "broken: the checker fails on {} as written, so there is nothing to grade \
                 yet:\n{message}",
                relative(file)
            ));
        }
        crate::tasks::learn::Verdict::DoesNotCompile(messages) => {
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

    fn metadata(audit: &str) -> serde_json::Value {
        serde_json::from_str(&format!(
            r#"{{"packages":[
                {{"name":"support","manifest_path":"/r/exercises/support/Cargo.toml","metadata":null}},
                {{"name":"spinlock","manifest_path":"/r/exercises/spinlock/Cargo.toml",
                 "metadata":{{"audit":{audit}}}}}
            ]}}"#
        ))
        .unwrap()
    }

    #[test]
    fn reads_the_audit_table() {
        let found = parse_metadata(&metadata(
            r#"{"files":["src/fixed.rs"],"checker":"loom","tests":["fixed_"]}"#,
        ))
        .unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].files,
            [PathBuf::from("/r/exercises/spinlock/src/fixed.rs")]
        );
        assert_eq!(found[0].checker, "loom");
        assert_eq!(found[0].tests, ["fixed_"]);
    }

    #[test]
    fn an_audit_table_needs_a_checker() {
        let error = parse_metadata(&metadata(r#"{"files":["src/fixed.rs"]}"#))
            .unwrap_err()
            .to_string();
        assert!(error.contains("needs `checker`"), "{error}");
    }

    #[test]
    fn broken_files_are_never_audited() {
        let error = parse_metadata(&metadata(
            r#"{"files":["src/broken_relaxed.rs"],"checker":"loom"}"#,
        ))
        .unwrap_err()
        .to_string();
        assert!(error.contains("fixed code only"), "{error}");
    }
}
