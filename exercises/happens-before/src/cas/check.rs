//! The checker for lesson 8 (compiled only under `--cfg loom`).

use crate::cas::handoff::{self, Found, Seen, Shared};
use crate::cas::{PushOnly, push_two_and_read};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

// ANCHOR: reader_sees_whole_nodes
/// Two pushers and a reader. Whatever the reader finds must be a consistent list: newest
/// first, made only of values that were pushed, each at most once. Exhaustive: four threads
/// (the main thread joins), and each push is a load plus one or two CAS attempts.
pub fn reader_sees_whole_nodes<S: PushOnly>() {
    support::model(|| {
        let seen = push_two_and_read::<S>();
        assert!(seen.len() <= 2, "the reader walked too far: {seen:?}");
        for value in &seen {
            assert!(
                *value == 10 || *value == 11,
                "the reader saw a node before its value: {seen:?}"
            );
        }
        if let [newer, older] = seen[..] {
            assert_ne!(newer, older, "the reader saw one node twice: {seen:?}");
        }
    });
}
// ANCHOR_END: reader_sees_whole_nodes

// ANCHOR: every_outcome_of_the_handoff
/// Every outcome of the hand-off slot, with `middle` as its middle thread, that loom produces,
/// and how many executions loom ran. Exhaustive: three threads (the main thread runs
/// `first`), six atomic accesses.
pub fn every_outcome_of_the_handoff(middle: fn(&Shared) -> Found) -> (HashSet<Seen>, usize) {
    // A std mutex made outside the model: it collects across executions, unseen by loom.
    let tally = Arc::new(Mutex::new((HashSet::new(), 0)));
    let collected = Arc::clone(&tally);
    support::model(move || {
        let seen = handoff::hand_on(middle);
        let mut tally = collected.lock().unwrap();
        tally.0.insert(seen);
        tally.1 += 1;
    });
    tally.lock().unwrap().clone()
}
// ANCHOR_END: every_outcome_of_the_handoff
