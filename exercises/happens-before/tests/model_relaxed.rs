//! The model checker's answers for lesson 9: coherence (`src/coherence/`, and CoRR from the
//! litmus crate), load buffering and out-of-thin-air values, and what Release/Acquire on one
//! counter gives a monitor: `cargo test -p happens-before --test model_relaxed`.
#![cfg(not(loom))]

// Only `verdict` is used here; `stale_read` serves tests/model.rs and tests/loom.rs.
mod outcomes;

use model::verdict::Observation;
use model::{Model, Verdict};

/// Each final state as the model checker prints it (`0:r=1; x=2;`).
fn states(verdict: &Verdict) -> Vec<String> {
    verdict.states.keys().map(|s| s.to_string()).collect()
}

// ANCHOR: coherence
/// The four coherence rules, all with Relaxed accesses, under both models: each file asks
/// for the outcomes its rule forbids, and the model finds none.
#[test]
fn the_four_coherence_rules_hold_for_relaxed_accesses() {
    let rules = [
        // Read-read: the litmus crate's CoRR. Read 1, then 0? Never.
        (
            "../../litmus/model/corr-relaxed.litmus",
            vec!["1:r1=0; 1:r2=0;", "1:r1=0; 1:r2=1;", "1:r1=1; 1:r2=1;"],
        ),
        // Write-read: a thread reads its own store or one after it in x's order.
        (
            "cowr.litmus",
            vec!["0:r=1; x=1;", "0:r=1; x=2;", "0:r=2; x=2;"],
        ),
        // Read-write: a thread's store comes after the store its earlier load read.
        (
            "corw.litmus",
            vec!["0:r=0; x=1;", "0:r=0; x=2;", "0:r=2; x=1;"],
        ),
        // Write-write: a thread's two stores reach x's order in program order.
        ("coww.litmus", vec!["x=2;"]),
    ];
    for (file, allowed) in rules {
        for model in Model::ALL {
            let verdict = outcomes::verdict(file, model);
            assert_eq!(verdict.observation(), Observation::Never, "{file} {model}");
            assert_eq!(states(&verdict), allowed, "{file} {model}");
        }
    }
}
// ANCHOR_END: coherence

// ANCHOR: load_buffering
/// Load buffering with Relaxed accesses (the litmus crate's file): C++20 allows both loads
/// to read 1, by a cycle in sb ∪ rf that no interleaving produces; RC11's no-thin-air axiom
/// forbids it.
#[test]
fn relaxed_load_buffering_is_allowed_by_cpp20_and_not_by_rc11() {
    let file = "../../litmus/model/lb-relaxed.litmus";
    let cpp20 = outcomes::verdict(file, Model::Cpp20);
    assert_eq!(cpp20.observation(), Observation::Sometimes);
    let cycle: Vec<_> = cpp20
        .witnesses()
        .map(|(_, info)| (info.under_sc, info.thin_air))
        .collect();
    assert_eq!(cycle, [(false, true)], "weak memory, and an sb ∪ rf cycle");
    let rc11 = outcomes::verdict(file, Model::Rc11);
    assert_eq!(rc11.observation(), Observation::Never);
    // Release stores read by Acquire loads close it in both models (the lab's file); Acquire
    // loads with Relaxed stores do not, under C++20 (the checker's corpus).
    let release_acquire = "../../litmus/model/lb-release-acquire.litmus";
    for model in Model::ALL {
        let verdict = outcomes::verdict(release_acquire, model);
        assert_eq!(verdict.observation(), Observation::Never, "{model}");
    }
    let acquire_only = "../../model/corpus/LB+acq+acq.litmus";
    let verdict = outcomes::verdict(acquire_only, Model::Cpp20);
    assert_eq!(verdict.observation(), Observation::Sometimes);
}

/// The out-of-thin-air shape (the model crate's corpus: each thread copies what it read to
/// the other location): no execution produces 42, which no statement writes. The checker
/// drops the reads-from choice whose values would justify themselves.
#[test]
fn no_value_comes_out_of_thin_air() {
    let file = "../../model/corpus/LB+datas.litmus";
    for model in Model::ALL {
        let verdict = outcomes::verdict(file, model);
        assert_eq!(verdict.observation(), Observation::Never, "{model}");
        assert_eq!(states(&verdict), ["0:r0=0; 1:r0=0;"], "{model}");
    }
    assert!(outcomes::verdict(file, Model::Cpp20).undetermined > 0);
}
// ANCHOR_END: load_buffering

// ANCHOR: errors_and_requests
/// Release on the `errors` add and Acquire on its load: never more errors than requests,
/// and still no snapshot. (0, 2) is a pair the server's counters never held at one moment,
/// reached by a plain interleaving.
#[test]
fn release_acquire_on_errors_orders_the_counts_but_is_no_snapshot() {
    let verdict = outcomes::verdict("snapshot-release-acquire.litmus", Model::Cpp20);
    assert_eq!(
        verdict.observation(),
        Observation::Never,
        "errors > requests"
    );
    let pair = |s: &str| format!("1:errors_seen={}; 1:requests_seen={};", &s[0..1], &s[2..3]);
    let expected: Vec<_> = ["0,0", "0,1", "0,2", "1,1", "1,2"].map(pair).into();
    assert_eq!(states(&verdict), expected);
    let never_held = pair("0,2");
    let info = verdict
        .states
        .iter()
        .find(|(s, _)| s.to_string() == never_held);
    assert!(
        info.expect("(0, 2) is allowed").1.under_sc,
        "an interleaving"
    );
}
// ANCHOR_END: errors_and_requests
