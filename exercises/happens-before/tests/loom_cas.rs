//! Lesson 8's hand-off slot under loom: `RUSTFLAGS="--cfg loom" cargo test -p happens-before
//! --release --test loom_cas`. The model checker is the oracle (`tests/model_cas.rs`); these
//! tests compare what loom produces with what it allows.
#![cfg(loom)]

mod outcomes;

use happens_before::cas::handoff::{self, Found, Seen, Shared};
use happens_before::cas::{broken_acquire_handoff, broken_release_handoff, check};
use model::Model;
use model::program::Var;
use std::collections::BTreeSet;

/// Every outcome the model allows for `litmus/<file>`, as `(middle, last)`; `file` must name
/// all four registers in its condition.
fn allowed(file: &str) -> BTreeSet<Seen> {
    let verdict = outcomes::verdict(file, Model::Cpp20);
    let register = |state: &model::verdict::State, thread, reg: &str| {
        let var = Var::Reg {
            thread,
            reg: reg.to_owned(),
        };
        let value = state.get(&var).expect("the condition names every register");
        u64::try_from(value).expect("the program stores only 0, 1, 2, 10 and 20")
    };
    verdict
        .states
        .keys()
        .map(|s| {
            let middle = (register(s, 1, "took"), register(s, 1, "note"));
            let last = (register(s, 2, "found"), register(s, 2, "note"));
            (middle, last)
        })
        .collect()
}

/// loom's outcomes with `middle`, sorted, and how many executions it ran (both printed).
fn loom(name: &str, middle: fn(&Shared) -> Found) -> (BTreeSet<Seen>, usize) {
    let (seen, executions) = check::every_outcome_of_the_handoff(middle);
    let seen: BTreeSet<Seen> = seen.into_iter().collect();
    eprintln!("{name}: {executions} executions, outcomes {seen:?}");
    (seen, executions)
}

// ANCHOR: acq_rel_handoff
#[test]
fn an_acq_rel_swap_receives_and_publishes() {
    let (seen, executions) = loom("AcqRel", handoff::middle);
    assert!(!seen.iter().any(|&s| handoff::stale(s)), "{seen:?}");
    // The oracle: loom produces exactly the model's outcomes, the ones that need weak memory
    // included.
    assert_eq!(seen, allowed("handoff.litmus"));
    // Exhaustive, and the count lesson 8 states: a loom upgrade that changes it fails here.
    assert_eq!(executions, 5_785);
}
// ANCHOR_END: acq_rel_handoff

#[test]
fn an_acquire_swap_publishes_nothing() {
    let (seen, _) = loom("Acquire", broken_acquire_handoff::middle);
    // The last thread finds id 2 and reads note 2 as unwritten.
    assert!(seen.iter().any(|&(_, last)| last == (2, 0)), "{seen:?}");
    assert!(
        !seen.iter().any(|&(middle, _)| middle == (1, 0)),
        "{seen:?}"
    );
}

#[test]
fn a_release_swap_receives_nothing() {
    let (seen, _) = loom("Release", broken_release_handoff::middle);
    // The middle takes id 1 and reads note 1 as unwritten.
    assert!(seen.iter().any(|&(middle, _)| middle == (1, 0)), "{seen:?}");
    assert!(!seen.iter().any(|&(_, last)| last == (2, 0)), "{seen:?}");
}
