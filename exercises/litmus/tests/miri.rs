//! Every litmus test, many times, for Miri: `cargo xtask miri litmus` runs this file under
//! four seeds.
//!
//! Miri's weak-memory emulation and its scheduler pick an outcome in each run. Whatever it
//! produces must be allowed by the model. Under Miri its known blind spots
//! (`KNOWN_MIRI_DEVIATIONS`: no LB, no 2+2W) are asserted too: with fixed seeds Miri is
//! deterministic, so if a new Miri produces one of those outcomes this fails and says which
//! table to update. Natively (`cargo test`) the same runs are a quick sample of the machine,
//! checked only against the model.
//!
//! Natively, "allowed by the model" is computed: the model checker (the `model` crate) reads
//! the variant's litmus file. Under Miri, whose isolation keeps the test from reading files
//! (and which would interpret the whole checker), it is the crate's [`litmus::Test::allowed`]
//! set, which `tests/model.rs` holds equal to the computed one.
#![cfg(not(loom))]

#[cfg(not(miri))]
mod common;

use litmus::deviations::{KNOWN_MIRI_DEVIATIONS, check, find};
use litmus::tests::{corr, iriw, lb, mp, sb, two_plus_two_w};
use litmus::{Expected, Outcome, Test, Variant, threads};
use std::collections::BTreeSet;

/// Runs of each set of orderings: enough under Miri for SB, MP and IRIW to show their weak
/// outcomes under each seed, within the two-minute budget for the whole file.
const RUNS: u64 = if cfg!(miri) { 12 } else { 300 };

/// The outcomes the model allows for this variant: computed natively, the crate's claim under
/// Miri.
fn allowed(test: &Test, variant: &Variant, expected: Expected) -> BTreeSet<Outcome> {
    #[cfg(not(miri))]
    {
        let _ = expected;
        common::compute(test, variant, model::Model::Cpp20)
            .unwrap_or_else(|problem| panic!("{problem}"))
            .allowed()
    }
    #[cfg(miri)]
    {
        let _ = variant;
        test.allowed(expected)
    }
}

fn miri_agrees(test: &'static Test) {
    let mut problems = Vec::new();
    for (variant, expected) in test.rows() {
        let tally = threads::run(test, variant, RUNS);
        let produced: BTreeSet<_> = tally.keys().copied().collect();
        let counts: Vec<String> = tally
            .iter()
            .map(|(o, n)| format!("({}) {n}", test.describe(o)))
            .collect();
        eprintln!("{} {}: {}", test.name, variant.orderings, counts.join(", "));
        // Natively, the blind spots are Miri's, not the machine's: check only the model.
        let deviation =
            find(KNOWN_MIRI_DEVIATIONS, test.name, variant.orderings).filter(|_| cfg!(miri));
        let verdict = check(
            "Miri",
            "KNOWN_MIRI_DEVIATIONS",
            test,
            variant.orderings,
            &allowed(test, variant, expected),
            deviation,
            &produced,
            false,
        );
        if let Err(problem) = verdict {
            problems.push(problem);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn sb() {
    miri_agrees(&sb::SB);
}

#[test]
fn mp() {
    miri_agrees(&mp::MP);
}

#[test]
fn lb() {
    miri_agrees(&lb::LB);
}

#[test]
fn iriw() {
    miri_agrees(&iriw::IRIW);
}

#[test]
fn two_plus_two_w() {
    miri_agrees(&two_plus_two_w::TWO_PLUS_TWO_W);
}

#[test]
fn corr() {
    miri_agrees(&corr::CORR);
}
