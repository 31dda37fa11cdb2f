//! Reading one checker run's output: which test failed first and with what message, and which
//! loom models ran and how many executions each explored.
//!
//! The counts come from two places. The `support` crate's shim writes one line per model to
//! stderr, past libtest's capture (`exercises/support/src/coverage.rs` fixes the format):
//!
//! ```text
//! loom explored 118 executions (fixed_frees at src/check.rs:43, preemption bound 2)
//! loom failed in execution 3 (fixed_frees at src/check.rs:43)
//! ```
//!
//! A crate that calls `loom::model` directly gets loom's own line instead, when the audit runs
//! it with `LOOM_LOG=info` and `--show-output`: `Completed in 118 iterations`, inside the test's
//! `---- name stdout ----` section. A model that printed neither has an unknown count, and is
//! reported so: a count is never guessed.

/// One test of a run, as a loom model (or several, summed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Model {
    /// The libtest name of the test that ran it.
    pub test: String,
    /// Executions explored, summed over the test's models; `None` when nothing said.
    pub executions: Option<usize>,
    /// Whether it stopped at a failure (the count is then the failing execution's number).
    pub failed: bool,
    /// Whether loom explored only part of the space (a preemption bound, or a stop).
    pub bounded: bool,
}

/// Fewer executions than this, and a model may never reach the access that races (the same
/// threshold as the shim's warning).
pub const FEW_EXECUTIONS: usize = 10;

/// What one run printed, read.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The first failing test (tests run one at a time, in name order) and its section.
    pub failing: Option<(String, String)>,
    /// How many tests passed.
    pub passed: usize,
    pub models: Vec<Model>,
}

/// Reads libtest's stdout (run with `--show-output`) and the process's stderr.
pub fn parse(stdout: &str, stderr: &str) -> Parsed {
    let sections = sections(stdout);
    let passed = stdout.lines().filter(|l| l.ends_with(" ... ok")).count();
    let failed_names: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test ")?.strip_suffix(" ... FAILED"))
        .collect();
    let failing = failed_names.first().map(|name| {
        let text = sections
            .iter()
            .rev() // the failures block follows the successes block
            .find(|(test, _)| test == name)
            .map_or_else(String::new, |(_, text)| text.clone());
        (name.to_string(), text)
    });
    let mut models: Vec<Model> = Vec::new();
    for line in stderr.lines() {
        if let Some(model) = shim_line(line) {
            merge(&mut models, model);
        }
    }
    // loom's own count, for tests the shim said nothing about.
    for (test, text) in &sections {
        if models.iter().any(|m| &m.test == test) {
            continue;
        }
        for line in text.lines() {
            if let Some(count) = loom_line(line) {
                merge(
                    &mut models,
                    Model {
                        test: test.clone(),
                        executions: Some(count),
                        failed: false,
                        bounded: false,
                    },
                );
            }
        }
    }
    // Every test that passed or failed is a model, counted or not.
    let ran = stdout.lines().filter_map(|l| {
        let rest = l.strip_prefix("test ")?;
        rest.strip_suffix(" ... ok")
            .map(|t| (t, false))
            .or_else(|| rest.strip_suffix(" ... FAILED").map(|t| (t, true)))
    });
    for (test, failed) in ran {
        match models.iter_mut().find(|m| m.test == test) {
            Some(model) => model.failed |= failed,
            None => models.push(Model {
                test: test.to_owned(),
                executions: None,
                failed,
                bounded: false,
            }),
        }
    }
    models.sort_by(|a, b| a.test.cmp(&b.test));
    Parsed {
        failing,
        passed,
        models,
    }
}

fn merge(models: &mut Vec<Model>, model: Model) {
    match models.iter_mut().find(|m| m.test == model.test) {
        Some(known) => {
            known.executions = match (known.executions, model.executions) {
                (Some(a), Some(b)) => Some(a + b),
                _ => None,
            };
            known.failed |= model.failed;
            known.bounded |= model.bounded;
        }
        None => models.push(model),
    }
}

/// The `---- name stdout ----` sections of libtest's output, in order: (test, text).
fn sections(stdout: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            found.push((name.to_owned(), String::new()));
        } else if line == "successes:" || line == "failures:" {
            // The list of names that closes a block is not part of the last section.
            found.push((String::new(), String::new()));
        } else if let Some((_, text)) = found.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    found.retain(|(name, _)| !name.is_empty());
    found
}

/// The shim's line: `loom explored N executions (TEST at FILE:LINE, …)` or `loom failed in
/// execution N (TEST at FILE:LINE)`.
fn shim_line(line: &str) -> Option<Model> {
    let (count, rest, failed) = if let Some(rest) = line.strip_prefix("loom explored ") {
        let (count, rest) = rest.split_once(" executions (")?;
        (count, rest, false)
    } else {
        let rest = line.strip_prefix("loom failed in execution ")?;
        let (count, rest) = rest.split_once(" (")?;
        (count, rest, true)
    };
    let inside = rest.strip_suffix(')')?;
    let (name, limits) = inside.split_once(", ").unwrap_or((inside, ""));
    // A model outside a test thread names only its call site: no test to attach it to.
    let (test, _site) = name.rsplit_once(" at ")?;
    Some(Model {
        test: test.to_owned(),
        executions: Some(count.parse().ok()?),
        failed,
        bounded: !limits.is_empty(),
    })
}

/// loom's `Completed in N iterations` (printed with `LOOM_LOG=info`).
fn loom_line(line: &str) -> Option<usize> {
    let at = line.find("Completed in ")?;
    let rest = &line[at + "Completed in ".len()..];
    rest.split_once(" iterations")?.0.trim().parse().ok()
}

/// `a` (118 executions), `b` (executions unknown): the models behind a verdict.
pub fn describe(models: &[Model], code: &str) -> String {
    let list: Vec<String> = models
        .iter()
        .map(|m| {
            let count = match (m.executions, m.failed) {
                (Some(n), true) => format!("failed in execution {n}"),
                (None, true) => "failed".to_owned(),
                (Some(n), false) => format!("{} executions", thousands(n)),
                (None, false) => "executions unknown".to_owned(),
            };
            let bounded = if m.bounded { ", bounded" } else { "" };
            format!("{code}{}{code} ({count}{bounded})", m.test)
        })
        .collect();
    list.join(", ")
}

/// Whether a pass on these models proves little: one model, or none known to have explored
/// [`FEW_EXECUTIONS`] or more executions.
pub fn thin(models: &[Model]) -> bool {
    models.len() < 2
        || !models
            .iter()
            .any(|m| m.executions.is_some_and(|n| n >= FEW_EXECUTIONS))
}

/// The executions of passing models, summed (`None` if any is unknown).
pub fn total(models: &[Model]) -> Option<usize> {
    models.iter().map(|m| m.executions).sum()
}

/// 7847 → "7,847".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STDOUT: &str = "\nrunning 3 tests\ntest fixed_a ... ok\ntest fixed_b ... FAILED\n\
        test plain ... ok\n\nsuccesses:\n\n---- fixed_a stdout ----\nnoise panicked at x\n\n\
        ---- plain stdout ----\n INFO loom::model: Completed in 12 iterations\n\n\
        successes:\n    fixed_a\n    plain\n\nfailures:\n\n---- fixed_b stdout ----\n\n\
        thread 'fixed_b' panicked at src/a.rs:1:1:\nCausality violation\n\nfailures:\n    fixed_b\n";

    const STDERR: &str = "loom explored 7847 executions (fixed_a at src/check.rs:4)\n\
        loom explored 3 executions (fixed_a at src/check.rs:9, preemption bound 2)\n\
        warning: only 3 executions: the model may never reach the racing access (fixed_a)\n\
        loom failed in execution 5 (fixed_b at src/check.rs:20)\n";

    #[test]
    fn the_failing_test_and_its_own_section() {
        let parsed = parse(STDOUT, STDERR);
        let (name, text) = parsed.failing.unwrap();
        assert_eq!(name, "fixed_b");
        assert!(text.contains("Causality violation"), "{text}");
        assert!(!text.contains("noise"), "{text}");
        assert_eq!(parsed.passed, 2);
    }

    #[test]
    fn counts_come_from_the_shim_then_from_loom_else_unknown() {
        let parsed = parse(STDOUT, STDERR);
        let a = &parsed.models[0];
        assert_eq!(
            (a.test.as_str(), a.executions, a.bounded),
            ("fixed_a", Some(7850), true)
        );
        let b = &parsed.models[1];
        assert_eq!((b.executions, b.failed), (Some(5), true));
        assert_eq!(parsed.models[2].executions, Some(12));
        let unknown = parse("test quiet ... ok\n", "");
        assert_eq!(unknown.models[0].executions, None);
        assert_eq!(
            describe(&unknown.models, "`"),
            "`quiet` (executions unknown)"
        );
    }

    #[test]
    fn a_pass_on_one_model_or_on_few_executions_is_thin() {
        let model = |test: &str, n| Model {
            test: test.into(),
            executions: n,
            failed: false,
            bounded: false,
        };
        assert!(thin(&[model("a", Some(5000))]), "one model");
        assert!(thin(&[model("a", Some(3)), model("b", Some(9))]));
        assert!(thin(&[model("a", None), model("b", None)]));
        assert!(!thin(&[model("a", Some(3)), model("b", Some(10))]));
        assert_eq!(thousands(7847), "7,847");
        assert_eq!(thousands(118), "118");
    }
}
