//! The Litmus results page: the table of every row's counts next to the model's answer, the
//! machine and speeds, and what the model checked.

use super::parse::{Line, ModelLine};
use crate::util::{Result, anyhow};
use litmus::report::{grouped, short};
use std::fmt::Write as _;

/// The model's answers and the three tools' merged lines.
pub struct Results {
    pub measured: Measured,
    pub model: Vec<ModelLine>,
    pub loom: Vec<Line>,
    pub miri: Vec<Line>,
    pub hardware: Vec<Line>,
}

const INTRO: &str = "\
# Litmus results

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

Regenerate this page with `cargo xtask litmus` (a few minutes; it records the runs in
`litmus-results.tsv` next to this page, and `cargo xtask litmus --render` renders the page again
from them). To count outcomes on your own
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

/// When, where and how much the tools ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub date: String,
    /// [`crate::machine::machine`]'s line.
    pub machine: String,
    pub miri_runs: u32,
    pub miri_seeds: u32,
}

/// The whole page.
pub fn render(results: &Results) -> Result<String> {
    let Measured {
        date,
        machine,
        miri_runs,
        miri_seeds,
    } = &results.measured;
    let mut page = crate::generated::header("litmus");
    page.push_str(INTRO);
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
         schedule), in {loom_seconds:.0} s in all. Miri ran each row {miri_runs} times under \
         each of {miri_seeds} seeds, {miri_seconds:.0} s of interpretation in all (the seeds \
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

#[cfg(test)]
mod tests {
    use super::super::parse::tests::{LOOM, MODEL};
    use super::super::parse::{parse, parse_model};
    use super::*;

    #[test]
    fn disagreements_are_marked_and_linked() {
        let loom = parse(LOOM).unwrap();
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

    #[test]
    fn the_page_has_one_row_per_line_and_names_the_machine() {
        let model = parse_model(MODEL).unwrap();
        let loom = parse(LOOM).unwrap();
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
        let measured = |machine: &str| Measured {
            date: "2026-11-24".into(),
            machine: machine.into(),
            miri_runs: 25,
            miri_seeds: 8,
        };
        let results = Results {
            measured: measured("AMD EPYC, 2 cores"),
            model,
            loom,
            miri,
            hardware,
        };
        let page = render(&results).unwrap();
        assert!(page.starts_with("<!-- Generated by `cargo xtask litmus`; do not edit."));
        assert!(page.contains("-->\n# Litmus results\n"));
        assert!(page.contains("Miri ran each row 25 times under each of 8 seeds"));
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
        let x86 = Results {
            measured: measured("AMD EPYC, 2 cores (x86_64)"),
            model: results.model.clone(),
            loom: results.loom.clone(),
            miri: results.miri.clone(),
            hardware: results.hardware.clone(),
        };
        let x86 = render(&x86).unwrap();
        assert!(x86.contains("This machine is x86-64, whose memory model is TSO"));
        // The Pages workflow adds other machines after this exact line, at the end.
        assert!(
            page.ends_with("\n<!-- deploy-time machines -->\n"),
            "{page}"
        );
        let no_model = Results {
            measured: results.measured.clone(),
            model: Vec::new(),
            loom: results.loom.clone(),
            miri: results.miri.clone(),
            hardware: results.hardware.clone(),
        };
        let error = render(&no_model).unwrap_err().to_string();
        assert!(error.contains("the model printed no line"), "{error}");
        let missing = Results {
            hardware: Vec::new(),
            ..results
        };
        assert!(render(&missing).is_err());
    }
}
