//! The checker for lessons 6 and 7 (compiled only under `--cfg loom`).

use crate::message::stale::{self, Seen};
use crate::message::{OneShot, PAYLOAD, exchange};
use std::collections::HashSet;
use std::sync::Mutex;

// ANCHOR: receiver_sees_the_payload
/// Every mailbox must pass this: in every interleaving loom can produce, a receiver either
/// finds the mailbox empty or gets exactly the payload. Two threads, one flag, one payload:
/// exhaustive, and it finishes in milliseconds.
pub fn receiver_sees_the_payload<M: OneShot>() {
    support::model(|| {
        if let Some(value) = exchange::<M>() {
            assert_eq!(
                value, PAYLOAD,
                "the receiver saw `ready` but a wrong payload"
            );
        }
    });
}
// ANCHOR_END: receiver_sees_the_payload

// ANCHOR: every_outcome
/// Every outcome of [`stale::publish_twice_read_once`] that loom produces: every
/// interleaving of the two threads, and for each load every older store loom lets it return.
pub fn every_outcome_of_publish_twice() -> HashSet<Seen> {
    // A std mutex made outside the model: it collects across executions, unseen by loom.
    let outcomes = std::sync::Arc::new(Mutex::new(HashSet::new()));
    let collected = std::sync::Arc::clone(&outcomes);
    support::model(move || {
        let seen = stale::publish_twice_read_once();
        collected.lock().unwrap().insert(seen);
    });
    outcomes.lock().unwrap().clone()
}
// ANCHOR_END: every_outcome
