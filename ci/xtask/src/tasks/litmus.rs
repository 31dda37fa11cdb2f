//! `cargo xtask litmus`: every litmus test run three ways, written to the Litmus results
//! appendix (`src/appendix/litmus-results.md`), next to the model's answer, computed.
//!
//! The `litmus` crate's binary does the running: built with `--cfg loom` it prints the outcomes
//! loom enumerates, under Miri the outcomes of many runs, and natively the counts of the
//! hardware harness. With `--tsv` it prints one tab-separated line per test and set of
//! orderings (see `exercises/litmus/src/report.rs`), which this task parses, merges (Miri's
//! seeds each print their own lines) and turns into one table. The model's answers come from
//! the model checker: the crate's `model` example runs it on each row's litmus file
//! (`exercises/litmus/model/`) under C++20's axioms and RC11's and prints one `model` line per
//! row; the page shows that answer, and this task fails if the answer written in the crate
//! differs from it. The tools' known deviations come from the crate, so the page cannot
//! disagree with the tests.

use crate::tasks::bench::civil_date;
use crate::tasks::miri::{NIGHTLY, ensure_miri};
use crate::util::{Result, cmd, describe, no_args, relative, root, step};
use anyhow::anyhow;
use std::fmt::Write as _;
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Where the page goes, relative to the repository root.
const PAGE: &str = "src/appendix/litmus-results.md";

/// Miri seeds, and runs of each set of orderings under each seed. 8 × 25 = 200 runs a row:
/// a few minutes, which is why CI runs the shorter `tests/miri.rs` instead.
const MIRI_SEEDS: u32 = 8;
const MIRI_RUNS: u32 = 25;

/// Hardware iterations for each set of orderings of a two-thread test, and of IRIW, whose
/// four threads take turns on a two-core machine instead of racing.
const ITERATIONS: u64 = 2_000_000;
const IRIW_ITERATIONS: u64 = 100_000;

pub fn run(args: &[String]) -> Result {
    no_args("litmus", args)?;
    let started = Instant::now();

    step("the model: every row's answer, computed from its litmus file (C++20 and RC11)");
    let model = parse_model(&stdout_of(cmd("cargo").args([
        "run",
        "--locked",
        "-p",
        "litmus",
        "--example",
        "model",
        "--",
        "--tsv",
    ]))?)?;

    step("loom: every outcome loom produces (release build, --cfg loom)");
    let loom = parse(&stdout_of(
        cmd("cargo")
            .args([
                "run",
                "--release",
                "--locked",
                "-p",
                "litmus",
                "--",
                "--tsv",
            ])
            .env("RUSTFLAGS", "--cfg loom")
            .env("CARGO_TARGET_DIR", root().join("target/loom")),
    )?)?;

    ensure_miri()?;
    step(&format!(
        "Miri: {MIRI_RUNS} runs of each, under {MIRI_SEEDS} seeds (a few minutes)"
    ));
    let miri = parse(&stdout_of(
        cmd("cargo")
            .arg(format!("+{NIGHTLY}"))
            .args(["miri", "run", "--locked", "-p", "litmus", "--", "--tsv"])
            .args(["--iterations", &MIRI_RUNS.to_string()])
            .env("MIRIFLAGS", format!("-Zmiri-many-seeds=0..{MIRI_SEEDS}")),
    )?)?;

    step("this machine: the hardware harness (release build)");
    let mut hardware_text = String::new();
    for (tests, iterations) in [
        (&["sb", "mp", "lb", "2+2w", "corr"][..], ITERATIONS),
        (&["iriw"][..], IRIW_ITERATIONS),
    ] {
        hardware_text.push_str(&stdout_of(
            cmd("cargo")
                .args([
                    "run",
                    "--release",
                    "--locked",
                    "-p",
                    "litmus",
                    "--",
                    "--tsv",
                ])
                .args(["--iterations", &iterations.to_string()])
                .args(tests),
        )?);
    }
    let hardware = parse(&hardware_text)?;

    let secs = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let (year, month, day) = civil_date(secs);
    let page = render(
        &Results {
            model,
            loom: merge(&loom.rows),
            miri: merge(&miri.rows),
            hardware: merge(&hardware.rows),
        },
        hardware.machine.as_deref().unwrap_or("an unnamed machine"),
        &format!("{year:04}-{month:02}-{day:02}"),
    )?;
    let path = root().join(PAGE);
    std::fs::write(&path, &page)?;
    step(&format!(
        "wrote {} in {:.0} s",
        relative(&path),
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// Runs `command` with its progress on stderr and returns its stdout; fails if it fails.
fn stdout_of(command: &mut Command) -> Result<String> {
    step(&describe(command));
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| anyhow!("could not start `{}`: {e}", describe(command)))?;
    if !output.status.success() {
        return Err(anyhow!(
            "`{}` failed ({})",
            describe(command),
            output.status
        ));
    }
    Ok(String::from_utf8(output.stdout)?)
}

/// One tab-separated `row` line of the `litmus` binary.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub test: String,
    pub orderings: String,
    pub question: String,
    pub allowed: bool,
    pub count: u64,
    pub total: u64,
    pub seconds: f64,
    /// The Tools appendix section of the tool's known deviation on this row, if it has one.
    pub anchor: Option<String>,
}

/// What one run of the binary printed.
#[derive(Debug, Default)]
pub struct Output {
    pub rows: Vec<Line>,
    pub machine: Option<String>,
}

/// Parses the binary's `--tsv` output; other lines (Miri's notes between seeds) are skipped.
pub fn parse(text: &str) -> Result<Output> {
    let mut output = Output::default();
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["machine", machine] => output.machine = Some((*machine).to_owned()),
            [
                "row",
                _tool,
                test,
                orderings,
                question,
                allowed,
                count,
                total,
                seconds,
                anchor,
            ] => output.rows.push(Line {
                test: (*test).to_owned(),
                orderings: (*orderings).to_owned(),
                question: (*question).to_owned(),
                allowed: match *allowed {
                    "allowed" => true,
                    "forbidden" => false,
                    other => return Err(anyhow!("litmus printed {other:?} for allowed")),
                },
                count: count.parse()?,
                total: total.parse()?,
                seconds: seconds.parse()?,
                anchor: (*anchor != "-").then(|| (*anchor).to_owned()),
            }),
            ["row", ..] => return Err(anyhow!("a malformed litmus line: {line:?}")),
            _ => {}
        }
    }
    Ok(output)
}

/// One `model` line of the crate's `model` example: the model checker's answer for one row.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelLine {
    pub test: String,
    pub orderings: String,
    /// Whether C++20's axioms allow the outcome in question (the page's answer).
    pub cpp20: bool,
    /// Whether RC11's do (it adds the no-thin-air axiom).
    pub rc11: bool,
    /// Candidate executions the checker built, and how many C++20's axioms accept.
    pub candidates: u64,
    pub consistent: u64,
}

/// Parses the `model` example's `--tsv` output:
/// `model  test  orderings  c++20  rc11  candidates  consistent  written`. Fails if the answer
/// written in the crate (`written`) differs from the computed C++20 one: the page would then
/// disagree with the crate (`cargo test -p litmus --test model` says why).
pub fn parse_model(text: &str) -> Result<Vec<ModelLine>> {
    let answer = |word: &str| match word {
        "allowed" => Ok(true),
        "forbidden" => Ok(false),
        other => Err(format!("the model example printed {other:?} for an answer")),
    };
    let mut lines = Vec::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            [
                "model",
                test,
                orderings,
                cpp20,
                rc11,
                candidates,
                consistent,
                written,
            ] => {
                let (cpp20, written) = (
                    answer(cpp20).map_err(anyhow::Error::msg)?,
                    answer(written).map_err(anyhow::Error::msg)?,
                );
                if cpp20 != written {
                    return Err(anyhow!(
                        "{test} {orderings}: the model checker computes {}, but the crate's \
                         answer is {}; `cargo test -p litmus --test model` shows why",
                        if cpp20 { "allowed" } else { "forbidden" },
                        if written { "allowed" } else { "forbidden" },
                    ));
                }
                lines.push(ModelLine {
                    test: (*test).to_owned(),
                    orderings: (*orderings).to_owned(),
                    cpp20,
                    rc11: answer(rc11).map_err(anyhow::Error::msg)?,
                    candidates: candidates.parse()?,
                    consistent: consistent.parse()?,
                });
            }
            ["model", ..] => return Err(anyhow!("a malformed model line: {line:?}")),
            _ => {}
        }
    }
    Ok(lines)
}

/// Adds up the lines for the same test and orderings (one per Miri seed), keeping the order
/// in which each first appeared.
pub fn merge(lines: &[Line]) -> Vec<Line> {
    let mut merged: Vec<Line> = Vec::new();
    for line in lines {
        match merged
            .iter_mut()
            .find(|m| m.test == line.test && m.orderings == line.orderings)
        {
            Some(m) => {
                m.count += line.count;
                m.total += line.total;
                m.seconds += line.seconds;
            }
            None => merged.push(line.clone()),
        }
    }
    merged
}

/// The model's answers and the three tools' merged lines.
pub struct Results {
    pub model: Vec<ModelLine>,
    pub loom: Vec<Line>,
    pub miri: Vec<Line>,
    pub hardware: Vec<Line>,
}

const INTRO: &str = "\
# Litmus results

<!-- generated by `cargo xtask litmus`; do not edit -->

A *litmus test* is a program of two to four threads, each making one or two atomic accesses,
built to ask a single question: can this one combination of values come out? Sequential
consistency, the model in which threads simply take turns, says no to every question here. The
C++20 model that Rust's atomics follow says yes or no depending on the orderings, and processors
differ again. So a litmus test is a probe: run it somewhere, and the answer tells you which model
you are standing in. The tests and their orderings live in the `litmus` crate
(`exercises/litmus/src/tests/`), each next to the model's answer and the rule it comes from.

Each row below is one test with one choice of orderings. *Allowed by the model* is computed,
never taken from what a tool printed: the book's model checker (the `model` crate; see [The model,
executable](model.md)) reads the row's litmus file (`exercises/litmus/model/`), whose threads
are the very functions the other three columns run, builds every candidate execution, and keeps
those that C++20's axioms accept. The answer written next to each test, with its source, must
agree with it (`cargo test -p litmus --test model`). The last three columns count how often the
outcome in question came out: among all executions loom explored, among Miri's runs (several
seeds, many runs each), and among the iterations of the hardware harness on the machine named
under the table. A mark ⚠ flags a tool that disagrees with the model, linked to the section of
the [Tools appendix](tools.md) that explains why; a zero where the model says *allowed* is not a
disagreement unless it is marked, because *allowed* never means *will happen*.

Regenerate this page with `cargo xtask litmus` (a few minutes). To count outcomes on your own
machine, run `cargo run -p litmus --release`, or `cargo run -p litmus --release -- sb` for one
test.
";

/// The section that the Pages workflow fills: it runs `cargo run -p litmus --release --
/// --markdown` on a GitHub x86-64 runner and an arm64 runner and adds their sections after the
/// marker line (which must stay exactly as it is; the workflow fails without it).
const DEPLOY_TIME: &str = "
## Other machines

An ARM processor can show what x86-64 cannot: MP's and IRIW's reorderings, and in rare cases
LB's. When the book is published, its deploy workflow runs the same harness on a GitHub x86-64
runner and a GitHub arm64 runner and adds both machines' counts below. In a local build (and in
the repository) the section ends here; run `cargo run -p litmus --release -- --markdown` to print
your own machine's section.

<!-- deploy-time machines -->
";

/// The whole page.
pub fn render(results: &Results, machine: &str, date: &str) -> Result<String> {
    let mut page = String::from(INTRO);
    // The anchors let the model appendix include the same table: one source for both pages.
    // The link names this page, so it works from there too.
    page.push_str(
        "\n<!-- ANCHOR: table -->\n\
         | Test | Orderings | Outcome in question | Allowed by the model ([computed](litmus-results.md#what-the-model-checked)) | loom | Miri | This machine |\n\
         |:--|:--|:--|:--|--:|--:|--:|\n",
    );
    for row in &results.loom {
        let model = results
            .model
            .iter()
            .find(|m| m.test == row.test && m.orderings == row.orderings)
            .ok_or_else(|| {
                format!(
                    "the model printed no line for {} {}",
                    row.test, row.orderings
                )
            })
            .map_err(anyhow::Error::msg)?;
        if model.cpp20 != row.allowed {
            return Err(anyhow!(
                "{} {}: the model checker's answer differs from the crate's",
                row.test,
                row.orderings
            ));
        }
        let find = |lines: &[Line], tool: &str| -> Result<Line> {
            lines
                .iter()
                .find(|l| l.test == row.test && l.orderings == row.orderings)
                .cloned()
                .ok_or_else(|| anyhow!("{tool} printed no line for {} {}", row.test, row.orderings))
        };
        let miri = find(&results.miri, "Miri")?;
        let hardware = find(&results.hardware, "the hardware run")?;
        let _ = writeln!(
            page,
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.test,
            row.orderings,
            row.question,
            yes_no(model.cpp20),
            tool_cell(row),
            tool_cell(&miri),
            hardware_cell(&hardware),
        );
    }
    page.push_str("<!-- ANCHOR_END: table -->\n\n");
    let _ = writeln!(
        page,
        "Measured on {date}, on {machine}. {}",
        speeds(&results.hardware)
    );
    page.push_str(about_the_machine(machine));
    let loom_seconds: f64 = results.loom.iter().map(|l| l.seconds).sum();
    let miri_seconds: f64 = results.miri.iter().map(|l| l.seconds).sum();
    let _ = writeln!(
        page,
        "\nloom explored every execution of the two-thread tests, and those of IRIW with at \
         most two preemptions (unbounded, IRIW runs for more than ten minutes; each of its \
         outcomes depends only on which store each load reads, which loom varies in every \
         schedule), in {loom_seconds:.0} s in all. Miri ran each row {MIRI_RUNS} times under \
         each of {MIRI_SEEDS} seeds, {miri_seconds:.0} s of interpretation in all (the seeds \
         run side by side)."
    );
    page.push_str(&model_section(&results.model));
    page.push_str(DEPLOY_TIME);
    Ok(page)
}

/// "yes", or a bold "no".
fn yes_no(allowed: bool) -> &'static str {
    if allowed { "yes" } else { "**no**" }
}

/// The model checker's work for each row, and its answer under RC11 as published.
fn model_section(model: &[ModelLine]) -> String {
    let mut text = String::from(
        "\n## What the model checked\n\n\
         For each row, the model checker built every *candidate execution* of the litmus file \
         (each load's choice of the store it reads, and an order of the stores to each \
         location) and kept the *consistent* ones, those C++20's axioms accept; the outcome in \
         question is allowed when one of them ends in it. The last column asks RC11 as \
         published (Lahav et al., PLDI 2017), which adds a no-thin-air axiom, \
         `acyclic(sb ∪ rf)`: of these tests it differs from C++20 only on LB with `Relaxed` \
         accesses, the load-buffering cycle that C++20 allows and no tool here produces. \
         [The model, executable](model.md) explains the axioms and how to run the checker on a \
         file of your own.\n\n\
         | Test | Orderings | Candidate executions | Consistent under C++20 | Allowed under C++20 | Allowed under RC11 |\n\
         |:--|:--|--:|--:|:--|:--|\n",
    );
    for line in model {
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} | {} | {} |",
            line.test,
            line.orderings,
            line.candidates,
            line.consistent,
            yes_no(line.cpp20),
            yes_no(line.rc11),
        );
    }
    text
}

/// What the hardware column can show, for the kind of processor `machine` names (as the
/// litmus binary describes it, with the architecture in parentheses).
fn about_the_machine(machine: &str) -> &'static str {
    if machine.contains("(x86_64)") {
        "\nThis machine is x86-64, whose memory model is TSO (total store order): a core may let \
         its own later load overtake an earlier store that is still in its store buffer, and \
         that is the only reordering other cores can observe. So only SB's outcome can show up \
         in the last column; the other allowed outcomes need a weaker machine.\n"
    } else {
        "\nThis machine is not x86-64, so its processor may reorder more than a store with a \
         later load: a zero in the last column where the model says *allowed* only means the \
         outcome did not show up in these iterations.\n"
    }
}

/// `count / total` for loom or Miri, marked where the tool disagrees with the model.
fn tool_cell(line: &Line) -> String {
    let base = format!("{} / {}", grouped(line.count), grouped(line.total));
    let mark = match (line.allowed, line.count > 0, &line.anchor) {
        (false, true, Some(anchor)) => format!(" ⚠ [false alarm](tools.md#{anchor})"),
        (false, true, None) => " ⚠ **forbidden outcome, not a known deviation**".to_owned(),
        (true, false, Some(anchor)) => format!(" ⚠ [never produced](tools.md#{anchor})"),
        _ => String::new(),
    };
    base + &mark
}

/// `count / iterations`, with the share when the outcome appeared.
fn hardware_cell(line: &Line) -> String {
    let mut cell = format!("{} / {}", grouped(line.count), grouped(line.total));
    if line.count > 0 {
        let _ = write!(
            cell,
            " ({:.2} %)",
            100.0 * line.count as f64 / line.total.max(1) as f64
        );
        if !line.allowed {
            cell.push_str(" ⚠ **forbidden: a bug in the compiler, the processor or the test**");
        }
    }
    cell
}

/// A sentence on the iterations per second of the hardware runs.
fn speeds(hardware: &[Line]) -> String {
    let rate = |line: &Line| line.total as f64 / line.seconds.max(1e-9);
    let sb = hardware
        .iter()
        .find(|l| l.test == "SB" && l.orderings == "Relaxed");
    let (two, four): (Vec<&Line>, Vec<&Line>) = hardware.iter().partition(|l| l.test != "IRIW");
    let range = |lines: &[&Line]| {
        let rates: Vec<f64> = lines.iter().map(|l| rate(l)).collect();
        let low = rates.iter().copied().fold(f64::INFINITY, f64::min);
        let high = rates.iter().copied().fold(0.0, f64::max);
        format!("{}–{}", short(low), short(high))
    };
    let mut text = String::from("The hardware harness ran");
    if let Some(sb) = sb {
        let _ = write!(
            text,
            " SB with Relaxed at {} iterations per second,",
            short(rate(sb))
        );
    }
    if !two.is_empty() {
        let _ = write!(text, " the two-thread tests at {} per second", range(&two));
    }
    if !four.is_empty() {
        let _ = write!(
            text,
            " and IRIW, four threads sharing the cores, at {} per second",
            range(&four)
        );
    }
    text.push_str(" (counting included).");
    text
}

/// 1234567 → "1,234,567".
fn grouped(n: u64) -> String {
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
fn short(x: f64) -> String {
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

    const LOOM: &str = "row\tloom\tSB\tRelaxed\tr1 = 0, r2 = 0\tallowed\t63\t180\t0.010\t-\n\
                        row\tloom\tSB\tSeqCst\tr1 = 0, r2 = 0\tforbidden\t63\t180\t0.010\tloom-seqcst\n";

    #[test]
    fn parses_rows_and_the_machine_and_skips_other_lines() {
        let output = parse(&format!("machine\tAMD EPYC, 2 cores\nsome note\n{LOOM}")).unwrap();
        assert_eq!(output.machine.as_deref(), Some("AMD EPYC, 2 cores"));
        assert_eq!(output.rows.len(), 2);
        assert_eq!(output.rows[1].anchor.as_deref(), Some("loom-seqcst"));
        assert!(!output.rows[1].allowed);
        assert!(parse("row\tloom\tSB\n").is_err());
    }

    #[test]
    fn seeds_are_added_up() {
        let miri = "row\tmiri\tSB\tRelaxed\tq\tallowed\t2\t10\t1.0\t-\n\
                    row\tmiri\tSB\tSeqCst\tq\tforbidden\t0\t10\t1.0\t-\n\
                    row\tmiri\tSB\tRelaxed\tq\tallowed\t3\t10\t1.0\t-\n";
        let merged = merge(&parse(miri).unwrap().rows);
        assert_eq!(merged.len(), 2);
        assert_eq!((merged[0].count, merged[0].total), (5, 20));
        assert_eq!(merged[1].orderings, "SeqCst");
    }

    #[test]
    fn disagreements_are_marked_and_linked() {
        let loom = parse(LOOM).unwrap().rows;
        assert_eq!(tool_cell(&loom[0]), "63 / 180");
        assert_eq!(
            tool_cell(&loom[1]),
            "63 / 180 ⚠ [false alarm](tools.md#loom-seqcst)"
        );
        let blind = Line {
            count: 0,
            anchor: Some("loom-no-lb".into()),
            ..loom[0].clone()
        };
        assert_eq!(
            tool_cell(&blind),
            "0 / 180 ⚠ [never produced](tools.md#loom-no-lb)"
        );
        let unknown = Line {
            anchor: None,
            ..loom[1].clone()
        };
        assert!(tool_cell(&unknown).contains("not a known deviation"));
    }

    const MODEL: &str = "model\tSB\tRelaxed\tallowed\tallowed\t4\t4\tallowed\n\
                         model\tSB\tSeqCst\tforbidden\tforbidden\t4\t3\tforbidden\n";

    #[test]
    fn parses_the_model_lines_and_refuses_a_written_answer_it_contradicts() {
        let model = parse_model(&format!("some note\n{MODEL}")).unwrap();
        assert_eq!(model.len(), 2);
        assert_eq!((model[1].candidates, model[1].consistent), (4, 3));
        assert!(model[0].cpp20 && model[0].rc11 && !model[1].cpp20);
        let wrong = "model\tSB\tSeqCst\tforbidden\tforbidden\t4\t3\tallowed\n";
        let error = parse_model(wrong).unwrap_err().to_string();
        assert!(
            error.contains("the model checker computes forbidden"),
            "{error}"
        );
        assert!(parse_model("model\tSB\n").is_err());
    }

    #[test]
    fn the_page_has_one_row_per_line_and_names_the_machine() {
        let model = parse_model(MODEL).unwrap();
        let loom = parse(LOOM).unwrap().rows;
        let miri = loom.clone();
        let hardware: Vec<Line> = loom
            .iter()
            .map(|l| Line {
                count: if l.allowed { 61_234 } else { 0 },
                total: 1_000_000,
                seconds: 0.5,
                ..l.clone()
            })
            .collect();
        let results = Results {
            model,
            loom,
            miri,
            hardware,
        };
        let page = render(&results, "AMD EPYC, 2 cores", "2026-11-24").unwrap();
        assert!(page.starts_with("# Litmus results\n"));
        assert!(page.contains(
            "| SB | Relaxed | r1 = 0, r2 = 0 | yes | 63 / 180 | 63 / 180 | 61,234 / 1,000,000 (6.12 %) |"
        ));
        assert!(page.contains("| SB | SeqCst | r1 = 0, r2 = 0 | **no** |"));
        assert!(page.contains("[The model, executable](model.md) explains"));
        assert!(page.contains("| SB | SeqCst | 4 | 3 | **no** | **no** |"));
        assert!(page.contains("Measured on 2026-11-24, on AMD EPYC, 2 cores."));
        assert!(page.contains("SB with Relaxed at 2.00 M iterations per second"));
        assert!(
            !page.contains("This machine is x86-64"),
            "the machine named is not x86-64"
        );
        let x86 = render(&results, "AMD EPYC, 2 cores (x86_64)", "2026-11-24").unwrap();
        assert!(x86.contains("This machine is x86-64, whose memory model is TSO"));
        // The Pages workflow adds other machines after this exact line, at the end.
        assert!(
            page.ends_with("\n<!-- deploy-time machines -->\n"),
            "{page}"
        );
        let no_model = Results {
            model: Vec::new(),
            loom: results.loom.clone(),
            miri: results.miri.clone(),
            hardware: results.hardware.clone(),
        };
        let error = render(&no_model, "m", "d").unwrap_err().to_string();
        assert!(error.contains("the model printed no line"), "{error}");
        let missing = Results {
            hardware: Vec::new(),
            ..results
        };
        assert!(render(&missing, "m", "d").is_err());
    }
}
