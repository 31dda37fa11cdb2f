//! The model checker's answers (`exercises/model`, the C++20 memory model) for the outcomes
//! the refcount chapter states: `cargo test -p refcount --test model`. Each file also runs
//! from the command line:
//! `cargo run -p model --release -- exercises/refcount/litmus/relaxed-drop.litmus`.
#![cfg(not(loom))]

use model::verdict::Observation;
use model::{Model, Verdict};
use std::path::Path;

/// The model's verdicts on `litmus/<file>`, under C++20 and under RC11 as published.
fn verdicts(file: &str) -> [Verdict; 2] {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("litmus")
        .join(file);
    Model::ALL.map(|model| model::check_path(&path, model).unwrap_or_else(|e| panic!("{e}")))
}

/// Asserts that both models answer `expected` for `litmus/<file>`, and returns the verdicts.
fn expect(file: &str, expected: Observation) -> [Verdict; 2] {
    let verdicts = verdicts(file);
    for verdict in &verdicts {
        assert_eq!(verdict.observation(), expected, "{file}, {}", verdict.model);
    }
    verdicts
}

/// The Relaxed drop: the owner that runs the destructor can miss the other handler's last
/// write (a state no interleaving reaches: it needs weak memory), and the two are a data
/// race. With Release decrements and the fence, it never can, and there is no race.
#[test]
fn only_the_fixed_drop_orders_the_last_write_before_the_destructor() {
    for verdict in expect("relaxed-drop.litmus", Observation::Sometimes) {
        let races: Vec<_> = verdict.races.iter().map(ToString::to_string).collect();
        assert_eq!(
            races,
            [
                "thread 0 (8:5) W by_a=1 na ~ thread 1 (18:9) R by_a=0 na",
                "thread 0 (11:9) R by_b=0 na ~ thread 1 (15:5) W by_b=1 na",
            ],
            "{}: each handler's write against the other owner's destructor, and nothing else",
            verdict.model
        );
        for (state, info) in verdict.witnesses() {
            assert!(
                !info.under_sc,
                "{}: {state:?} needs no weak memory",
                verdict.model
            );
        }
    }
    for verdict in expect("fixed-drop.litmus", Observation::Never) {
        assert!(verdict.races.is_empty(), "{}", verdict.model);
    }
}

/// The check-then-act decision: both owners can read zero after their decrements, and it
/// needs no weak memory (an interleaving reaches it), so no ordering can prevent it: SeqCst
/// everywhere allows it too. Deciding from the value `fetch_sub` returned, exactly one owner
/// frees.
#[test]
fn check_then_act_lets_both_owners_free_and_fetch_sub_does_not() {
    for file in ["check-then-act.litmus", "check-then-act-seqcst.litmus"] {
        for verdict in expect(file, Observation::Sometimes) {
            assert!(verdict.races.is_empty(), "{file}, {}", verdict.model);
            assert!(
                verdict.witnesses().any(|(_, info)| info.under_sc),
                "{file}, {}: an interleaving gives both owners zero",
                verdict.model
            );
        }
    }
    expect("decide-from-fetch-sub.litmus", Observation::Never);
}
