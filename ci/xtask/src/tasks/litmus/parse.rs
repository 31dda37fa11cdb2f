//! The `litmus` binary's tab-separated lines (see `exercises/litmus/src/report.rs`) and the
//! model example's, as `cargo xtask litmus` reads them: from the runs, and from the recorded
//! file the page is rendered from.

use crate::util::{Result, anyhow};

/// One tab-separated `row` line of the `litmus` binary.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// `loom`, `miri` or `hardware`.
    pub tool: String,
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

/// Parses the binary's `--tsv` output; other lines (Miri's notes between seeds, the model's
/// lines of a recorded run) are skipped.
pub fn parse(text: &str) -> Result<Vec<Line>> {
    let mut rows = Vec::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            [
                "row",
                tool,
                test,
                orderings,
                question,
                allowed,
                count,
                total,
                seconds,
                anchor,
            ] => rows.push(Line {
                tool: (*tool).to_owned(),
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
    Ok(rows)
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

#[cfg(test)]
pub mod tests {
    use super::*;

    pub const LOOM: &str = "row\tloom\tSB\tRelaxed\tr1 = 0, r2 = 0\tallowed\t63\t180\t0.010\t-\n\
                            row\tloom\tSB\tSeqCst\tr1 = 0, r2 = 0\tforbidden\t63\t180\t0.010\tloom-seqcst\n";

    pub const MODEL: &str = "model\tSB\tRelaxed\tallowed\tallowed\t4\t4\tallowed\n\
                             model\tSB\tSeqCst\tforbidden\tforbidden\t4\t3\tforbidden\n";

    #[test]
    fn parses_rows_and_skips_other_lines() {
        let rows = parse(&format!("measured\tx\nsome note\n{MODEL}{LOOM}")).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].tool, "loom");
        assert_eq!(rows[1].anchor.as_deref(), Some("loom-seqcst"));
        assert!(!rows[1].allowed);
        assert!(parse("row\tloom\tSB\n").is_err());
    }

    #[test]
    fn seeds_are_added_up() {
        let miri = "row\tmiri\tSB\tRelaxed\tq\tallowed\t2\t10\t1.0\t-\n\
                    row\tmiri\tSB\tSeqCst\tq\tforbidden\t0\t10\t1.0\t-\n\
                    row\tmiri\tSB\tRelaxed\tq\tallowed\t3\t10\t1.0\t-\n";
        let merged = merge(&parse(miri).unwrap());
        assert_eq!(merged.len(), 2);
        assert_eq!((merged[0].count, merged[0].total), (5, 20));
        assert_eq!(merged[1].orderings, "SeqCst");
    }

    #[test]
    fn parses_the_model_lines_and_refuses_a_written_answer_it_contradicts() {
        let model = parse_model(&format!("some note\n{MODEL}{LOOM}")).unwrap();
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
}
