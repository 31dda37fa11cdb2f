//! What `cargo xtask bench` runs: the `[package.metadata.bench]` table of `benches/Cargo.toml`,
//! checked against the package's `[[bench]]` targets.

use crate::util::{Result, anyhow};
use crate::workspace;
use serde::Deserialize;

/// The whole table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Spec {
    /// How many times each target runs by default (`--runs` overrides).
    pub runs: usize,
    /// Criterion's warm-up per benchmark, in milliseconds.
    pub warm_up_ms: u64,
    /// Criterion's measurement time per benchmark, in milliseconds.
    pub measurement_ms: u64,
    /// Criterion's bootstrap resamples for the confidence interval.
    pub resamples: u64,
    /// One entry per bench target, in the order they run.
    pub targets: Vec<Target>,
}

/// One bench target and how its appendix data is drawn.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// The bench target (`benches/benches/<name>.rs`); also names the generated files.
    pub name: String,
    /// The criterion group the target fills; the target's name unless given.
    #[serde(default)]
    pub group: Option<String>,
    /// The variant every other one is compared with, at the same parameter.
    pub baseline: String,
    /// What one measured operation is, for the column heading and the chart's axis.
    pub op: String,
    /// What the benchmark parameter counts: `threads` (the default) or e.g. `batch`.
    #[serde(default = "threads")]
    pub parameter: String,
    /// The chart's title.
    pub title: String,
    /// Names of the extra figures the bench writes per benchmark (`benches::record_side`).
    #[serde(default)]
    pub side: Vec<String>,
}

fn threads() -> String {
    "threads".to_owned()
}

impl Target {
    /// The criterion group.
    pub fn group(&self) -> &str {
        self.group.as_deref().unwrap_or(&self.name)
    }

    /// Whether the parameter is a thread count.
    pub fn counts_threads(&self) -> bool {
        self.parameter == "threads"
    }
}

/// The `benches` package's table, checked against its bench targets.
pub fn load() -> Result<Spec> {
    let found = workspace::with_table::<Spec>("bench")?;
    let (package, spec) = found
        .into_iter()
        .find(|(package, _)| package.name == "benches")
        .ok_or_else(|| anyhow!("benches/Cargo.toml has no [package.metadata.bench] table"))?;
    check_targets(&spec, &package.targets("bench"))?;
    Ok(spec)
}

/// Every bench target has an entry and every entry has a target.
pub fn check_targets(spec: &Spec, targets: &[String]) -> Result {
    for target in targets {
        if !spec.targets.iter().any(|entry| &entry.name == target) {
            return Err(anyhow!(
                "bench target `{target}` has no entry in [package.metadata.bench] \
                 (benches/Cargo.toml): add its baseline variant, op and chart title there"
            ));
        }
    }
    for entry in &spec.targets {
        if !targets.contains(&entry.name) {
            return Err(anyhow!(
                "[package.metadata.bench] names `{}`, but benches/Cargo.toml has no such \
                 [[bench]]; targets: {}",
                entry.name,
                targets.join(", ")
            ));
        }
    }
    if spec.runs == 0 {
        return Err(anyhow!("[package.metadata.bench] runs must be at least 1"));
    }
    Ok(())
}

/// The entries named in `only` (comma-separated), or all; an unknown name lists the valid ones.
/// The targets named by `--only` (all of them when it names none).
pub fn select<'a>(spec: &'a Spec, only: &[String]) -> Result<Vec<&'a Target>> {
    if only.is_empty() {
        return Ok(spec.targets.iter().collect());
    }
    only.iter()
        .map(|name| {
            spec.targets
                .iter()
                .find(|t| t.name == name.trim())
                .ok_or_else(|| {
                    let names: Vec<&str> = spec.targets.iter().map(|t| t.name.as_str()).collect();
                    anyhow!("no bench target `{name}`; targets: {}", names.join(", "))
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        serde_json::from_str(
            r#"{"runs": 5, "warm-up-ms": 300, "measurement-ms": 1000, "resamples": 10000,
                "targets": [
                {"name": "counter", "baseline": "a", "op": "increment", "title": "t"},
                {"name": "spsc_batch", "baseline": "b", "op": "message", "title": "t",
                 "parameter": "batch"}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn entries_and_targets_must_match() {
        let spec = spec();
        let both = ["counter".to_owned(), "spsc_batch".to_owned()];
        assert!(check_targets(&spec, &both).is_ok());
        let extra = check_targets(&spec, &[both[0].clone(), both[1].clone(), "x".into()]);
        assert!(extra.unwrap_err().to_string().contains("`x` has no entry"));
        let missing = check_targets(&spec, &both[..1]).unwrap_err().to_string();
        assert!(missing.contains("names `spsc_batch`"), "{missing}");
    }

    #[test]
    fn defaults_and_selection() {
        let spec = spec();
        assert_eq!(spec.targets[0].group(), "counter");
        assert!(spec.targets[0].counts_threads() && !spec.targets[1].counts_threads());
        assert_eq!(
            select(&spec, &["spsc_batch".into()]).unwrap()[0].name,
            "spsc_batch"
        );
        let unknown = select(&spec, &["nope".into()]).unwrap_err().to_string();
        assert!(
            unknown.contains("targets: counter, spsc_batch"),
            "{unknown}"
        );
    }
}
