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
use crate::util::{Result, anyhow, capture, relative, root, step};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

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
    let mut out = format!(
        "# Written by `cargo xtask audit`: a copy of {} with its ordering sites instrumented.\n\
         [package]\nname = {:?}\nversion = {:?}\nedition = {:?}\npublish = false\n",
        facts.name, facts.name, facts.version, facts.edition,
    );
    let mut sections: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for dep in &facts.dependencies {
        let kind = match dep.kind.as_deref() {
            Some("dev") => "dev-dependencies",
            Some("build") => "build-dependencies",
            _ => "dependencies",
        };
        let section = match &dep.target {
            Some(cfg) => format!("target.{cfg:?}.{kind}"),
            None => kind.to_owned(),
        };
        let key = dep.rename.as_deref().unwrap_or(&dep.name);
        let mut fields = vec![
            format!("package = {:?}", dep.name),
            format!("version = {:?}", dep.req),
        ];
        if let Some(path) = &dep.path {
            fields.push(format!("path = {:?}", path.display().to_string()));
        }
        if !dep.uses_default_features {
            fields.push("default-features = false".into());
        }
        if !dep.features.is_empty() {
            let features: Vec<String> = dep.features.iter().map(|f| format!("{f:?}")).collect();
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
    out.push_str(&format!(
        "\n{}\n[workspace]\n",
        release_profile(profile_from)?
    ));
    Ok(out)
}

/// The `[profile.release]` table of a manifest, as written.
fn release_profile(manifest: &Path) -> Result<String> {
    let manifest = std::fs::read_to_string(manifest)
        .map_err(|e| anyhow!("reading {}: {e}", manifest.display()))?;
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
