//! The model checker's answers (`exercises/model`, the C++20 memory model) for the outcomes
//! lesson 8 states: `cargo test -p happens-before --test model_cas`. Each file also runs from
//! the command line:
//! `cargo run -p model --release -- exercises/happens-before/litmus/handoff.litmus`.
#![cfg(not(loom))]

mod outcomes;

use model::verdict::Observation;
use model::{Model, Verdict};
use std::path::Path;

/// The model's verdict on `litmus/<file>` under C++20 and under RC11 as published.
fn both(file: &str) -> [Verdict; 2] {
    Model::ALL.map(|model| outcomes::verdict(file, model))
}

/// Asserts that both models answer `expected` for `litmus/<file>`, and returns their verdicts.
fn expect(file: &str, expected: Observation) -> [Verdict; 2] {
    let verdicts = both(file);
    for verdict in &verdicts {
        let model = verdict.model;
        assert_eq!(verdict.observation(), expected, "{file}, {model}");
    }
    verdicts
}

// ANCHOR: release_sequence
/// The stack's release sequence: B's CAS, a read-modify-write, continues the one A's CAS
/// heads, so a reader that acquires B's head may walk into A's node. With B's CAS replaced
/// by a store, the reader synchronizes with B only, and its read of A's node is a data race.
#[test]
fn a_read_modify_write_continues_a_release_sequence_and_a_store_does_not() {
    for verdict in expect("cas-push.litmus", Observation::Never) {
        assert!(verdict.races.is_empty(), "{}", verdict.model);
    }
    for verdict in expect("push-store.litmus", Observation::Sometimes) {
        let races: Vec<_> = verdict.races.iter().map(ToString::to_string).collect();
        assert_eq!(
            races,
            ["thread 0 (9:5) W value0=10 na ~ thread 2 (26:13) R value0=0 na"],
            "{}: A's write of node 0 against the reader's read of it, and nothing else",
            verdict.model
        );
    }
}

/// A release sequence is a contiguous run: any thread's read-modify-write continues it, even a
/// Relaxed one (the corpus's `RS+rmw`); a store by another thread ends it, and a
/// read-modify-write after that store does not bring it back.
#[test]
fn a_store_ends_a_release_sequence() {
    expect("../../model/corpus/RS+rmw.litmus", Observation::Never);
    expect("release-sequence-ended.litmus", Observation::Sometimes);
    expect("release-sequence-rmw.litmus", Observation::Never);
}

/// P0982 (C++20): a Relaxed store after a Release store to the same location, by the same
/// thread, ends the release sequence too. C++11 counted it in, and RC11 as published still
/// does: the corpus tests for it, with and without plain data.
#[test]
fn since_cpp20_even_the_same_thread_s_store_ends_it() {
    for file in ["RS+same-thread.litmus", "RS+same-thread+na.litmus"] {
        let path = format!("../../model/corpus/{file}");
        let cpp20 = outcomes::verdict(&path, Model::Cpp20);
        let rc11 = outcomes::verdict(&path, Model::Rc11);
        assert_eq!(cpp20.observation(), Observation::Sometimes, "{file}");
        assert_eq!(rc11.observation(), Observation::Never, "{file}");
    }
    let na = "../../model/corpus/RS+same-thread+na.litmus";
    assert!(!outcomes::verdict(na, Model::Cpp20).races.is_empty());
    assert!(outcomes::verdict(na, Model::Rc11).races.is_empty());
}
// ANCHOR_END: release_sequence

// ANCHOR: handoff
/// The hand-off slot: with the middle's swap AcqRel, no thread that got a note's id reads
/// that note as unwritten. Weakened to Acquire, the last thread can (note 2 is not
/// published); weakened to Release, the middle can (note 1 is not received). Each stale read
/// needs weak memory: no interleaving of the three threads gives it.
#[test]
fn the_middle_swap_needs_acq_rel() {
    for verdict in expect("handoff.litmus", Observation::Never) {
        assert_eq!(verdict.states.len(), 15, "{}", verdict.model);
    }
    for file in ["handoff-acquire.litmus", "handoff-release.litmus"] {
        for verdict in expect(file, Observation::Sometimes) {
            let weak_only = verdict.witnesses().all(|(_, info)| !info.under_sc);
            assert!(weak_only, "{file}: an interleaving gives the stale read");
        }
    }
}

/// The same hand-off with a CAS in the middle (`litmus/handoff-cas.litmus`): its success
/// ordering must be AcqRel too. The file is checked as written and with that ordering
/// weakened to Acquire and to Release.
#[test]
fn a_cas_in_the_middle_needs_acq_rel_on_success() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("litmus/handoff-cas.litmus");
    let text = std::fs::read_to_string(&path).unwrap();
    let cas = "compare_exchange(1, 2, AcqRel, Relaxed)";
    assert_eq!(text.matches(cas).count(), 1, "the middle's CAS, once");
    for (success, expected) in [
        ("AcqRel", Observation::Never),
        ("Acquire", Observation::Sometimes),
        ("Release", Observation::Sometimes),
    ] {
        let weakened = text.replace(cas, &cas.replace("AcqRel", success));
        let program =
            model::parse("handoff-cas.litmus", &weakened).unwrap_or_else(|e| panic!("{e}"));
        for model in Model::ALL {
            let verdict = model::check(&program, model).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(verdict.observation(), expected, "{success}, {model}");
        }
    }
}
// ANCHOR_END: handoff
