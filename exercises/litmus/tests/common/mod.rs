//! What the model checker (the `model` crate) computes for a variant, from the variant's own
//! litmus file, in the terms of the litmus crate: outcomes over the test's registers.
//!
//! Shared by `tests/model.rs`, `tests/loom.rs`, `tests/miri.rs` and `examples/model.rs` (which
//! `cargo xtask litmus` runs for the results page). Not every one of them uses every item.
#![allow(dead_code)]

use litmus::{Outcome, Test, Variant};
use model::program::Var;
use model::verdict::{State, StateInfo};
use model::{Model, Verdict};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The model checker's answer for one variant under one model.
pub struct Computed {
    pub verdict: Verdict,
    /// Every final state the model allows, as an outcome of the test (its registers, in the
    /// test's order), with whether some interleaving reaches it (`under_sc`).
    pub outcomes: BTreeMap<Outcome, StateInfo>,
}

impl Computed {
    /// The outcomes the model allows.
    pub fn allowed(&self) -> std::collections::BTreeSet<Outcome> {
        self.outcomes.keys().copied().collect()
    }

    /// The model's states, as its report prints them: `0:r1=0; 1:r2=1; (weak)`.
    pub fn states(&self) -> String {
        self.verdict
            .states
            .iter()
            .map(|(state, info)| {
                let weak = if info.under_sc { "" } else { " (weak)" };
                format!("{state}{weak}")
            })
            .collect::<Vec<_>>()
            .join("  ")
    }
}

/// The variant's litmus file.
pub fn path(variant: &Variant) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(variant.model)
}

/// Parses the variant's litmus file and checks it under `model`.
pub fn compute(test: &Test, variant: &Variant, model: Model) -> Result<Computed, String> {
    let row = format!("{} {}", test.name, variant.orderings);
    let path = path(variant);
    let verdict = model::check_path(&path, model).map_err(|e| format!("{row}: {e}"))?;
    let mut outcomes = BTreeMap::new();
    for (state, info) in &verdict.states {
        let outcome = project(test, state).map_err(|e| format!("{row}: {e}"))?;
        if outcomes.insert(outcome, info.clone()).is_some() {
            return Err(format!(
                "{row}: two of the model's states give ({}): the litmus file observes more \
                 than the test's registers",
                test.describe(&outcome)
            ));
        }
    }
    Ok(Computed { verdict, outcomes })
}

/// The outcome a model state stands for: each of the test's registers, in order, is the
/// register of that name (in whichever thread has it) or, for 2+2W, the location's final
/// value.
pub fn project(test: &Test, state: &State) -> Result<Outcome, String> {
    let mut values = Vec::new();
    for &name in test.registers {
        let matches: Vec<_> = state
            .0
            .iter()
            .filter(|(var, _)| match var {
                Var::Reg { reg, .. } => reg == name,
                Var::Loc(loc) => loc == name,
            })
            .collect();
        let [(_, value)] = matches.as_slice() else {
            return Err(format!(
                "the model's state `{state}` has {} variables named `{name}`, not one",
                matches.len()
            ));
        };
        values.push(u32::try_from(*value).map_err(|_| format!("`{name}` = {value} in `{state}`"))?);
    }
    Ok(Outcome::new(&values))
}

/// Checks that the variant's litmus file takes its threads from exactly the functions the
/// variant runs, in order, each from the file it is defined in (`thread a = fn NAME in
/// "PATH";`).
pub fn check_link(test: &Test, variant: &Variant) -> Result<(), String> {
    let row = format!("{} {}", test.name, variant.orderings);
    let path = path(variant);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{row}: cannot read {}: {e}", path.display()))?;
    let dir = path.parent().expect("a litmus file is in a directory");
    let mut named = Vec::new();
    for line in text.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix("thread ") else {
            continue;
        };
        let words: Vec<&str> = rest.split_whitespace().collect();
        let [_, "=", "fn", function, "in", file, ..] = words.as_slice() else {
            return Err(format!(
                "{row}: {}: `{line}` does not take its body from a function of the crate",
                path.display()
            ));
        };
        let file = file.trim_end_matches(';').trim_matches('"');
        let source = dir
            .join(file)
            .canonicalize()
            .map_err(|e| format!("{row}: {file}: {e}"))?;
        named.push(((*function).to_owned(), source));
    }
    let functions: Vec<&str> = named.iter().map(|(f, _)| f.as_str()).collect();
    let runs: Vec<&str> = variant.threads.iter().map(|t| t.function).collect();
    if functions != runs {
        return Err(format!(
            "{row}: {} reads the functions {functions:?}, but the variant runs {runs:?}",
            path.display()
        ));
    }
    for ((function, source), thread) in named.iter().zip(variant.threads) {
        if !source.ends_with(thread.source) {
            return Err(format!(
                "{row}: {} takes `{function}` from {}, but the variant runs the one in {}",
                path.display(),
                source.display(),
                thread.source
            ));
        }
    }
    Ok(())
}
