//! Building the instrumented checker once, so every variant is the same binaries run with a
//! different environment variable. Two kinds of build:
//!
//! - a crate (of this workspace, or a reader's own with `--crate`): the crate's `src/` and
//!   `tests/` are copied to a directory of their own under `target/audit/` (its own one-package
//!   workspace, so the real one is untouched) with the audited files instrumented, and its
//!   loom tests are the checker;
//! - a reader's attempt at an exercise: the instrumented attempt goes through the learner hook
//!   (`--cfg learner`, `LEARNER_ATTEMPT`), and the crate's `learner_attempt` test is the
//!   checker.
//!
//! The sources are only ever read; every copy lives under a `target/` directory.

use super::checker::{Audited, Checker};
use crate::util::{Result, anyhow, capture, copy_dir, relative, root, step};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, value};

/// What the copy's manifest is written from: a package as `cargo metadata` describes it
/// (`workspace = true` entries resolved, path dependencies absolute).
#[derive(Debug, Deserialize)]
pub struct PackageFacts {
    pub name: String,
    pub version: String,
    pub edition: String,
    pub manifest_path: PathBuf,
    #[serde(default)]
    pub dependencies: Vec<Dependency>,
}

#[derive(Debug, Deserialize)]
pub struct Dependency {
    name: String,
    req: String,
    kind: Option<String>,
    rename: Option<String>,
    target: Option<String>,
    path: Option<PathBuf>,
    uses_default_features: bool,
    #[serde(default)]
    features: Vec<String>,
}

impl PackageFacts {
    pub fn dir(&self) -> &Path {
        self.manifest_path.parent().unwrap_or(Path::new("."))
    }
}

/// Where a crate's instrumented copy is built, and what the checker is.
pub struct Place {
    /// The copy's directory (emptied first).
    pub copy: PathBuf,
    /// Its `CARGO_TARGET_DIR`.
    pub target: PathBuf,
    /// The `Cargo.lock` to build with, so the copy resolves the versions the crate uses.
    pub lock: Option<PathBuf>,
    /// The manifest whose `[profile.release]` the copy keeps.
    pub profile_from: PathBuf,
    /// The checker's test target, or `None` for every test target (`--tests`).
    pub checker: Option<String>,
    /// libtest filters; empty runs every test.
    pub tests: Vec<String>,
    pub timeout: Duration,
}

/// Copies `facts`'s crate to `place.copy` with `files` instrumented, builds its tests for loom
/// once, and returns the checker that runs them.
pub fn build_crate(facts: &PackageFacts, files: &[Audited], place: &Place) -> Result<Checker> {
    let name = &facts.name;
    let dir = facts.dir();
    let copy = &place.copy;
    if copy.exists() {
        std::fs::remove_dir_all(copy).map_err(|e| anyhow!("emptying {}: {e}", copy.display()))?;
    }
    for sub in ["src", "tests"] {
        if dir.join(sub).is_dir() {
            copy_dir(&dir.join(sub), &copy.join(sub))?;
        }
    }
    if dir.join("build.rs").is_file() {
        std::fs::copy(dir.join("build.rs"), copy.join("build.rs"))?;
    }
    let mut renames = Vec::new();
    for file in files {
        let inside = file
            .path
            .strip_prefix(dir)
            .map_err(|_| anyhow!("{} is not inside the crate {name}", file.shown))?;
        std::fs::write(copy.join(inside), file.instrumented())?;
        renames.push((copy.join(inside).display().to_string(), file.shown.clone()));
    }
    // Paths rustc saw inside the copy, then any absolute path in the repository, print as the
    // reader's paths.
    let shown_dir = match files.first() {
        Some(file) => file.shown_dir(dir),
        None => relative(dir),
    };
    renames.push((format!("{}/", copy.display()), format!("{shown_dir}/")));
    renames.push((format!("{}/", root().display()), String::new()));
    std::fs::write(
        copy.join("Cargo.toml"),
        copy_manifest(facts, &place.profile_from)?,
    )?;
    if let Some(lock) = place.lock.as_ref().filter(|l| l.is_file()) {
        std::fs::copy(lock, copy.join("Cargo.lock"))?;
    }
    let mut command = Command::new("cargo");
    command
        .current_dir(copy)
        .args(["test", "--release", "--no-run", "--message-format=json"])
        .env("CARGO_TARGET_DIR", &place.target)
        .env("RUSTFLAGS", "--cfg loom");
    match &place.checker {
        Some(target) => command.args(["--test", target]),
        None => command.arg("--tests"),
    };
    let what = place
        .checker
        .as_ref()
        .map_or_else(|| "every test target".to_owned(), |t| format!("`{t}`"));
    step(&format!(
        "building {what} of {name} for loom once, with every ordering site instrumented"
    ));
    let binaries = built_binaries(&mut command, place.checker.as_deref())
        .map_err(|e| anyhow!("{name}: building the instrumented copy failed: {e}"))?;
    Ok(Checker {
        binaries,
        args: place.tests.clone(),
        renames,
        dir: copy.clone(),
        timeout: place.timeout,
    })
}

/// Builds the reader's `attempt` (instrumented) through the learner hook and returns the
/// crate's `checker` test binary, set to run only `learner_attempt`. `Err` carries the
/// compiler's messages.
pub fn build_attempt(
    package: &str,
    attempt: &Audited,
    checker: &str,
    timeout: Duration,
) -> Result<Checker> {
    // The learner build (`crate::checker`): `cargo xtask learn` builds this same instrumented
    // text first, so grading its attempt reuses that build.
    step(&format!(
        "building {} once with every ordering site instrumented",
        attempt.shown
    ));
    let binary = match crate::checker::build(package, &attempt.instrumented(), checker)? {
        crate::checker::Build::Binary(binary) => binary,
        crate::checker::Build::DoesNotCompile(messages) => {
            let shown = Path::new(&attempt.shown);
            return Err(anyhow!(
                "{}",
                crate::checker::rename_copy(&messages, package, shown)
            ));
        }
    };
    Ok(Checker {
        binaries: vec![binary],
        args: vec!["learner_attempt".into(), "--exact".into()],
        renames: vec![
            (
                crate::checker::attempt_copy(package).display().to_string(),
                attempt.shown.clone(),
            ),
            (format!("{}/", root().display()), String::new()),
        ],
        dir: root(),
        timeout,
    })
}

/// Runs a `cargo test --no-run --message-format=json` build and finds its test binaries
/// (the one named `target`, or every one).
fn built_binaries(command: &mut Command, target: Option<&str>) -> Result<Vec<PathBuf>> {
    let output = capture(command)?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let messages = || {
        stdout
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
    };
    if !output.status.success() {
        let rendered: Vec<String> = messages()
            .filter(|m| m["reason"] == "compiler-message")
            .filter_map(|m| m["message"]["rendered"].as_str().map(str::to_owned))
            .collect();
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(anyhow!(
            "{}",
            if rendered.is_empty() {
                stderr.into_owned()
            } else {
                rendered.join("")
            }
        ));
    }
    let binaries: Vec<PathBuf> = messages()
        .filter(|m| m["reason"] == "compiler-artifact" && m["profile"]["test"] == true)
        .filter(|m| target.is_none_or(|t| m["target"]["name"] == t))
        .filter_map(|m| m["executable"].as_str().map(PathBuf::from))
        .collect();
    if binaries.is_empty() {
        return Err(anyhow!(
            "the build made no test binary{}",
            target.map_or_else(String::new, |t| format!(" `{t}`"))
        ));
    }
    Ok(binaries)
}

/// The copy's `Cargo.toml`: the package's own dependencies, the release profile of
/// `profile_from`, and an empty `[workspace]` that makes the copy a workspace of its own.
fn copy_manifest(facts: &PackageFacts, profile_from: &Path) -> Result<String> {
    let mut doc = DocumentMut::new();
    let mut package = Table::new();
    package.decor_mut().set_prefix(format!(
        "# Written by `cargo xtask audit`: a copy of {} with its ordering sites instrumented.\n",
        facts.name
    ));
    package["name"] = value(&facts.name);
    package["version"] = value(&facts.version);
    package["edition"] = value(&facts.edition);
    package["publish"] = value(false);
    doc["package"] = Item::Table(package);
    for dep in &facts.dependencies {
        let kind = match dep.kind.as_deref() {
            Some("dev") => "dev-dependencies",
            Some("build") => "build-dependencies",
            _ => "dependencies",
        };
        let section = match &dep.target {
            Some(cfg) => implicit(implicit(&mut doc, "target"), cfg),
            None => doc.as_table_mut(),
        };
        let table = section
            .entry(kind)
            .or_insert_with(|| Item::Table(Table::new()))
            .as_table_mut()
            .ok_or_else(|| anyhow!("{kind} is not a table"))?;
        table.insert(
            dep.rename.as_deref().unwrap_or(&dep.name),
            value(dep.inline()),
        );
    }
    let lints = implicit(implicit(&mut doc, "lints"), "rust");
    lints["unexpected_cfgs"] = value(InlineTable::from_iter([("level", "allow")]));
    if let Some(release) = release_profile(profile_from)? {
        implicit(&mut doc, "profile").insert("release", release);
    }
    doc["workspace"] = Item::Table(Table::new());
    Ok(doc.to_string())
}

impl Dependency {
    /// `{ package = "…", version = "…", path = "…", … }`: the dependency as cargo read it.
    fn inline(&self) -> InlineTable {
        let mut fields = InlineTable::new();
        fields.insert("package", self.name.as_str().into());
        fields.insert("version", self.req.as_str().into());
        if let Some(path) = &self.path {
            fields.insert("path", path.display().to_string().into());
        }
        if !self.uses_default_features {
            fields.insert("default-features", false.into());
        }
        if !self.features.is_empty() {
            fields.insert("features", Array::from_iter(&self.features).into());
        }
        fields
    }
}

/// The table `key` of `parent`, made if missing, with no header of its own (`[target]` is
/// not written above `[target.'cfg(loom)'.dependencies]`).
fn implicit<'a>(parent: &'a mut Table, key: &str) -> &'a mut Table {
    let item = parent.entry(key).or_insert_with(|| {
        let mut table = Table::new();
        table.set_implicit(true);
        Item::Table(table)
    });
    item.as_table_mut().expect("made as a table above")
}

/// The `[profile.release]` table of a manifest, if it has one.
fn release_profile(manifest: &Path) -> Result<Option<Item>> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|e| anyhow!("reading {}: {e}", manifest.display()))?;
    let doc: DocumentMut = text
        .parse()
        .map_err(|e| anyhow!("{}: {e}", manifest.display()))?;
    Ok(doc
        .get("profile")
        .and_then(|profile| profile.get("release"))
        .cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copys_manifest_keeps_the_dependencies_and_the_release_profile() {
        let facts: PackageFacts = serde_json::from_str(
            r#"{"name": "mine", "version": "0.1.0", "edition": "2024",
                "manifest_path": "/x/Cargo.toml", "dependencies": [
                {"name": "support", "req": "*", "kind": null, "rename": null, "target": null,
                 "path": "/x/support", "uses_default_features": true, "features": []},
                {"name": "loom", "req": "^0.7", "kind": null, "rename": null,
                 "target": "cfg(loom)", "path": null, "uses_default_features": false,
                 "features": ["checkpoint"]},
                {"name": "rand", "req": "^0.9", "kind": "dev", "rename": "random",
                 "target": null, "path": null, "uses_default_features": true, "features": []}
            ]}"#,
        )
        .unwrap();
        let dir = std::env::temp_dir().join(format!("xtask-manifest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let workspace = dir.join("Cargo.toml");
        std::fs::write(
            &workspace,
            "[workspace]\nmembers = []\n\n[profile.release]\ndebug = true # why\n",
        )
        .unwrap();
        let text = copy_manifest(&facts, &workspace).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            text.starts_with("# Written by `cargo xtask audit`"),
            "{text}"
        );
        let doc: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(doc["package"]["name"].as_str(), Some("mine"));
        assert_eq!(
            doc["dependencies"]["support"]["path"].as_str(),
            Some("/x/support")
        );
        let loom = &doc["target"]["cfg(loom)"]["dependencies"]["loom"];
        assert_eq!(loom["default-features"].as_bool(), Some(false));
        assert_eq!(loom["features"][0].as_str(), Some("checkpoint"));
        assert_eq!(
            doc["dev-dependencies"]["random"]["package"].as_str(),
            Some("rand")
        );
        assert_eq!(doc["profile"]["release"]["debug"].as_bool(), Some(true));
        assert!(doc["workspace"].as_table().unwrap().is_empty());
        assert!(!text.contains("[target]\n"), "{text}");
    }
}
