//! The checker for lesson 9 (compiled only under `--cfg loom`). Every model is exhaustive.

use crate::relaxed::snapshot::{self, Reading};
use crate::relaxed::{Completion, counter, ids, stop, two_workers_and_a_reader};
use std::collections::HashSet;
use std::sync::Mutex;

// ANCHOR: correct_uses
/// Two threads, two events each: the joined total is exact in every interleaving.
pub fn counter_is_exact() {
    support::model(|| {
        let total = counter::count_on_two_threads();
        assert_eq!(total, 4, "lost update: the counter reads {total}");
    });
}

/// The worker always stops, and its report (a plain write) reaches the main thread through
/// the join without a race.
pub fn stop_flag_stops_the_worker() {
    support::model(|| {
        stop::run_then_stop();
    });
}

/// Three threads take one ID each: no two get the same one.
pub fn ids_are_unique() {
    support::model(|| {
        let mut taken = ids::three_ids();
        taken.sort_unstable();
        assert_eq!(taken, [0, 1, 2], "two threads got the same ID");
    });
}
// ANCHOR_END: correct_uses

// ANCHOR: results_are_published
/// If the reader sees every worker counted, it must see every worker's result.
pub fn results_are_published<C: Completion>() {
    support::model(|| {
        if let Some(sum) = two_workers_and_a_reader::<C>() {
            assert_eq!(sum, 1 + 2, "the reader saw the count but not the results");
        }
    });
}
// ANCHOR_END: results_are_published

// ANCHOR: every_reading
/// Every reading of the two counters that loom can produce (exhaustive: two threads, four
/// atomic accesses).
pub fn every_reading_of_two_counters() -> HashSet<Reading> {
    // A std mutex made outside the model: it collects across executions, unseen by loom.
    let readings = std::sync::Arc::new(Mutex::new(HashSet::new()));
    let collected = std::sync::Arc::clone(&readings);
    support::model(move || {
        let reading = snapshot::count_then_read_both();
        collected.lock().unwrap().insert(reading);
    });
    readings.lock().unwrap().clone()
}
// ANCHOR_END: every_reading
