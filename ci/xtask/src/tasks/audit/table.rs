//! The audit's findings as a Markdown table (for the book, or a reader's report) and as text
//! (for the terminal). Every verdict names the loom models that decided it and how many
//! executions they explored, and a pass on thin coverage is worded as what it is.

use super::checker::{Audited, Failure, Outcome};
use super::output::{self, FEW_EXECUTIONS, Model};
use super::search::{Combination, Findings, SiteResult, Verdict};
use super::sites::Ordering;

/// Messages longer than this are cut in the table (the full text is in the console output).
const MESSAGE_CHARS: usize = 160;

/// The table for one crate: its sites, then what was tried together and the models' coverage.
/// `header` is the first line (the generated-file header, or a report's title).
pub fn markdown(header: &str, files: &[Audited], findings: &Findings, checker: &str) -> String {
    let mut out = format!(
        "{header}\n\
         | Site | Operation | Chosen | Weakest passing | Verdict | Decided by (loom executions) | \
         First failing weakening: the checker says |\n\
         | --- | --- | --- | --- | --- | --- | --- |\n"
    );
    for result in &findings.sites {
        out.push_str(&format!(
            "| `{}:{}` in `{}` | {} | `{}` | {} | {} | {} | {} |\n",
            files[result.file].shown,
            result.site.line,
            result.site.function,
            result.site.operation(),
            result.site.written.name(),
            orderings(&result.weakest, "`"),
            cell(&verdict_text(result, "`", "**")),
            cell(&decided_by(result, "`")),
            cell(&failure_text(result)),
        ));
    }
    for (file, stray) in &findings.stray {
        out.push_str(&format!(
            "| `{}:{}` | `{}` | — | — | {} | — | — |\n",
            files[*file].shown,
            stray.line,
            stray.text,
            "**flagged**: not an argument of an atomic operation, so not audited",
        ));
    }
    let removed = findings.sites.iter().any(|s| s.removal.is_some());
    out.push_str(&format!(
        "\nChecker: {checker}, run {} times on one build. Each site was weakened{} alone, so \
         each verdict is about that site with every other site as written. {}",
        findings.runs,
        if removed {
            " (and each fence, or other operation there only for its ordering, removed)"
        } else {
            ""
        },
        coverage_text(&findings.as_written.models, "`"),
    ));
    out.push(' ');
    out.push_str(&together_text(files, findings, "`"));
    out.push('\n');
    out
}

/// The grades, one line a site, for the terminal.
pub fn console(files: &[Audited], findings: &Findings) -> String {
    let mut out = String::new();
    for result in &findings.sites {
        out.push_str(&format!(
            "  {}:{:<4} {:<28} {:<36} {:<8} {}\n",
            files[result.file].shown,
            result.site.line,
            result.site.function,
            result.site.operation().replace('`', ""),
            result.site.written.name(),
            verdict_text(result, "", ""),
        ));
        let decided = decided_by(result, "");
        if decided != "—" {
            out.push_str(&format!("        decided by: {decided}\n"));
        }
        if let Some((ordering, message)) = result.first_failure() {
            out.push_str(&format!(
                "        with {}: {}\n",
                ordering.name(),
                shorten(message, 200)
            ));
        }
    }
    for (file, stray) in &findings.stray {
        out.push_str(&format!(
            "  {}:{} `{}`: not an argument of an atomic operation, so not audited\n",
            files[*file].shown, stray.line, stray.text
        ));
    }
    out.push_str(&format!(
        "\n{}\n{}\n",
        coverage_text(&findings.as_written.models, ""),
        together_text(files, findings, "")
    ));
    out
}

/// A site's verdict in words. `code` quotes code, `strong` marks a flag (Markdown or not).
fn verdict_text(result: &SiteResult, code: &str, strong: &str) -> String {
    let flagged = format!("{strong}flagged{strong}");
    let thin = result.passing_models().is_some_and(output::thin);
    let not_proven = || {
        let models = result.passing_models().unwrap_or_default();
        let count = output::total(models)
            .map_or_else(|| "executions unknown".to_owned(), output::thousands);
        let what = if result.removable() {
            "removing it"
        } else {
            "weaker"
        };
        format!(
            "{flagged}: {what} passes these models ({count} executions) — the models may not \
             reach the path; not proven"
        )
    };
    let verdict: String = match &result.verdict {
        Verdict::FailsAsWritten => format!("{strong}fails as written{strong}"),
        Verdict::NotNeeded if thin => not_proven(),
        Verdict::NotNeeded => format!("{flagged}: removable: the checker passes without it"),
        Verdict::Unjustified if thin => not_proven(),
        Verdict::Unjustified => format!(
            "{flagged}: too strong: {} passes, no reason given",
            orderings(&result.weakest, code)
        ),
        Verdict::Justified(reason) if result.removable() => {
            format!("removable, kept because {reason}")
        }
        Verdict::Justified(reason) => format!("stronger than needed, because {reason}"),
        Verdict::Undecidable => format!(
            "{flagged}: SeqCst, not decidable by loom (every weakening fails, and loom gives \
             SeqCst loads and stores no total order; for code the size of a litmus test the \
             model checker decides it)"
        ),
        Verdict::Minimal if result.steps.is_empty() && result.removal.is_some() => String::new(),
        Verdict::Minimal if result.steps.is_empty() => "minimal (nothing weaker exists)".into(),
        Verdict::Minimal => "minimal".into(),
    };
    match result.removal_failure() {
        Some(failure) => {
            let needed = format!(
                "needed: removing it {}",
                failed_with(failure, code, MESSAGE_CHARS)
            );
            if verdict.is_empty() {
                needed
            } else {
                format!("{verdict}; {needed}")
            }
        }
        None => verdict,
    }
}

/// The models that decided a verdict: the test that failed (weakened or removed), or every
/// model that passed, each with its count of executions.
fn decided_by(result: &SiteResult, code: &str) -> String {
    if let Some(models) = result.passing_models() {
        if models.is_empty() {
            return "executions unknown".into();
        }
        let only = if models.len() == 1 { "only " } else { "" };
        return format!("{only}{}", output::describe(models, code));
    }
    let failing = result
        .steps
        .iter()
        .find_map(|s| match &s.outcome {
            Outcome::Fail(f) => Some((f, s.models.as_slice())),
            Outcome::Pass => None,
        })
        .or_else(|| {
            let run = result.removal.as_ref()?;
            match &run.outcome {
                Outcome::Fail(f) => Some((f, run.models.as_slice())),
                Outcome::Pass => None,
            }
        });
    match failing {
        Some((failure, models)) => failing_model(failure, models, code),
        None => "—".into(),
    }
}

/// `test` (failed in execution 3): the model a failure came from.
fn failing_model(failure: &Failure, models: &[Model], code: &str) -> String {
    let Some(test) = &failure.test else {
        return "—".into();
    };
    let model = models.iter().find(|m| &m.test == test).cloned();
    let model = model.unwrap_or(Model {
        test: test.clone(),
        executions: None,
        failed: true,
        bounded: false,
    });
    output::describe(&[model], code)
}

/// What the models explored on the code as written, and a warning for the small ones.
fn coverage_text(models: &[Model], code: &str) -> String {
    if models.is_empty() {
        return "The checker's models said nothing of their executions.".into();
    }
    let mut out = format!(
        "As written, its models explored: {}.",
        output::describe(models, code)
    );
    let small: Vec<String> = models
        .iter()
        .filter(|m| m.executions.is_some_and(|n| n < FEW_EXECUTIONS))
        .map(|m| format!("{code}{}{code}", m.test))
        .collect();
    if !small.is_empty() {
        out.push_str(&format!(
            " Fewer than {FEW_EXECUTIONS} executions ({}): such a model may never let two \
             threads' accesses race, so what passes it proves little.",
            small.join(", ")
        ));
    }
    out
}

/// "fails `test` with: message", for an operation the code needs.
fn failed_with(failure: &Failure, code: &str, chars: usize) -> String {
    let message = shorten(&failure.message, chars);
    match &failure.test {
        Some(test) => format!("fails {code}{test}{code} with: {message}"),
        None => format!("fails with: {message}"),
    }
}

fn failure_text(result: &SiteResult) -> String {
    match result.first_failure() {
        Some((ordering, message)) => {
            format!("`{}`: {}", ordering.name(), shorten(message, MESSAGE_CHARS))
        }
        None => "—".into(),
    }
}

/// What was tried together, as a sentence or a short list.
fn together_text(files: &[Audited], findings: &Findings, code: &str) -> String {
    if !findings.as_written.passed() {
        return "The code fails as written, so nothing was weakened.".into();
    }
    let movable = findings
        .sites
        .iter()
        .filter(|s| s.weakest != [s.site.written])
        .count();
    if movable == 0 {
        return "No site passed with a weaker ordering, so no two weakenings could be tried \
                together."
            .into();
    }
    if movable == 1 {
        return "Only one site passed with a weaker ordering, so there was no pair to try \
                together."
            .into();
    }
    let mut out = String::new();
    if findings.pairs.is_empty() && findings.all_together.is_none() {
        out.push_str(
            "No two sites that passed weakened alone act on the same atomic (or on a fence), \
             so no pair was tried together.",
        );
    } else {
        out.push_str("Weakenings that passed alone, tried together:\n");
        for combination in findings.pairs.iter().chain(&findings.all_together) {
            out.push_str(&format!(
                "\n- {}",
                combination_text(files, findings, combination, code)
            ));
        }
    }
    out
}

fn combination_text(
    files: &[Audited],
    findings: &Findings,
    combination: &Combination,
    code: &str,
) -> String {
    let members: Vec<String> = combination
        .members
        .iter()
        .map(|&(index, ordering)| {
            let result = &findings.sites[index];
            format!(
                "{code}{}:{}{code} at {code}{}{code}",
                files[result.file].shown,
                result.site.line,
                ordering.name()
            )
        })
        .collect();
    let outcome = match &combination.outcome {
        Outcome::Pass => "pass together".to_owned(),
        Outcome::Fail(failure) => format!(
            "fail together: {}",
            shorten(&failure.message, MESSAGE_CHARS)
        ),
    };
    format!("{}: {outcome}", members.join(" with "))
}

fn orderings(list: &[Ordering], code: &str) -> String {
    list.iter()
        .map(|o| format!("{code}{}{code}", o.name()))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Text for a table cell: no `|`, no line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn shorten(message: &str, chars: usize) -> String {
    let message = cell(message);
    if message.chars().count() <= chars {
        message
    } else {
        let cut: String = message.chars().take(chars).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::audit::checker::Run;
    use crate::tasks::audit::search::Step;
    use crate::tasks::audit::sites;

    fn model(test: &str, executions: usize) -> Model {
        Model {
            test: test.into(),
            executions: Some(executions),
            failed: false,
            bounded: false,
        }
    }

    fn findings(source: &str, result: impl FnOnce(&mut SiteResult)) -> (Vec<Audited>, Findings) {
        let found = sites::find(source).unwrap();
        let site = found.sites[0].clone();
        let files = vec![Audited {
            path: "f.rs".into(),
            shown: "f.rs".into(),
            source: source.to_owned(),
            found,
            first_id: 0,
        }];
        let mut only = SiteResult {
            file: 0,
            id: 0,
            weakest: vec![site.written],
            site,
            steps: Vec::new(),
            removal: None,
            verdict: Verdict::Minimal,
        };
        result(&mut only);
        let findings = Findings {
            as_written: Run {
                outcome: Outcome::Pass,
                models: vec![model("fixed_a", 7847), model("fixed_b", 3)],
            },
            sites: vec![only],
            stray: Vec::new(),
            pairs: Vec::new(),
            all_together: None,
            runs: 2,
        };
        (files, findings)
    }

    const FENCE: &str = "fn f() {\n    fence(Ordering::Acquire);\n}\n";
    const LOAD: &str = "fn f(a: &A) -> u8 {\n    a.load(Ordering::Acquire)\n}\n";

    #[test]
    fn a_needed_fence_says_what_removing_it_breaks_and_which_model_did() {
        let failure = Failure {
            test: Some("fixed_frees".into()),
            message: "Causality violation: Concurrent read and write accesses.".into(),
        };
        let mut failed = model("fixed_frees", 4);
        failed.failed = true;
        let (files, findings) = findings(FENCE, |r| {
            r.removal = Some(Run {
                outcome: Outcome::Fail(failure),
                models: vec![failed],
            });
        });
        let table = markdown("<!-- x -->\n", &files, &findings, "the checker");
        assert!(
            table.contains(
                "| needed: removing it fails `fixed_frees` with: Causality violation: \
                 Concurrent read and write accesses. | `fixed_frees` (failed in execution 4) |"
            ),
            "{table}"
        );
        let text = console(&files, &findings);
        assert!(
            text.contains("needed: removing it fails fixed_frees with"),
            "{text}"
        );
        assert!(
            text.contains(
                "its models explored: fixed_a (7,847 executions), fixed_b (3 executions)"
            ),
            "{text}"
        );
        assert!(
            text.contains("Fewer than 10 executions (fixed_b)"),
            "{text}"
        );
    }

    #[test]
    fn a_removable_fence_is_flagged_and_thin_coverage_is_not_proof() {
        let removed = |models: Vec<Model>| {
            move |r: &mut SiteResult| {
                r.removal = Some(Run {
                    outcome: Outcome::Pass,
                    models,
                });
                r.verdict = Verdict::NotNeeded;
            }
        };
        let (files, well) = findings(FENCE, removed(vec![model("a", 500), model("b", 40)]));
        let table = markdown("", &files, &well, "the checker");
        assert!(
            table.contains(
                "**flagged**: removable: the checker passes without it | `a` (500 executions), \
                 `b` (40 executions) |"
            ),
            "{table}"
        );
        // One model: named, and the verdict is hedged.
        let (files, thin) = findings(FENCE, removed(vec![model("only_one", 5000)]));
        let table = markdown("", &files, &thin, "the checker");
        assert!(
            table.contains(
                "**flagged**: removing it passes these models (5,000 executions) — the models \
                 may not reach the path; not proven | only `only_one` (5,000 executions) |"
            ),
            "{table}"
        );
    }

    #[test]
    fn too_strong_on_few_executions_is_not_stated_as_a_fact() {
        let weaker = |executions: [usize; 2]| {
            move |r: &mut SiteResult| {
                r.steps = vec![Step {
                    ordering: Ordering::Relaxed,
                    outcome: Outcome::Pass,
                    models: vec![model("a", executions[0]), model("b", executions[1])],
                }];
                r.weakest = vec![Ordering::Relaxed];
                r.verdict = Verdict::Unjustified;
            }
        };
        let (files, few) = findings(LOAD, weaker([1, 3]));
        let text = console(&files, &few);
        assert!(
            text.contains(
                "flagged: weaker passes these models (4 executions) — the models may not \
                 reach the path; not proven"
            ),
            "{text}"
        );
        let (files, many) = findings(LOAD, weaker([1, 300]));
        let text = console(&files, &many);
        assert!(
            text.contains("flagged: too strong: Relaxed passes, no reason given"),
            "{text}"
        );
        assert!(
            text.contains("decided by: a (1 executions), b (300 executions)"),
            "{text}"
        );
    }
}
