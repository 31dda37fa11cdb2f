//! The model checker's answers (`exercises/model`, the C++20 memory model that Rust's atomics
//! follow) for lesson 2's programs in `litmus/`: `cargo test -p races --test model`. Each file
//! also runs from the command line:
//! `cargo run -p model --release -- exercises/races/litmus/overdraft.litmus`.
#![cfg(not(loom))]

use model::verdict::Observation;
use model::{Model, Verdict};
use std::path::Path;

/// The model's verdict on `litmus/<file>`, under both of the checker's models (they differ only
/// on load buffering and release sequences, which none of these programs has).
fn verdict(file: &str) -> Verdict {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("litmus")
        .join(file);
    let [cpp20, rc11] =
        Model::ALL.map(|model| model::check_path(&path, model).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(cpp20.states, rc11.states, "{file}: the two models disagree");
    assert_eq!(cpp20.races.len(), rc11.races.len(), "{file}");
    cpp20
}

// ANCHOR: verdicts
/// The racy counter is a data race: the model reports the two threads' plain accesses.
#[test]
fn the_racy_counter_is_a_data_race() {
    let verdict = verdict("racy-counter.litmus");
    assert!(!verdict.races.is_empty(), "plain, and unordered");
    // One outcome is a lost update: the count ends at 1.
    assert_eq!(verdict.observation(), Observation::Sometimes);
}

/// The check-then-act withdrawal has no data race, and still ends at -20 in an ordinary
/// interleaving: a race condition.
#[test]
fn the_overdraft_is_a_race_condition_not_a_data_race() {
    let verdict = verdict("overdraft.litmus");
    assert!(verdict.races.is_empty(), "every access is atomic");
    assert_eq!(verdict.observation(), Observation::Sometimes);
    assert!(verdict.witnesses().all(|(_, info)| info.under_sc));
}

/// A compare-exchange that fails only reads, so a plain read beside it is no data race; the
/// same compare-exchange succeeding is a write, and races.
#[test]
fn a_failed_compare_exchange_is_not_a_write() {
    let fails = verdict("cas-fails.litmus");
    assert_eq!(fails.observation(), Observation::Never, "it cannot succeed");
    assert!(fails.races.is_empty(), "{:?}", fails.races);
    let succeeds = verdict("cas-succeeds.litmus");
    assert_eq!(succeeds.observation(), Observation::Always);
    assert_eq!(succeeds.races.len(), 1, "the write and the plain read");
}
// ANCHOR_END: verdicts
