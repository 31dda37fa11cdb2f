//! The loom checks for lesson 6's chain (compiled only under `--cfg loom`).

use crate::chain::{DATA, Relay, Relayed, release_sequence, run};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

// ANCHOR: chain_hands_over
/// Runs the chain with `b` as thread B in every execution loom produces; in each, a C that
/// sees `flag2` must read A's data. Returns every outcome and the number of executions.
pub fn chain_hands_over(b: Relay) -> (BTreeSet<Relayed>, usize) {
    // std types made outside the model: they collect across executions, unseen by loom.
    let seen = Arc::new(Mutex::new((BTreeSet::new(), 0)));
    let record = Arc::clone(&seen);
    support::model(move || {
        let outcome = run(b);
        if outcome.c_saw_flag2 {
            assert_eq!(outcome.c_read, DATA, "C saw flag2 but not A's data");
        }
        let mut seen = record.lock().unwrap();
        seen.0.insert(outcome);
        seen.1 += 1;
    });
    let seen = seen.lock().unwrap();
    (seen.0.clone(), seen.1)
}
// ANCHOR_END: chain_hands_over

/// Runs the release-sequence program in every execution loom produces; a C that sees 2 must
/// read A's data. Returns every `(b_read, (c_flag, c_data))` and the number of executions.
pub fn release_sequence_hands_over() -> (BTreeSet<release_sequence::Seen>, usize) {
    let seen = Arc::new(Mutex::new((BTreeSet::new(), 0)));
    let record = Arc::clone(&seen);
    support::model(move || {
        let outcome = release_sequence::run();
        let (_, (flag, data)) = outcome;
        if flag == 2 {
            assert_eq!(data, DATA, "C read B's 2 but not A's data");
        }
        let mut seen = record.lock().unwrap();
        seen.0.insert(outcome);
        seen.1 += 1;
    });
    let seen = seen.lock().unwrap();
    (seen.0.clone(), seen.1)
}
