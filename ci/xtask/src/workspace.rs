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
}

#[derive(Debug, Deserialize)]
struct Metadata {
    packages: Vec<Package>,
}

/// Every workspace package, from one `cargo metadata` call per run.
pub fn packages() -> Result<&'static [Package]> {
    static PACKAGES: OnceLock<Vec<Package>> = OnceLock::new();
    if let Some(packages) = PACKAGES.get() {
        return Ok(packages);
    }
    let output = capture(cmd("cargo").args(["metadata", "--format-version", "1", "--no-deps"]))?;
    if !output.status.success() {
        return Err(anyhow!(
            "`cargo metadata` failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let packages = parse(&output.stdout)?;
    Ok(PACKAGES.get_or_init(|| packages))
}

/// The packages in `cargo metadata`'s JSON.
pub fn parse(json: &[u8]) -> Result<Vec<Package>> {
    let metadata: Metadata =
        serde_json::from_slice(json).map_err(|e| anyhow!("reading `cargo metadata`: {e}"))?;
    Ok(metadata.packages)
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
          "metadata":{{"{key}":{table}}}}}]}}"#
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
        {"name": "support", "manifest_path": "/r/exercises/support/Cargo.toml", "metadata": null}
    ]}"#;

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
