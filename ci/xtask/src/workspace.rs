//! The workspace as `cargo metadata` describes it, read once per run. Each task declares the
//! `[package.metadata.<key>]` table it reads as a `#[derive(Deserialize)]` struct and asks for
//! it here, so a chapter crate registers itself with a task by its own Cargo.toml alone.

use crate::util::{Result, anyhow, capture, cmd};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One workspace package: what every task needs to find its files.
#[derive(Debug, Deserialize)]
pub struct Package {
    pub name: String,
    pub manifest_path: PathBuf,
    #[serde(default)]
    metadata: serde_json::Value,
    /// Everything else `cargo metadata` says of the package (version, edition, dependencies):
    /// `cargo xtask audit` builds a copy of the package from it.
    #[serde(flatten)]
    pub rest: serde_json::Map<String, serde_json::Value>,
}

impl Package {
    /// The crate's directory.
    pub fn dir(&self) -> &Path {
        self.manifest_path
            .parent()
            .expect("a manifest path names a file in a directory")
    }

    /// The `[package.metadata.<key>]` table, if the crate has one, read as `T`. A table that
    /// does not fit `T` is an error naming the crate and the key.
    pub fn table<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        match self.metadata.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(value) => T::deserialize(value).map(Some).map_err(|e| {
                anyhow!(
                    "{}: [package.metadata.{key}]: {e}",
                    crate::util::relative(&self.manifest_path)
                )
            }),
        }
    }

    /// The names of the package's targets of this `kind` (`bench`, `test`, `lib`, …).
    pub fn targets(&self, kind: &str) -> Vec<String> {
        let targets = self.rest.get("targets").and_then(|t| t.as_array());
        targets
            .into_iter()
            .flatten()
            .filter(|target| {
                target["kind"]
                    .as_array()
                    .is_some_and(|kinds| kinds.iter().any(|k| k == kind))
            })
            .filter_map(|target| target["name"].as_str().map(str::to_owned))
            .collect()
    }
}

#[derive(Debug, Deserialize)]
struct Metadata {
    packages: Vec<Package>,
    /// Always there in cargo's output; tests' samples may leave it out.
    #[serde(default)]
    target_directory: PathBuf,
}

/// `cargo metadata`, called once per run.
fn metadata() -> Result<&'static Metadata> {
    static METADATA: OnceLock<Metadata> = OnceLock::new();
    if let Some(metadata) = METADATA.get() {
        return Ok(metadata);
    }
    let output = capture(cmd("cargo").args(["metadata", "--format-version", "1", "--no-deps"]))?;
    if !output.status.success() {
        return Err(anyhow!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let metadata = read(&output.stdout)?;
    Ok(METADATA.get_or_init(|| metadata))
}

/// Every workspace package.
pub fn packages() -> Result<&'static [Package]> {
    Ok(&metadata()?.packages)
}

/// Cargo's target directory for this workspace.
pub fn target_dir() -> Result<&'static Path> {
    Ok(&metadata()?.target_directory)
}

fn read(json: &[u8]) -> Result<Metadata> {
    serde_json::from_slice(json).map_err(|e| anyhow!("reading `cargo metadata`: {e}"))
}

/// The packages in `cargo metadata`'s JSON (tests feed their own samples through it).
#[cfg(test)]
pub fn parse(json: &[u8]) -> Result<Vec<Package>> {
    Ok(read(json)?.packages)
}

/// The package named `name`, or an error listing the valid names.
pub fn package(name: &str) -> Result<&'static Package> {
    let packages = packages()?;
    packages.iter().find(|p| p.name == name).ok_or_else(|| {
        let names: Vec<&str> = packages.iter().map(|p| p.name.as_str()).collect();
        anyhow!(
            "no package `{name}` in the workspace. Packages: {}",
            names.join(", ")
        )
    })
}

/// Every package with a `[package.metadata.<key>]` table, with the table read as `T`.
pub fn with_table<T: DeserializeOwned>(key: &str) -> Result<Vec<(&'static Package, T)>> {
    tables_in(packages()?, key)
}

/// The packages among `packages` with a `[package.metadata.<key>]` table, read as `T` (tests
/// pass their own `cargo metadata` JSON through [`parse`]).
pub fn tables_in<'a, T: DeserializeOwned>(
    packages: &'a [Package],
    key: &str,
) -> Result<Vec<(&'a Package, T)>> {
    let mut found = Vec::new();
    for package in packages {
        if let Some(table) = package.table(key)? {
            found.push((package, table));
        }
    }
    Ok(found)
}

/// `cargo metadata`'s JSON for two packages, the second holding `[package.metadata.<key>]`
/// with this TOML-as-JSON value: what the per-crate tasks' tests read.
#[cfg(test)]
pub fn sample(key: &str, table: &str) -> Vec<Package> {
    let json = format!(
        r#"{{"packages":[
        {{"name":"counter","manifest_path":"/r/counter/Cargo.toml","metadata":null}},
        {{"name":"refcount","manifest_path":"/r/refcount/Cargo.toml",
          "metadata":{{"{key}":{table}}}}}],
        "target_directory":"/r/target"}}"#
    );
    parse(json.as_bytes()).expect("the sample is valid JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Learn {
        exercise: String,
    }

    const JSON: &str = r#"{"packages": [
        {"name": "counter", "manifest_path": "/r/exercises/counter/Cargo.toml",
         "metadata": {"learn": {"exercise": "src/broken.rs"}}},
        {"name": "support", "manifest_path": "/r/exercises/support/Cargo.toml", "metadata": null,
         "targets": [{"name": "support", "kind": ["lib"]}, {"name": "spin", "kind": ["bench"]}]}
    ]}"#;

    #[test]
    fn targets_are_listed_by_kind() {
        let packages = parse(JSON.as_bytes()).unwrap();
        assert_eq!(packages[1].targets("bench"), ["spin"]);
        assert!(packages[0].targets("bench").is_empty());
    }

    #[test]
    fn a_table_is_read_as_its_type_and_a_missing_one_is_none() {
        let packages = parse(JSON.as_bytes()).unwrap();
        let learn: Option<Learn> = packages[0].table("learn").unwrap();
        assert_eq!(learn.unwrap().exercise, "src/broken.rs");
        assert!(packages[1].table::<Learn>("learn").unwrap().is_none());
        assert_eq!(packages[0].dir(), Path::new("/r/exercises/counter"));
    }

    #[test]
    fn a_table_of_the_wrong_shape_names_the_crate_and_key() {
        let packages = parse(JSON.as_bytes()).unwrap();
        let error = packages[0]
            .table::<Vec<u8>>("learn")
            .unwrap_err()
            .to_string();
        assert!(error.contains("[package.metadata.learn]"), "{error}");
        assert!(error.contains("counter/Cargo.toml"), "{error}");
    }
}
