//! Printing results: a table for people, and tab-separated lines for `cargo xtask litmus`.

use crate::{Expected, Tally, Test, Variant};
use std::fmt::Write as _;
use std::time::Duration;

/// Which runner produced a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    Loom,
    Miri,
    Hardware,
}

impl Tool {
    /// The tool this build runs: loom under `--cfg loom`, Miri under Miri, real threads
    /// otherwise.
    pub const fn of_this_build() -> Tool {
        if cfg!(loom) {
            Tool::Loom
        } else if cfg!(miri) {
            Tool::Miri
        } else {
            Tool::Hardware
        }
    }

    /// The name of one run, as the table counts them.
    pub fn unit(self) -> &'static str {
        match self {
            Tool::Loom => "executions",
            Tool::Miri => "runs",
            Tool::Hardware => "iterations",
        }
    }

    /// The name in the tab-separated output.
    pub fn key(self) -> &'static str {
        match self {
            Tool::Loom => "loom",
            Tool::Miri => "miri",
            Tool::Hardware => "hardware",
        }
    }
}

/// One test, one set of orderings, one tool.
#[derive(Debug)]
pub struct Row {
    pub test: &'static Test,
    pub variant: &'static Variant,
    pub expected: Expected,
    pub tally: Tally,
    pub elapsed: Duration,
}

impl Row {
    /// How many runs ended in the outcome in question.
    pub fn count(&self) -> u64 {
        self.tally.get(&self.test.question()).copied().unwrap_or(0)
    }

    /// How many runs there were.
    pub fn total(&self) -> u64 {
        self.tally.values().sum()
    }
}

/// The rows of one test as a block of text:
///
/// ```text
/// SB, store buffering: can r1 = 0, r2 = 0?
///   Relaxed                   allowed     6.12 %  (61,234 of 1,000,000 iterations; 1.52 M/s)
///       r1 r2 = 0 0: 61,234   0 1: 469,000   1 0: 468,000   1 1: 1,766
/// ```
pub fn render(tool: Tool, rows: &[Row]) -> String {
    let mut out = String::new();
    let Some(first) = rows.first() else {
        return out;
    };
    let test = first.test;
    let question = test.question();
    let _ = writeln!(
        out,
        "{}, {}: can {}?",
        test.name,
        test.title,
        test.describe(&question)
    );
    for row in rows {
        let (count, total) = (row.count(), row.total());
        let percent = 100.0 * count as f64 / total.max(1) as f64;
        let rate = total as f64 / row.elapsed.as_secs_f64().max(1e-9);
        let speed = match tool {
            Tool::Hardware => format!("{}/s", short(rate)),
            _ => format!("{:.1} s", row.elapsed.as_secs_f64()),
        };
        let _ = writeln!(
            out,
            "  {:<25} {:<10} {:>6.2} %  ({} of {} {}; {speed})",
            row.variant.orderings,
            if row.expected.allowed {
                "allowed"
            } else {
                "forbidden"
            },
            percent,
            grouped(count),
            grouped(total),
            tool.unit(),
        );
        let every: Vec<String> = test
            .every_outcome()
            .iter()
            .map(|outcome| {
                let values: Vec<String> = outcome.values().iter().map(u32::to_string).collect();
                let seen = row.tally.get(outcome).copied().unwrap_or(0);
                format!("{}: {}", values.join(" "), grouped(seen))
            })
            .collect();
        let _ = writeln!(
            out,
            "      {} = {}",
            test.registers.join(" "),
            every.join("   ")
        );
    }
    out
}

/// The rows as tab-separated lines for `cargo xtask litmus`:
/// `row  tool  test  orderings  question  allowed|forbidden  count  total  seconds  anchor|-`.
pub fn tsv(tool: Tool, rows: &[Row]) -> String {
    let mut out = String::new();
    for row in rows {
        let table = match tool {
            Tool::Loom => crate::deviations::KNOWN_LOOM_DEVIATIONS,
            Tool::Miri => crate::deviations::KNOWN_MIRI_DEVIATIONS,
            Tool::Hardware => &[],
        };
        let deviation = crate::deviations::find(table, row.test.name, row.variant.orderings);
        let _ = writeln!(
            out,
            "row\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.3}\t{}",
            tool.key(),
            row.test.name,
            row.variant.orderings,
            row.test.describe(&row.test.question()),
            if row.expected.allowed {
                "allowed"
            } else {
                "forbidden"
            },
            row.count(),
            row.total(),
            row.elapsed.as_secs_f64(),
            deviation.map_or("-", |d| d.anchor),
        );
    }
    out
}

/// The header of the Markdown table that [`markdown`] writes rows for. The Pages workflow
/// runs `litmus --markdown` on other machines (an x86-64 and an arm64 runner) and adds each
/// machine's section to the Litmus results page at deploy time.
pub const MARKDOWN_HEADER: &str = "| Test | Orderings | Outcome in question | Allowed by the model | Seen | Speed |\n\
                                   |:--|:--|:--|:--|--:|--:|\n";

/// The rows as Markdown table rows (see [`MARKDOWN_HEADER`]): the outcome in question, how
/// often it was seen and how fast the runs went.
pub fn markdown(tool: Tool, rows: &[Row]) -> String {
    let mut out = String::new();
    for row in rows {
        let (count, total) = (row.count(), row.total());
        let percent = 100.0 * count as f64 / total.max(1) as f64;
        let rate = total as f64 / row.elapsed.as_secs_f64().max(1e-9);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} / {} ({percent:.2} %) | {} {}/s |",
            row.test.name,
            row.variant.orderings,
            row.test.describe(&row.test.question()),
            if row.expected.allowed {
                "yes"
            } else {
                "**no**"
            },
            grouped(count),
            grouped(total),
            short(rate),
            tool.unit(),
        );
    }
    out
}

/// This machine, as the results table names it: CPU model, cores, OS and kernel.
pub fn machine() -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find_map(|line| {
            let (key, value) = line.split_once(':')?;
            (key.trim() == "model name")
                .then(|| value.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .unwrap_or_else(|| format!("unknown {} CPU", std::env::consts::ARCH));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let os = read("/etc/os-release")
        .lines()
        .find_map(|line| {
            let value = line.strip_prefix("PRETTY_NAME=")?;
            Some(value.trim().trim_matches('"').to_owned())
        })
        .unwrap_or_else(|| std::env::consts::OS.to_owned());
    let kernel = read("/proc/sys/kernel/osrelease").trim().to_owned();
    let kernel = if kernel.is_empty() {
        String::new()
    } else {
        format!(", kernel {kernel}")
    };
    format!(
        "{cpu}, {cores} cores ({}); {os}{kernel}",
        std::env::consts::ARCH
    )
}

/// 1234567 → "1,234,567".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// 1523000.0 → "1.52 M", 48200.0 → "48.2 k".
pub fn short(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2} M", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.1} k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Outcome, tests::sb};

    #[test]
    fn numbers_are_grouped_and_shortened() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(short(1_523_000.0), "1.52 M");
        assert_eq!(short(48_200.0), "48.2 k");
    }

    fn sb_relaxed_row() -> Row {
        let tally = [([0, 0], 3), ([0, 1], 5), ([1, 1], 2)]
            .into_iter()
            .map(|(values, n)| (Outcome::new(&values), n))
            .collect();
        Row {
            test: &sb::SB,
            variant: &sb::VARIANTS[0],
            expected: sb::EXPECTED[0],
            tally,
            elapsed: Duration::from_millis(10),
        }
    }

    #[test]
    fn a_row_counts_the_outcome_in_question() {
        let row = sb_relaxed_row();
        assert_eq!((row.count(), row.total()), (3, 10));
        let text = render(Tool::Hardware, &[row]);
        assert!(
            text.starts_with("SB, store buffering: can r1 = 0, r2 = 0?\n"),
            "{text}"
        );
        assert!(text.contains("Relaxed"), "{text}");
        assert!(
            text.contains("30.00 %  (3 of 10 iterations; 1.0 k/s)"),
            "{text}"
        );
        assert!(
            text.contains("r1 r2 = 0 0: 3   0 1: 5   1 0: 0   1 1: 2"),
            "{text}"
        );
    }

    #[test]
    fn the_tab_separated_line_names_the_known_deviation() {
        let mut row = sb_relaxed_row();
        assert_eq!(
            tsv(Tool::Loom, std::slice::from_ref(&row)),
            "row\tloom\tSB\tRelaxed\tr1 = 0, r2 = 0\tallowed\t3\t10\t0.010\t-\n"
        );
        row.variant = &sb::VARIANTS[2];
        row.expected = sb::EXPECTED[2];
        assert!(tsv(Tool::Loom, &[row]).ends_with("\tforbidden\t3\t10\t0.010\tloom-seqcst\n"));
    }

    #[test]
    fn the_markdown_row_has_the_count_the_share_and_the_speed() {
        let row = sb_relaxed_row();
        assert_eq!(
            markdown(Tool::Hardware, &[row]),
            "| SB | Relaxed | r1 = 0, r2 = 0 | yes | 3 / 10 (30.00 %) | 1.0 k iterations/s |\n"
        );
        assert_eq!(MARKDOWN_HEADER.lines().count(), 2);
    }
}
