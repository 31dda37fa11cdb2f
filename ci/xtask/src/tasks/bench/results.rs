//! Reading one run's results: what criterion saved under `target/criterion/<group>/`, and the
//! side figures a bench wrote with `benches::record_side`.
//!
//! Criterion ids are `<group>/<variant>/<parameter>`: the function id names the variant (the
//! label the table shows) and the parameter is a thread count or a batch size.

use crate::util::{Result, anyhow};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// One benchmark of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub variant: String,
    pub param: u32,
    /// Criterion's median time per operation, in ns.
    pub ns: f64,
    /// Criterion's 95 % confidence interval of that median.
    pub ci: (f64, f64),
    /// Extra figures the bench recorded for this benchmark (empty if none).
    pub side: Vec<f64>,
}

/// Criterion's median estimate and its confidence interval, in ns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub median: f64,
    pub lower: f64,
    pub upper: f64,
}

/// Where criterion writes: `$CRITERION_HOME`, else `<target dir>/criterion`, as criterion does.
pub fn criterion_dir() -> Result<PathBuf> {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return Ok(PathBuf::from(home));
    }
    Ok(crate::workspace::target_dir()?.join("criterion"))
}

/// The measurements saved under `group_dir` since `since`, in the order criterion made them.
/// Older results, from variants since renamed or removed, are left out.
pub fn read(group_dir: &Path, group: &str, since: SystemTime) -> Result<Vec<Measurement>> {
    let mut found = Vec::new();
    for new_dir in find_new_dirs(group_dir)? {
        let estimates = new_dir.join("estimates.json");
        let modified = fs::metadata(&estimates)?.modified()?;
        if modified < since {
            continue;
        }
        let (id_group, variant, param) =
            parse_id(&fs::read_to_string(new_dir.join("benchmark.json"))?)?;
        if id_group != group {
            continue;
        }
        let estimate = parse_estimate(&fs::read_to_string(&estimates)?)?;
        let row = Measurement {
            variant,
            param,
            ns: estimate.median,
            ci: (estimate.lower, estimate.upper),
            side: Vec::new(),
        };
        found.push((modified, row));
    }
    if found.is_empty() {
        return Err(anyhow!(
            "no fresh criterion results under {}: does the bench still use group `{group}`?",
            group_dir.display()
        ));
    }
    found.sort_by_key(|(modified, _)| *modified);
    Ok(found.into_iter().map(|(_, row)| row).collect())
}

/// Every `new/` directory holding a `benchmark.json` below `dir`.
fn find_new_dirs(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = fs::read_dir(&dir)
            .map_err(|e| anyhow!("cannot read criterion results in {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry?.path();
            let Some(name) = path.file_name().filter(|_| path.is_dir()) else {
                continue;
            };
            if name == "new" {
                if path.join("benchmark.json").is_file() {
                    found.push(path);
                }
            } else if name != "base" && name != "change" {
                pending.push(path);
            }
        }
    }
    Ok(found)
}

/// `(group, variant, parameter)` from criterion's `benchmark.json`.
pub fn parse_id(json: &str) -> Result<(String, String, u32)> {
    let id: serde_json::Value = serde_json::from_str(json)?;
    let full = id["full_id"].as_str().unwrap_or("?");
    let group = id["group_id"]
        .as_str()
        .ok_or_else(|| anyhow!("benchmark {full}: no group_id"))?;
    let variant = id["function_id"]
        .as_str()
        .ok_or_else(|| anyhow!("benchmark {full}: no function id (use BenchmarkId::new)"))?;
    let param = id["value_str"]
        .as_str()
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| anyhow!("benchmark {full}: the parameter must be a whole number"))?;
    Ok((group.to_owned(), variant.to_owned(), param))
}

/// The median time per operation and its confidence interval, in ns, from criterion's
/// `estimates.json`. The median, not the mean or slope: a sample in which another process took
/// a core for a moment is an outlier that should not move the figure.
pub fn parse_estimate(json: &str) -> Result<Estimate> {
    let estimates: serde_json::Value = serde_json::from_str(json)?;
    let median = &estimates["median"];
    let number = |value: &serde_json::Value, what: &str| {
        value
            .as_f64()
            .filter(|ns| ns.is_finite() && *ns > 0.0)
            .ok_or_else(|| anyhow!("estimates.json: median.{what} is not a positive time"))
    };
    Ok(Estimate {
        median: number(&median["point_estimate"], "point_estimate")?,
        lower: number(&median["confidence_interval"]["lower_bound"], "lower_bound")?,
        upper: number(&median["confidence_interval"]["upper_bound"], "upper_bound")?,
    })
}

/// Attaches the side figures of `tsv` (`variant<TAB>parameter<TAB>figures...` lines; the last
/// line for a benchmark wins) to `rows`. A line that does not parse is an error naming it.
pub fn attach_side(rows: &mut [Measurement], tsv: &str, path: &Path) -> Result {
    for (number, line) in tsv.lines().enumerate() {
        let bad = || {
            anyhow!(
                "{}:{}: not `variant<TAB>parameter<TAB>numbers`",
                path.display(),
                number + 1
            )
        };
        let mut fields = line.split('\t');
        let variant = fields.next().ok_or_else(bad)?;
        let param: u32 = fields.next().and_then(|p| p.parse().ok()).ok_or_else(bad)?;
        let figures = fields
            .map(|f| f.parse::<f64>().map_err(|_| bad()))
            .collect::<Result<Vec<_>>>()?;
        if let Some(row) = rows
            .iter_mut()
            .find(|r| r.variant == variant && r.param == param)
        {
            row.side = figures;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A trimmed `estimates.json` as criterion 0.8 writes it (flat sampling: no slope).
    const ESTIMATES: &str = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,
        "lower_bound":2.07,"upper_bound":2.32},"point_estimate":2.19,"standard_error":0.06},
        "median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.91,
        "upper_bound":2.35},"point_estimate":2.164,"standard_error":0.11},"slope":null}"#;

    const BENCHMARK: &str = r#"{"group_id":"counter","function_id":"Mutex<u64>",
        "value_str":"2","throughput":null,"full_id":"counter/Mutex<u64>/2",
        "directory_name":"counter/Mutex_u64_/2","title":"counter/Mutex<u64>/2"}"#;

    #[test]
    fn the_median_and_its_interval_are_the_figures() {
        let estimate = parse_estimate(ESTIMATES).unwrap();
        assert_eq!(
            (estimate.median, estimate.lower, estimate.upper),
            (2.164, 1.91, 2.35)
        );
        assert!(parse_estimate(r#"{"mean":{}}"#).is_err());
        assert!(parse_estimate("not json").is_err());
    }

    #[test]
    fn ids_give_group_variant_and_parameter() {
        let (group, variant, param) = parse_id(BENCHMARK).unwrap();
        assert_eq!(
            (group.as_str(), variant.as_str(), param),
            ("counter", "Mutex<u64>", 2)
        );
        let no_parameter = r#"{"group_id":"counter","function_id":"x","value_str":null}"#;
        assert!(parse_id(no_parameter).is_err());
    }

    #[test]
    fn side_figures_attach_to_their_benchmark() {
        let row = |variant: &str, param| Measurement {
            variant: variant.into(),
            param,
            ns: 1.0,
            ci: (1.0, 1.0),
            side: Vec::new(),
        };
        let mut rows = vec![row("spin", 2), row("spin", 4)];
        let path = Path::new("side.tsv");
        attach_side(&mut rows, "spin\t4\t0.25\t0.01\nother\t2\t1\n", path).unwrap();
        assert_eq!(rows[1].side, [0.25, 0.01]);
        assert!(rows[0].side.is_empty());
        let error = attach_side(&mut rows, "spin\tx\t1\n", path)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("side.tsv:1:"), "{error}");
    }
}
