//! `cargo xtask bench`: real criterion runs and the Benchmarks appendix data.
//!
//! For every bench target of the `benches` crate (one per chapter, listed in [`BENCHES`]) this
//! runs `cargo bench`, reads what criterion saved under `target/criterion/<group>/`, and writes
//! `src/appendix/benchmarks/<bench>.md` (a table) and `<bench>.svg` (a bar chart).
//!
//! Criterion ids are `<group>/<variant>/<threads>`: the function id names the variant (it is the
//! label the table shows) and the parameter is the thread count. Variants are listed in the
//! order the bench ran them, and each time is compared with the chapter's baseline variant at
//! the same thread count: ratios within one run, never absolute targets.
//!
//! Everything that turns numbers into text is a pure function over [`Measurement`] rows, so
//! later chapters reuse it and the unit tests below need no benchmark run.

use crate::util::{
    Result, capture, cargo_metadata, cmd, no_args, relative, root, run as run_command, step,
};
use anyhow::anyhow;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// One chapter's bench target and how its appendix data is drawn.
struct Bench {
    /// The bench target (`benches/benches/<name>.rs`); also names the generated files.
    name: &'static str,
    /// The criterion group the target fills (`c.benchmark_group(...)`).
    group: &'static str,
    /// The variant every other one is compared with, at the same thread count.
    baseline: &'static str,
    /// What one measured operation is, for the column heading and the chart's axis.
    op: &'static str,
    /// The chart's title.
    title: &'static str,
}

/// Every chapter bench. A bench target missing from this list is an error, so a new chapter
/// cannot silently drop out of the appendix.
const BENCHES: &[Bench] = &[
    Bench {
        name: "counter",
        group: "counter",
        baseline: "fetch_add Relaxed",
        op: "increment",
        title: "Counter: time per increment, 1 and 2 threads",
    },
    Bench {
        name: "refcount",
        group: "refcount",
        baseline: "std Arc",
        op: "clone+drop",
        title: "Reference count: time per clone and drop, 1 and 2 threads",
    },
    Bench {
        name: "once_init",
        group: "once_init",
        baseline: "std OnceLock",
        op: "get",
        title: "Once-init: time per get on an initialised cell, 1 and 2 threads",
    },
    Bench {
        name: "spinlock",
        group: "spinlock",
        baseline: "std Mutex",
        op: "lock+unlock",
        title: "Spinlock: time per lock, add and unlock, 1, 2 and 4 threads",
    },
    Bench {
        name: "spsc_throughput",
        group: "spsc_throughput",
        baseline: "rtrb",
        op: "message",
        title: "SPSC queue: time per message, capacity 1024, one producer and one consumer thread",
    },
    Bench {
        name: "spsc_latency",
        group: "spsc_latency",
        baseline: "rtrb",
        op: "round trip",
        title: "SPSC queue: ping-pong round trip between 2 threads, capacity 1024",
    },
];

/// Where the generated files go, relative to the repository root.
const OUT_DIR: &str = "src/appendix/benchmarks";

pub fn run(args: &[String]) -> Result {
    no_args("bench", args)?;
    let metadata = cargo_metadata()?;
    check_targets(&bench_targets(&metadata)?)?;
    let criterion = criterion_dir(&metadata)?;
    let out_dir = root().join(OUT_DIR);
    fs::create_dir_all(&out_dir)?;
    for bench in BENCHES {
        let started = SystemTime::now();
        run_command(cmd("cargo").args(["bench", "-p", "benches", "--bench", bench.name]))?;
        let rows = read_results(&criterion.join(bench.group), bench.group, started)?;
        let machine = machine()?;
        let table = render_table(&rows, bench.baseline, bench.op, &machine);
        let svg = render_svg(&rows, bench.title, bench.op);
        let md_path = out_dir.join(format!("{}.md", bench.name));
        let svg_path = out_dir.join(format!("{}.svg", bench.name));
        fs::write(&md_path, &table)?;
        fs::write(&svg_path, &svg)?;
        step(&format!(
            "wrote {} and {}",
            relative(&md_path),
            relative(&svg_path)
        ));
        println!("{table}");
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading criterion's results
// ---------------------------------------------------------------------------------------------

/// One measured time: a variant at a thread count.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub variant: String,
    pub threads: u32,
    /// Nanoseconds per operation (per operation of each thread, all threads running at once).
    pub ns: f64,
}

/// The bench targets of the `benches` package.
fn bench_targets(metadata: &serde_json::Value) -> Result<Vec<String>> {
    let packages = metadata["packages"]
        .as_array()
        .ok_or_else(|| anyhow!("cargo metadata: no packages"))?;
    let benches = packages
        .iter()
        .find(|package| package["name"] == "benches")
        .ok_or_else(|| anyhow!("cargo metadata: no `benches` package in the workspace"))?;
    Ok(benches["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|target| {
            target["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "bench"))
        })
        .filter_map(|target| target["name"].as_str().map(str::to_owned))
        .collect())
}

/// Every bench target has an entry in [`BENCHES`] and every entry has a target.
fn check_targets(targets: &[String]) -> Result {
    for target in targets {
        if !BENCHES.iter().any(|bench| bench.name == target) {
            return Err(anyhow!(
                "bench target `{target}` has no entry in BENCHES (ci/xtask/src/bench.rs): add its \
                 group, baseline variant and chart title there"
            ));
        }
    }
    for bench in BENCHES {
        if !targets.iter().any(|target| target == bench.name) {
            return Err(anyhow!(
                "BENCHES names `{}`, but benches/Cargo.toml has no such [[bench]]",
                bench.name
            ));
        }
    }
    Ok(())
}

/// Where criterion writes: `$CRITERION_HOME`, else `<target dir>/criterion`, as criterion does.
fn criterion_dir(metadata: &serde_json::Value) -> Result<PathBuf> {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return Ok(PathBuf::from(home));
    }
    let target = metadata["target_directory"]
        .as_str()
        .ok_or_else(|| anyhow!("cargo metadata: no target_directory"))?;
    Ok(Path::new(target).join("criterion"))
}

/// The measurements saved under `group_dir` since `since`, in the order criterion made them
/// (the order of the bench file). Older results, from variants since renamed or removed, are
/// left out.
fn read_results(group_dir: &Path, group: &str, since: SystemTime) -> Result<Vec<Measurement>> {
    let mut found = Vec::new();
    for new_dir in find_new_dirs(group_dir)? {
        let estimates = new_dir.join("estimates.json");
        let modified = fs::metadata(&estimates)?.modified()?;
        if modified < since {
            continue;
        }
        let id = fs::read_to_string(new_dir.join("benchmark.json"))?;
        let (id_group, variant, threads) = parse_id(&id)?;
        if id_group != group {
            continue;
        }
        let ns = parse_estimate(&fs::read_to_string(&estimates)?)?;
        found.push((
            modified,
            Measurement {
                variant,
                threads,
                ns,
            },
        ));
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
            if !path.is_dir() {
                continue;
            }
            if path.file_name().is_some_and(|name| name == "new") {
                if path.join("benchmark.json").is_file() {
                    found.push(path);
                }
            } else if path
                .file_name()
                .is_some_and(|name| name != "base" && name != "change")
            {
                pending.push(path);
            }
        }
    }
    Ok(found)
}

/// `(group, variant, threads)` from criterion's `benchmark.json`.
pub fn parse_id(json: &str) -> Result<(String, String, u32)> {
    let id: serde_json::Value = serde_json::from_str(json)?;
    let full = id["full_id"].as_str().unwrap_or("?");
    let group = id["group_id"]
        .as_str()
        .ok_or_else(|| anyhow!("benchmark {full}: no group_id"))?;
    let variant = id["function_id"]
        .as_str()
        .ok_or_else(|| anyhow!("benchmark {full}: no function id (use BenchmarkId::new)"))?;
    let threads = id["value_str"]
        .as_str()
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| anyhow!("benchmark {full}: the parameter must be a thread count"))?;
    Ok((group.to_owned(), variant.to_owned(), threads))
}

/// The time per operation, in ns, from criterion's `estimates.json`: the median of the samples'
/// per-iteration times. The median, not the mean or slope: a sample in which another process
/// took a core for a moment is an outlier that should not move the figure.
pub fn parse_estimate(json: &str) -> Result<f64> {
    let estimates: serde_json::Value = serde_json::from_str(json)?;
    let ns = estimates["median"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| anyhow!("estimates.json has no median.point_estimate"))?;
    if ns.is_finite() && ns > 0.0 {
        Ok(ns)
    } else {
        Err(anyhow!(
            "estimates.json: median {ns} is not a positive time"
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// The machine
// ---------------------------------------------------------------------------------------------

/// One line saying what machine, system, compiler and day produced the numbers.
fn machine() -> Result<String> {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| cpu_model(&text))
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let os = fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| pretty_name(&text))
        .unwrap_or_else(|| std::env::consts::OS.to_owned());
    let kernel = command_line("uname", &["-r"]).unwrap_or_else(|| "unknown".to_owned());
    let rustc =
        command_line("rustc", &["--version"]).ok_or_else(|| anyhow!("`rustc --version` failed"))?;
    let secs = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let (year, month, day) = civil_date(secs);
    Ok(format!(
        "{cpu}, {cores} cores; {os}, kernel {kernel}; {rustc}; {year:04}-{month:02}-{day:02}"
    ))
}

/// The first line a command prints, if it succeeds.
fn command_line(program: &str, args: &[&str]) -> Option<String> {
    let output = capture(cmd(program).args(args)).ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let line = text.lines().next()?.trim();
    (output.status.success() && !line.is_empty()).then(|| line.to_owned())
}

/// The `model name` line of `/proc/cpuinfo`.
pub fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == "model name").then(|| value.split_whitespace().collect::<Vec<_>>().join(" "))
    })
}

/// `PRETTY_NAME` from `/etc/os-release`, unquoted.
pub fn pretty_name(os_release: &str) -> Option<String> {
    os_release.lines().find_map(|line| {
        let value = line.strip_prefix("PRETTY_NAME=")?;
        Some(value.trim().trim_matches('"').trim_matches('\'').to_owned())
    })
}

/// The UTC calendar date `(year, month, day)` of a Unix time (Howard Hinnant's `civil_from_days`).
pub fn civil_date(unix_secs: u64) -> (i64, u32, u32) {
    let days = (unix_secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/// Each row's time divided by the baseline variant's time at the same thread count (`None`
/// when the run has no baseline at that count).
pub fn ratios(rows: &[Measurement], baseline: &str) -> Vec<Option<f64>> {
    rows.iter()
        .map(|row| {
            rows.iter()
                .find(|base| base.variant == baseline && base.threads == row.threads)
                .map(|base| row.ns / base.ns)
        })
        .collect()
}

/// The distinct variants, in the order they first appear.
fn variants(rows: &[Measurement]) -> Vec<&str> {
    let mut seen: Vec<&str> = Vec::new();
    for row in rows {
        if !seen.contains(&row.variant.as_str()) {
            seen.push(&row.variant);
        }
    }
    seen
}

/// The distinct thread counts, smallest first.
fn thread_counts(rows: &[Measurement]) -> Vec<u32> {
    let mut counts: Vec<u32> = rows.iter().map(|row| row.threads).collect();
    counts.sort_unstable();
    counts.dedup();
    counts
}

/// Indices of `rows` grouped by variant (in first-appearance order), then by thread count.
fn ordered(rows: &[Measurement]) -> Vec<usize> {
    let order = variants(rows);
    let mut sorted: Vec<usize> = (0..rows.len()).collect();
    sorted.sort_by_key(|&i| {
        let row = &rows[i];
        (order.iter().position(|v| *v == row.variant), row.threads)
    });
    sorted
}

/// A time in ns with three significant figures or so.
pub fn format_ns(ns: f64) -> String {
    if ns < 10.0 {
        format!("{ns:.2}")
    } else if ns < 100.0 {
        format!("{ns:.1}")
    } else {
        format!("{ns:.0}")
    }
}

/// `<`, `>`, `&`, quotes and `|` made safe for a Markdown table cell or SVG text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '|' => out.push_str("&#124;"),
            c => out.push(c),
        }
    }
    out
}

fn threads_label(threads: u32) -> String {
    if threads == 1 {
        "1 thread".to_owned()
    } else {
        format!("{threads} threads")
    }
}

/// The Markdown table for one bench: variant, threads, ns per `op`, ratio to `baseline`, and
/// a line naming the machine.
pub fn render_table(rows: &[Measurement], baseline: &str, op: &str, machine: &str) -> String {
    let ratio = ratios(rows, baseline);
    let mut md = String::new();
    md.push_str("<!-- generated by `cargo xtask bench`; do not edit -->\n\n");
    let _ = writeln!(
        md,
        "| Variant | Threads | ns per {op} | vs. {} |",
        escape(baseline)
    );
    md.push_str("|:--|--:|--:|--:|\n");
    for index in ordered(rows) {
        let row = &rows[index];
        let relative = ratio[index].map_or_else(|| "n/a".to_owned(), |r| format!("{r:.2}×"));
        let _ = writeln!(
            md,
            "| {} | {} | {} | {relative} |",
            escape(&row.variant),
            row.threads,
            format_ns(row.ns)
        );
    }
    let _ = write!(
        md,
        "\nTimes are criterion's median. With more than one thread, all threads run at once and \
         the time is the wall time divided by the {op}s each thread made. The last column divides \
         each time by {} at the same thread count: below 1.00× is faster.\n\n\
         Measured on: {}.\n",
        escape(baseline),
        escape(machine)
    );
    md
}

// ---------------------------------------------------------------------------------------------
// The chart
// ---------------------------------------------------------------------------------------------

/// Colour-blind-safe bar colours (Paul Tol's "vibrant" scheme), one per thread count.
const COLOURS: [&str; 6] = [
    "#0077BB", "#EE7733", "#009988", "#CC3311", "#33BBEE", "#EE3377",
];

const WIDTH: f64 = 760.0;
const FONT: f64 = 13.0;
/// A generous average glyph width for `FONT` in a sans-serif face, to size the label column.
const GLYPH: f64 = 7.4;
const BAR: f64 = 18.0;
const BAR_GAP: f64 = 3.0;
const GROUP_GAP: f64 = 16.0;

/// An axis maximum and tick step that are round numbers and cover `max`.
pub fn nice_axis(max: f64) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let raw = max / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|step| *step >= raw)
        .unwrap_or(10.0 * magnitude);
    ((max / step).ceil() * step, step)
}

/// A horizontal grouped bar chart: one group per variant, one bar per thread count, bar length
/// in ns per `op`. Self-contained SVG (no fonts, scripts or links) on a white background so it
/// reads the same in light and dark book themes.
pub fn render_svg(rows: &[Measurement], title: &str, op: &str) -> String {
    let variants = variants(rows);
    let counts = thread_counts(rows);
    let colour = |threads: u32| {
        let index = counts.iter().position(|&t| t == threads).unwrap_or(0);
        COLOURS[index % COLOURS.len()]
    };
    let find = |variant: &str, threads: u32| {
        rows.iter()
            .find(|row| row.variant == variant && row.threads == threads)
            .map(|row| row.ns)
    };

    let longest = variants
        .iter()
        .map(|v| v.chars().count())
        .max()
        .unwrap_or(0);
    let plot_left = 16.0 + longest as f64 * GLYPH + 12.0;
    let plot_right = WIDTH - 64.0;
    let plot_width = plot_right - plot_left;
    let plot_top = 84.0;
    let group_height = counts.len() as f64 * (BAR + BAR_GAP) - BAR_GAP;
    let plot_height = variants.len() as f64 * (group_height + GROUP_GAP);
    let plot_bottom = plot_top + plot_height.max(BAR);
    let height = plot_bottom + 62.0;
    let max = rows.iter().map(|row| row.ns).fold(0.0, f64::max);
    let (axis_max, step) = nice_axis(max);
    let x = |ns: f64| plot_left + ns / axis_max * plot_width;

    // The text alternative: every figure the bars show.
    let mut desc = format!(
        "Horizontal bar chart of nanoseconds per {op}, shorter is faster. One group of bars per \
         variant, one bar per thread count."
    );
    for variant in &variants {
        let figures: Vec<String> = counts
            .iter()
            .filter_map(|&t| {
                find(variant, t).map(|ns| format!("{} ns with {}", format_ns(ns), threads_label(t)))
            })
            .collect();
        let _ = write!(desc, " {}: {}.", variant, figures.join(", "));
    }

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title chart-desc" font-family="sans-serif" font-size="{FONT}">"#
    );
    let _ = writeln!(svg, r#"<title id="chart-title">{}</title>"#, escape(title));
    let _ = writeln!(svg, r#"<desc id="chart-desc">{}</desc>"#, escape(&desc));
    svg.push_str("<!-- generated by `cargo xtask bench`; do not edit -->\n");
    let _ = writeln!(
        svg,
        r##"<rect x="0" y="0" width="{WIDTH}" height="{height}" rx="6" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        svg,
        r##"<text x="{}" y="30" text-anchor="middle" font-size="16" font-weight="bold" fill="#1a1a1a">{}</text>"##,
        WIDTH / 2.0,
        escape(title)
    );

    // Legend: one swatch per thread count, centred under the title.
    let entry_width = 110.0;
    let legend_left = WIDTH / 2.0 - entry_width * counts.len() as f64 / 2.0;
    for (i, &threads) in counts.iter().enumerate() {
        let left = legend_left + i as f64 * entry_width;
        let _ = writeln!(
            svg,
            r##"<rect x="{left}" y="46" width="14" height="14" fill="{}"/><text x="{}" y="58" fill="#1a1a1a">{}</text>"##,
            colour(threads),
            left + 20.0,
            threads_label(threads)
        );
    }

    // Grid lines and tick labels.
    let ticks = (axis_max / step).round() as usize;
    for i in 0..=ticks {
        let value = step * i as f64;
        let tx = x(value);
        let _ = writeln!(
            svg,
            r##"<line x1="{tx:.1}" y1="{plot_top}" x2="{tx:.1}" y2="{plot_bottom}" stroke="#d9d9d9" stroke-width="1"/><text x="{tx:.1}" y="{}" text-anchor="middle" fill="#333333">{}</text>"##,
            plot_bottom + 18.0,
            format_tick(value)
        );
    }

    // Bars, with the variant name left of each group and the figure right of each bar.
    for (g, variant) in variants.iter().enumerate() {
        let group_top = plot_top + GROUP_GAP / 2.0 + g as f64 * (group_height + GROUP_GAP);
        let _ = writeln!(
            svg,
            r##"<text x="{}" y="{:.1}" text-anchor="end" dominant-baseline="middle" fill="#1a1a1a">{}</text>"##,
            plot_left - 8.0,
            group_top + group_height / 2.0,
            escape(variant)
        );
        for (b, &threads) in counts.iter().enumerate() {
            let Some(ns) = find(variant, threads) else {
                continue;
            };
            let top = group_top + b as f64 * (BAR + BAR_GAP);
            let end = x(ns);
            let _ = writeln!(
                svg,
                r##"<rect class="bar" x="{plot_left:.1}" y="{top:.1}" width="{:.1}" height="{BAR}" fill="{}"><title>{}, {}: {} ns</title></rect><text x="{:.1}" y="{:.1}" dominant-baseline="middle" fill="#1a1a1a">{}</text>"##,
                (end - plot_left).max(1.0),
                colour(threads),
                escape(variant),
                threads_label(threads),
                format_ns(ns),
                end + 5.0,
                top + BAR / 2.0,
                format_ns(ns)
            );
        }
    }

    // Axes and the axis label.
    let _ = writeln!(
        svg,
        r##"<line x1="{plot_left:.1}" y1="{plot_top}" x2="{plot_left:.1}" y2="{plot_bottom}" stroke="#333333" stroke-width="1.5"/><line x1="{plot_left:.1}" y1="{plot_bottom}" x2="{plot_right:.1}" y2="{plot_bottom}" stroke="#333333" stroke-width="1.5"/>"##
    );
    let _ = writeln!(
        svg,
        r##"<text x="{:.1}" y="{}" text-anchor="middle" fill="#1a1a1a">ns per {} (shorter is faster)</text>"##,
        plot_left + plot_width / 2.0,
        plot_bottom + 44.0,
        escape(op)
    );
    svg.push_str("</svg>\n");
    svg
}

/// A tick value without needless decimals.
fn format_tick(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        let text = format!("{value:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A trimmed `estimates.json` as criterion 0.8 writes it (flat sampling: no slope).
    const ESTIMATES: &str = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,
        "lower_bound":2.07,"upper_bound":2.32},"point_estimate":2.19,"standard_error":0.06},
        "median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.91,
        "upper_bound":2.35},"point_estimate":2.164,"standard_error":0.11},
        "median_abs_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":0.28,
        "upper_bound":0.64},"point_estimate":0.50,"standard_error":0.09},"slope":null,
        "std_dev":{"confidence_interval":{"confidence_level":0.95,"lower_bound":0.32,
        "upper_bound":0.45},"point_estimate":0.39,"standard_error":0.03}}"#;

    const BENCHMARK: &str = r#"{"group_id":"counter","function_id":"Mutex<u64>",
        "value_str":"2","throughput":null,"full_id":"counter/Mutex<u64>/2",
        "directory_name":"counter/Mutex_u64_/2","title":"counter/Mutex<u64>/2"}"#;

    fn row(variant: &str, threads: u32, ns: f64) -> Measurement {
        Measurement {
            variant: variant.to_owned(),
            threads,
            ns,
        }
    }

    fn sample() -> Vec<Measurement> {
        vec![
            row("fetch_add Relaxed", 1, 2.0),
            row("fetch_add Relaxed", 2, 8.0),
            row("Mutex<u64>", 2, 40.0),
            row("Mutex<u64>", 1, 5.0),
            row("sharded", 1, 2.0),
            row("sharded", 2, 2.0),
        ]
    }

    #[test]
    fn the_median_is_the_figure() {
        assert_eq!(parse_estimate(ESTIMATES).unwrap(), 2.164);
        assert!(parse_estimate(r#"{"mean":{}}"#).is_err());
        assert!(parse_estimate("not json").is_err());
    }

    #[test]
    fn ids_give_group_variant_and_threads() {
        let (group, variant, threads) = parse_id(BENCHMARK).unwrap();
        assert_eq!(
            (group.as_str(), variant.as_str(), threads),
            ("counter", "Mutex<u64>", 2)
        );
        let no_parameter = r#"{"group_id":"counter","function_id":"x","value_str":null}"#;
        assert!(parse_id(no_parameter).is_err());
    }

    #[test]
    fn ratios_compare_with_the_baseline_at_the_same_thread_count() {
        let rows = sample();
        let ratio = ratios(&rows, "fetch_add Relaxed");
        assert_eq!(
            ratio,
            [
                Some(1.0),
                Some(1.0),
                Some(5.0),
                Some(2.5),
                Some(1.0),
                Some(0.25)
            ]
        );
        assert!(ratios(&rows, "missing").iter().all(Option::is_none));
    }

    #[test]
    fn the_table_lists_every_measurement_grouped_by_variant() {
        let table = render_table(&sample(), "fetch_add Relaxed", "increment", "a test box");
        assert!(table.starts_with("<!-- generated by `cargo xtask bench`; do not edit -->"));
        assert!(table.contains("| Variant | Threads | ns per increment | vs. fetch_add Relaxed |"));
        let body: Vec<&str> = table
            .lines()
            .filter(|line| line.starts_with("| ") && !line.starts_with("| Variant"))
            .collect();
        assert_eq!(
            body,
            [
                "| fetch_add Relaxed | 1 | 2.00 | 1.00× |",
                "| fetch_add Relaxed | 2 | 8.00 | 1.00× |",
                "| Mutex&lt;u64&gt; | 1 | 5.00 | 2.50× |",
                "| Mutex&lt;u64&gt; | 2 | 40.0 | 5.00× |",
                "| sharded | 1 | 2.00 | 1.00× |",
                "| sharded | 2 | 2.00 | 0.25× |",
            ]
        );
        assert!(table.contains("Measured on: a test box."));
    }

    #[test]
    fn a_missing_baseline_shows_as_not_available() {
        let table = render_table(&[row("alone", 1, 3.0)], "base", "op", "m");
        assert!(table.contains("| alone | 1 | 3.00 | n/a |"));
    }

    /// Checks that every element is closed in order and no text holds a raw `<` or `&`.
    fn assert_well_formed(svg: &str) {
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = svg;
        while let Some(open) = rest.find('<') {
            let text = &rest[..open];
            assert!(!text.contains('>'), "stray `>` in text {text:?}");
            for (i, _) in text.match_indices('&') {
                let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
                assert!(
                    ["&lt;", "&gt;", "&amp;", "&quot;", "&#39;", "&#124;"].contains(&entity),
                    "bad entity {entity:?}"
                );
            }
            let close = rest[open..].find('>').expect("unclosed tag") + open;
            let tag = &rest[open + 1..close];
            rest = &rest[close + 1..];
            if tag.starts_with("!--") {
                assert!(tag.ends_with("--"), "comment with `>` inside");
                continue;
            }
            assert_eq!(
                tag.matches('"').count() % 2,
                0,
                "unbalanced quotes in <{tag}>"
            );
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
            } else if !tag.ends_with('/') {
                stack.push(tag.split_whitespace().next().expect("tag name"));
            }
        }
        assert!(stack.is_empty(), "unclosed elements: {stack:?}");
        assert!(rest.trim().is_empty());
    }

    #[test]
    fn the_chart_is_well_formed_with_one_bar_per_measurement() {
        let rows = sample();
        let svg = render_svg(&rows, "Counter & co: <ns>", "increment");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert_well_formed(&svg);
        assert!(svg.contains(r#"<title id="chart-title">Counter &amp; co: &lt;ns&gt;</title>"#));
        assert!(svg.contains("<desc id=\"chart-desc\">"));
        assert!(svg.contains("Mutex&lt;u64&gt;: 5.00 ns with 1 thread, 40.0 ns with 2 threads."));
        assert_eq!(svg.matches(r#"class="bar""#).count(), rows.len());
        assert!(svg.contains(">1 thread</text>") && svg.contains(">2 threads</text>"));
        assert!(svg.contains("ns per increment (shorter is faster)"));
        assert!(
            svg.contains(r##"fill="#ffffff""##),
            "needs an opaque background"
        );
        assert!(!svg.contains("href"), "no external references");
    }

    #[test]
    fn the_longest_bar_fits_the_axis() {
        let rows = sample();
        let svg = render_svg(&rows, "t", "op");
        let (axis_max, _) = nice_axis(40.0);
        assert_eq!(axis_max, 40.0);
        let widths: Vec<f64> = svg
            .lines()
            .filter(|line| line.contains(r#"class="bar""#))
            .map(|line| {
                let start = line.find(" width=\"").unwrap() + 8;
                line[start..start + line[start..].find('"').unwrap()]
                    .parse()
                    .unwrap()
            })
            .collect();
        // In chart order: Relaxed 2 and 8 ns, Mutex 5 and 40 ns, sharded 2 and 2 ns.
        let widest = widths.iter().cloned().fold(0.0, f64::max);
        assert_eq!(widest, widths[3], "the 40 ns bar is the widest");
        assert!(
            (widths[3] / widths[0] - 20.0).abs() < 0.1,
            "bars scale linearly: {widths:?}"
        );
        assert!(
            widest < WIDTH - 64.0,
            "room is left for the figure: {widest}"
        );
    }

    #[test]
    fn axes_round_up_to_nice_numbers() {
        assert_eq!(nice_axis(7.36), (8.0, 2.0));
        assert_eq!(nice_axis(49.6), (50.0, 10.0));
        assert_eq!(nice_axis(0.0), (1.0, 0.2));
        assert_eq!(nice_axis(120.0), (125.0, 25.0));
    }

    #[test]
    fn machine_facts_are_read_from_system_files() {
        let cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC  7763 64-Core Processor\n";
        assert_eq!(
            cpu_model(cpuinfo).as_deref(),
            Some("AMD EPYC 7763 64-Core Processor")
        );
        let os_release =
            "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\n";
        assert_eq!(
            pretty_name(os_release).as_deref(),
            Some("Debian GNU/Linux 13 (trixie)")
        );
    }

    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(951_782_400), (2000, 2, 29));
        assert_eq!(civil_date(1_779_235_200 + 86_399), (2026, 5, 20));
    }
}
