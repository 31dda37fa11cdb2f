//! The model checker's answers (`exercises/model`, the C++20 memory model) for the programs
//! whose outcomes lessons 4 and 7 state: `cargo test -p happens-before --test model`. The
//! same files run from the command line:
//! `cargo run -p model --release -- exercises/happens-before/litmus/stale-read.litmus` and
//! `… exercises/litmus/model/sb-seqcst.litmus` (lesson 4's, from the litmus crate).
#![cfg(not(loom))]

mod outcomes;

use model::Model;
use model::verdict::Observation;

// ANCHOR: stale_read
/// Lesson 7: every outcome of the stale read, and the one that needs weak memory.
#[test]
fn the_stale_read_has_seven_outcomes_and_one_needs_weak_memory() {
    let outcomes = outcomes::stale_read(Model::Cpp20);
    let allowed: Vec<_> = outcomes.keys().copied().collect();
    assert_eq!(
        allowed,
        [
            (0, 0, 0),
            (0, 0, 1),
            (0, 1, 0),
            (0, 1, 1),
            (1, 1, 0),
            (1, 1, 1),
            (2, 1, 1)
        ]
    );
    let weak: Vec<_> = outcomes
        .iter()
        .filter_map(|(&seen, &needs_weak_memory)| needs_weak_memory.then_some(seen))
        .collect();
    // `second` set and `first` not: no interleaving, since the writer stores `first` before
    // `second` and the reader loads `second` before `first`.
    assert_eq!(weak, [(0, 0, 1)]);
    let verdict = outcomes::verdict("stale-read.litmus", Model::Cpp20);
    assert_eq!(verdict.observation(), Observation::Sometimes);
    assert!(verdict.races.is_empty(), "every access is atomic");
    // No load-buffering shape here, so RC11 as published agrees.
    assert_eq!(outcomes::stale_read(Model::Rc11), outcomes);
}
// ANCHOR_END: stale_read

// ANCHOR: sb_seqcst
/// Lesson 4: SB with all four accesses SeqCst (the litmus crate's file for it) never ends
/// with both loads reading 0, the outcome loom reports.
#[test]
fn seqcst_store_buffering_never_reads_zero_twice() {
    for model in Model::ALL {
        let verdict = outcomes::verdict("../../litmus/model/sb-seqcst.litmus", model);
        assert_eq!(verdict.observation(), Observation::Never, "{model}");
        // Each load reads 0 or the other thread's 1; the (0, 0) execution is rejected.
        assert_eq!((verdict.candidates, verdict.consistent), (4, 3), "{model}");
        assert_eq!(verdict.states.len(), 3, "{model}: (0, 1), (1, 0), (1, 1)");
        assert!(verdict.states.values().all(|s| s.under_sc), "{model}");
    }
}
// ANCHOR_END: sb_seqcst
