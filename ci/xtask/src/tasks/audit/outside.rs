//! `cargo xtask audit --crate PATH`: the audit of a crate outside this repository (a reader's
//! own), judged by that crate's own loom tests.
//!
//! - **Files:** those its `[package.metadata.audit] files` names, else every `.rs` file under
//!   its `src/` that has an atomic ordering (files named `broken*` left out).
//! - **Checker:** the test target its `checker` names and the tests its `tests` filters select,
//!   else every test of every test target, built with `RUSTFLAGS="--cfg loom"`: whatever
//!   `RUSTFLAGS="--cfg loom" cargo test --release` runs there.
//! - **Where:** the instrumented copy and its build live in the crate's own
//!   `target/audit/`; the report is printed and written to `target/audit/report.md` there. The
//!   crate's sources and this repository's book are never written.

use super::build::{PackageFacts, Place};
use super::checker::Audited;
use super::{AuditTable, audit_files, checker_text, is_broken, verdict};
use crate::util::{Result, anyhow, capture, files_under, root};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The parts of `cargo metadata` (run in the reader's crate) the audit reads.
#[derive(Deserialize)]
struct Metadata {
    packages: Vec<serde_json::Value>,
    workspace_root: PathBuf,
}

pub fn audit(path: &Path, timeout: Duration) -> Result {
    let dir = path
        .canonicalize()
        .map_err(|e| anyhow!("--crate {}: {e}", path.display()))?;
    let manifest = dir.join("Cargo.toml");
    if !manifest.is_file() {
        return Err(anyhow!(
            "--crate {}: no Cargo.toml there (it takes a crate's directory)",
            path.display()
        ));
    }
    if let Some(package) = crate::workspace::packages()?
        .iter()
        .find(|p| p.dir() == dir)
    {
        return Err(anyhow!(
            "`{}` is a crate of this repository: `cargo xtask audit {}` audits it against its \
             table in the book",
            package.name,
            package.name
        ));
    }
    let (facts, table, workspace_root) = read_metadata(&manifest)?;
    let files = chosen_files(&dir, &table)?;
    let mut audited = Vec::new();
    let mut next_id = 0;
    for file in &files {
        let shown = file
            .strip_prefix(&dir)
            .unwrap_or(file)
            .display()
            .to_string();
        let read = Audited::read_as(file, shown, next_id)?;
        next_id += read.found.sites.len();
        if table.files.is_empty() && read.found.sites.is_empty() && read.found.stray.is_empty() {
            continue;
        }
        audited.push(read);
    }
    if audited.iter().all(|f| f.found.sites.is_empty()) {
        return Err(anyhow!(
            "no atomic ordering to audit in {} (the audit reads `Ordering::X` arguments of \
             atomic operations and fences)",
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let out = dir.join("target/audit");
    let place = Place {
        copy: out.join("crate"),
        target: out.join("build"),
        lock: Some(workspace_root.join("Cargo.lock")),
        profile_from: workspace_root.join("Cargo.toml"),
        checker: table.checker.clone(),
        tests: table.tests.clone(),
        timeout,
    };
    let (audited, findings) = audit_files(&facts.name, &facts, audited, &place)?;
    let title = format!(
        "# Ordering audit of `{}`\n\n\
         Written by `cargo xtask audit --crate {}`. A verdict holds for the loom models named \
         beside it, and only as far as they reach.\n",
        facts.name,
        dir.display()
    );
    let checker = checker_text(&facts.name, table.checker.as_deref(), &table.tests);
    let report = super::table::markdown(&title, &audited, &findings, &checker);
    let path = out.join("report.md");
    std::fs::create_dir_all(&out).map_err(|e| anyhow!("creating {}: {e}", out.display()))?;
    std::fs::write(&path, report).map_err(|e| anyhow!("writing {}: {e}", path.display()))?;
    println!("wrote {}", path.display());
    verdict(&findings)
}

/// The crate's package (as `cargo metadata` describes it), its audit table (empty when it
/// has none) and its workspace root (where its `Cargo.lock` and release profile are).
fn read_metadata(manifest: &Path) -> Result<(PackageFacts, AuditTable, PathBuf)> {
    let mut command = Command::new("cargo");
    command
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--manifest-path",
        ])
        .arg(manifest)
        .current_dir(root());
    let output = capture(&mut command)?;
    if !output.status.success() {
        return Err(anyhow!(
            "`cargo metadata` failed for {}: {}",
            manifest.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let metadata: Metadata = serde_json::from_slice(&output.stdout)
        .map_err(|e| anyhow!("reading `cargo metadata` of {}: {e}", manifest.display()))?;
    let package = metadata
        .packages
        .into_iter()
        .find(|p| p["manifest_path"].as_str().map(Path::new) == Some(manifest))
        .ok_or_else(|| anyhow!("`cargo metadata` does not list {}", manifest.display()))?;
    let table = match &package["metadata"]["audit"] {
        serde_json::Value::Null => AuditTable::default(),
        value => AuditTable::deserialize(value)
            .map_err(|e| anyhow!("{}: [package.metadata.audit]: {e}", manifest.display()))?,
    };
    let facts = PackageFacts::deserialize(&package)
        .map_err(|e| anyhow!("reading `cargo metadata` of {}: {e}", manifest.display()))?;
    Ok((facts, table, metadata.workspace_root))
}

/// The files the table names, or every `.rs` file under `src/` that is not `broken*`.
fn chosen_files(dir: &Path, table: &AuditTable) -> Result<Vec<PathBuf>> {
    if !table.files.is_empty() {
        let files: Vec<PathBuf> = table.files.iter().map(|f| dir.join(f)).collect();
        if let Some(missing) = files.iter().find(|f| !f.is_file()) {
            return Err(anyhow!(
                "[package.metadata.audit] names {}, which does not exist",
                missing.display()
            ));
        }
        return Ok(files);
    }
    let src = dir.join("src");
    if !src.is_dir() {
        return Err(anyhow!("{} has no src/ directory", dir.display()));
    }
    Ok(files_under(&src)?
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "rs") && !is_broken(f))
        .collect())
}
