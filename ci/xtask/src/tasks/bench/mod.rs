//! `cargo xtask bench`: repeated criterion runs and the Benchmarks appendix data.
//!
//! Every bench target of the `benches` crate is listed, with its baseline variant, in
//! `[package.metadata.bench]` of `benches/Cargo.toml` ([`spec`]). Each target runs `runs` times
//! (default from that table, `--runs N` overrides); after each run the task reads what criterion
//! saved ([`results`]). The runs become one row per benchmark ([`stats`]): the median of the
//! runs' medians, the fastest and slowest run, and criterion's interval. Then it writes
//! `src/appendix/benchmarks/<target>.md` ([`table`]) and `<target>.svg` ([`chart`]), each
//! stating the machine (`crate::machine`).
//!
//! Each run sets `BENCH_RUN` (the benches rotate their variants' order by it, so no variant
//! always runs first) and `BENCH_SIDE_DIR` (where a bench writes figures criterion has no
//! column for, such as a lock's fairness).

mod chart;
mod results;
mod spec;
mod stats;
mod table;

/// The rows and the target the table's and the chart's tests draw.
#[cfg(test)]
mod fixtures {
    use super::spec::Target;
    use super::stats::Summary;

    pub fn target(title: &str, side: &[&str]) -> Target {
        Target {
            name: "counter".into(),
            group: None,
            baseline: "base".into(),
            op: "increment".into(),
            parameter: "threads".into(),
            title: title.into(),
            side: side.iter().map(|s| s.to_string()).collect(),
        }
    }

    pub fn row(variant: &str, param: u32, median: f64, range: (f64, f64)) -> Summary {
        Summary {
            variant: variant.into(),
            param,
            median,
            range,
            ci: (median - 0.5, median + 0.5),
            runs: 5,
            side: Vec::new(),
        }
    }
}

use crate::generated::{Mode, write_or_check};
use crate::util::{Result, anyhow, capture, cmd, relative, root, step, timed_ok};
use results::Measurement;
use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

/// Where the generated files go, relative to the repository root.
const OUT_DIR: &str = "src/appendix/benchmarks";

pub fn run(options: crate::flags::Bench) -> Result {
    let spec = spec::load()?;
    let targets = spec::select(&spec, &options.only)?;
    let runs = options.runs.map_or(spec.runs, |runs| runs as usize);
    let criterion = results::criterion_dir()?;
    let side_root = crate::workspace::target_dir()?.join("bench-side");
    let machine = crate::machine::read()?;
    let load = fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned));
    let started = Instant::now();

    // Build once and run the executables themselves: every run measures the same code, even
    // if a source file changes while the task runs, and no run waits for a rebuild.
    let executables = build(&targets)?;
    let mut all: Vec<Vec<Vec<Measurement>>> = vec![Vec::new(); targets.len()];
    // Run r of every target before run r + 1 of any, so a slow spell of the machine lands on
    // one run of each target rather than on every run of one.
    for run in 0..runs {
        for (target, runs_of_target) in targets.iter().zip(&mut all) {
            step(&format!("{} run {} of {runs}", target.name, run + 1));
            let side_dir = side_root.join(format!("run-{run}"));
            fs::create_dir_all(&side_dir)?;
            let side_file = side_dir.join(format!("{}.tsv", target.group()));
            let _ = fs::remove_file(&side_file);
            let since = SystemTime::now();
            timed_ok(
                cmd(&executables[&target.name].to_string_lossy())
                    .current_dir(root().join("benches"))
                    .arg("--bench")
                    .args(["--warm-up-time", &seconds(spec.warm_up_ms)])
                    .args(["--measurement-time", &seconds(spec.measurement_ms)])
                    .args(["--nresamples", &spec.resamples.to_string()])
                    // Criterion's own default is `target/criterion` under the working
                    // directory, which is benches/ here: tell it where this task reads.
                    .env("CRITERION_HOME", &criterion)
                    .env("BENCH_RUN", run.to_string())
                    .env("BENCH_SIDE_DIR", &side_dir),
                // A run of the largest target takes about a minute on 2 cores.
                Duration::from_secs(15 * 60),
                &format!("bench `{}`, run {}", target.name, run + 1),
                "a queue or lock whose threads never hand over, so a spin loop waits forever",
            )?;
            let mut rows = results::read(&criterion.join(target.group()), target.group(), since)?;
            if let Ok(tsv) = fs::read_to_string(&side_file) {
                results::attach_side(&mut rows, &tsv, &side_file)?;
            }
            runs_of_target.push(rows);
        }
    }
    let minutes = started.elapsed().as_secs_f64() / 60.0;
    let mut line = format!(
        "{}; {}; {runs} runs of each target, {:.0} min in all",
        crate::machine::describe(&machine),
        crate::machine::today()?,
        minutes
    );
    if let Some(load) = load {
        line.push_str(&format!("; load average {load} when the runs began"));
    }
    if let Some(note) = &options.note {
        line.push_str(&format!("; {note}"));
    }

    let out_dir = root().join(OUT_DIR);
    for (target, runs_of_target) in targets.iter().zip(&all) {
        let rows = stats::summarise(runs_of_target);
        let md = table::render(&rows, target, &line, machine.logical);
        let svg = chart::render_svg(&rows, target);
        write_or_check(
            Mode::Write,
            &out_dir.join(format!("{}.md", target.name)),
            &md,
        )?;
        write_or_check(
            Mode::Write,
            &out_dir.join(format!("{}.svg", target.name)),
            &svg,
        )?;
        println!("{md}");
    }
    step(&format!(
        "{} targets × {runs} runs in {minutes:.1} min; tables in {}",
        targets.len(),
        relative(&out_dir)
    ));
    Ok(())
}

/// `cargo bench --no-run` for the `benches` package, and each target's executable.
fn build(targets: &[&spec::Target]) -> Result<HashMap<String, PathBuf>> {
    let output = capture(cmd("cargo").args([
        "bench",
        "-p",
        "benches",
        "--no-run",
        "--message-format=json-render-diagnostics",
    ]))?;
    if !output.status.success() {
        return Err(anyhow!("`cargo bench -p benches --no-run` failed"));
    }
    let executables = executables(&String::from_utf8_lossy(&output.stdout));
    for target in targets {
        if !executables.contains_key(&target.name) {
            return Err(anyhow!(
                "cargo built no executable for bench `{}`",
                target.name
            ));
        }
    }
    Ok(executables)
}

/// Bench target name to executable, from cargo's JSON messages.
fn executables(json_lines: &str) -> HashMap<String, PathBuf> {
    json_lines
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact")
        .filter(|message| {
            message["target"]["kind"]
                .as_array()
                .is_some_and(|kinds| kinds.iter().any(|k| k == "bench"))
        })
        .filter_map(|message| {
            let name = message["target"]["name"].as_str()?.to_owned();
            Some((name, PathBuf::from(message["executable"].as_str()?)))
        })
        .collect()
}

/// Milliseconds as criterion's command line wants them: seconds, with a fraction.
fn seconds(ms: u64) -> String {
    format!("{}", ms as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_for_criterion() {
        assert_eq!(seconds(300), "0.3");
    }

    #[test]
    fn executables_come_from_cargos_bench_artifacts() {
        let json = r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"benches"},"executable":null}
{"reason":"compiler-artifact","target":{"kind":["bench"],"name":"counter"},"executable":"/t/counter-1"}
{"reason":"build-finished","success":true}"#;
        let found = executables(json);
        assert_eq!(found.len(), 1);
        assert_eq!(found["counter"], PathBuf::from("/t/counter-1"));
    }
}
