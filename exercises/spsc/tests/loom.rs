//! The checker's verdicts: `RUSTFLAGS="--cfg loom" cargo test -p spsc --release`.
//!
//! Every model is exhaustive. Each expected failure has a test of its own: a loom execution
//! that panics unwinds through the queue's destructor, and keeping the failures apart keeps
//! one from masking another.
#![cfg(loom)]

use spsc::{ablation, broken_index, broken_relaxed, check, fixed};

// ANCHOR: broken_is_caught
#[test]
fn relaxed_positions_let_the_consumer_read_an_unwritten_slot() {
    type Broken = broken_relaxed::Producer<u64>;
    let model = || check::delivers_in_order::<Broken>(2, 3);
    support::expect_bug("Causality violation", model);
}

#[test]
fn positions_that_wrap_at_the_capacity_lose_messages_when_full() {
    type Broken = broken_index::Producer<u64>;
    let model = || check::full_ring_keeps_order::<Broken>(2, 3);
    let report = support::expect_bug("lost or duplicated messages", model);
    assert!(report.contains("left: [2]"), "{report}");
}
// ANCHOR_END: broken_is_caught

#[test]
fn positions_that_wrap_at_the_capacity_also_race_on_the_overwritten_slot() {
    // Exhaustively, loom first meets the producer writing a slot while the consumer reads it.
    let model = || check::delivers_in_order::<broken_index::Producer<u64>>(2, 3);
    support::expect_bug("Causality violation", model);
}

#[test]
fn fixed_refuses_what_does_not_fit_and_keeps_the_rest() {
    check::full_ring_keeps_order::<fixed::Producer<u64>>(2, 3);
}

#[test]
fn fixed_delivers_three_messages_through_two_slots() {
    check::delivers_in_order::<fixed::Producer<u64>>(2, 3);
}

#[test]
fn fixed_delivers_three_messages_through_one_slot() {
    check::delivers_in_order::<fixed::Producer<u64>>(1, 3);
}

/// The batch API: a chunk of two fills the ring of two, a chunk of one reuses slot 0, and the
/// consumer reads one value, then a chunk of two. Every slot is handed over in both directions
/// by a chunk's single store, which is what the batch path adds; three messages through two
/// slots keep loom's state space small.
#[test]
fn fixed_chunks_hand_over_slots_in_both_directions() {
    use support::thread;
    support::model(|| {
        let (mut producer, mut consumer) = fixed::channel::<u64>(2);
        let sender = thread::spawn(move || {
            for (chunk, values) in [(2, &[0u64, 1][..]), (1, &[2][..])] {
                let mut reserved = loop {
                    match producer.write_chunk(chunk) {
                        Some(reserved) => break reserved,
                        None => thread::yield_now(),
                    }
                };
                for &value in values {
                    assert!(reserved.push(value).is_ok(), "the chunk has room");
                }
                reserved.commit();
            }
        });
        let mut received = Vec::new();
        for chunk in [1, 2] {
            let reserved = loop {
                match consumer.read_chunk(chunk) {
                    Some(reserved) => break reserved,
                    None => thread::yield_now(),
                }
            };
            received.extend(reserved);
        }
        sender.join().unwrap();
        assert_eq!(received, [0, 1, 2], "lost or duplicated messages");
        assert!(consumer.read_chunk(1).is_none(), "duplicated message");
    });
}

/// The bench's ablation queues are a second implementation of the fixed algorithm; the
/// chapter's numbers are only worth reading if they are correct too.
#[test]
fn ablation_without_cached_positions_is_still_correct() {
    check::delivers_in_order::<ablation::no_cache::Producer<u64>>(2, 3);
    check::full_ring_keeps_order::<ablation::no_cache::Producer<u64>>(2, 3);
}

#[test]
fn ablation_with_head_and_tail_closer_is_still_correct() {
    check::delivers_in_order::<ablation::apart_64::Producer<u64>>(2, 3);
    check::delivers_in_order::<ablation::adjacent::Producer<u64>>(2, 3);
    check::full_ring_keeps_order::<ablation::adjacent::Producer<u64>>(2, 3);
}

/// The learner loop's test: `cargo xtask learn spsc` runs only this one.
#[cfg(learner = "spsc")]
#[test]
fn learner_attempt() {
    type Attempt = spsc::attempt::Producer<u64>;
    check::delivers_in_order::<Attempt>(2, 3);
    check::delivers_in_order::<Attempt>(1, 3);
    check::full_ring_keeps_order::<Attempt>(2, 3);
}
