//! Real threads on this machine: `cargo test -p spsc`.
//!
//! The fixed queue must deliver every message exactly once and in order. The queue whose
//! positions wrap at the capacity runs here only in the stalled-consumer scenario, where nothing
//! races and its loss is exact. Run with both sides busy, its overwrite of an unread slot races
//! with the consumer's read of it: undefined behaviour, so that run is left to loom
//! (`tests/loom.rs`) and never made on real threads. The Relaxed queue is a data race on every
//! run; it appears only in `tests/miri.rs`, `#[ignore]`d.
#![cfg(not(loom))]

use spsc::{Pop, Push, broken_index, check, fixed};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;

/// Pushes `0..messages` through a fresh queue of `capacity` from one thread
/// while another pops, and returns what the consumer received. The producer
/// retries while the queue is full; the consumer stops once the producer is
/// done and the queue is empty.
fn pass_through<P: Push<u64>>(capacity: usize, messages: u64) -> Vec<u64> {
    let (mut producer, mut consumer) = P::channel(capacity);
    let done = AtomicBool::new(false);
    thread::scope(|s| {
        s.spawn(|| {
            for message in 0..messages {
                let mut value = message;
                while let Err(back) = producer.push(value) {
                    value = back;
                    std::hint::spin_loop();
                }
            }
            // Release: pairs with the consumer's Acquire load below.
            done.store(true, Ordering::Release);
        });
        let mut received = Vec::with_capacity(messages as usize);
        loop {
            if let Some(message) = consumer.pop() {
                received.push(message);
            // Acquire: every push happened before `done`; one more
            // empty pop after seeing it means nothing is left.
            } else if done.load(Ordering::Acquire) {
                received.extend(std::iter::from_fn(|| consumer.pop()));
                return received;
            } else {
                std::hint::spin_loop();
            }
        }
    })
}

// ANCHOR: ten_million
#[test]
#[cfg_attr(miri, ignore)]
fn fixed_delivers_ten_million_messages_once_each_in_order() {
    const MESSAGES: u64 = 10_000_000;
    let received = pass_through::<fixed::Producer<u64>>(1024, MESSAGES);
    assert_eq!(received.len() as u64, MESSAGES, "lost or duplicated");
    if let Some(i) = (0..received.len()).find(|&i| received[i] != i as u64) {
        panic!("message {i} arrived as {}", received[i]);
    }
}
// ANCHOR_END: ten_million

#[test]
#[cfg_attr(miri, ignore)]
fn fixed_delivers_in_order_through_tiny_rings() {
    for capacity in [1, 2, 3] {
        let received = pass_through::<fixed::Producer<u64>>(capacity, 200_000);
        assert!(
            received.iter().copied().eq(0..200_000),
            "capacity {capacity}: lost, duplicated or reordered"
        );
    }
}

// ANCHOR: broken_index_full_ring
#[test]
fn positions_that_wrap_at_the_capacity_lose_a_full_ring() {
    // The consumer waits until the producer has offered one ring's worth,
    // so no slot is touched by both at once: the loss is arithmetic alone.
    let full_ring = || check::full_ring::<broken_index::Producer<u64>>(1024, 1024);
    let report = support::expect_bug("lost or duplicated messages", full_ring);
    // All 1024 were accepted; the consumer found the full ring empty.
    let accepted: Vec<u64> = (0..1024).collect();
    assert!(report.contains("left: []"), "{report}");
    assert!(report.contains(&format!("right: {accepted:?}")), "{report}");
}
// ANCHOR_END: broken_index_full_ring

#[test]
fn push_hands_the_value_back_when_full_and_pop_says_none_when_empty() {
    let (mut producer, mut consumer) = fixed::channel(2);
    assert_eq!(consumer.pop(), None::<String>);
    assert_eq!(producer.push("a".to_owned()), Ok(()));
    assert_eq!(producer.push("b".to_owned()), Ok(()));
    assert_eq!(producer.push("c".to_owned()), Err("c".to_owned()));
    assert_eq!(consumer.pop().as_deref(), Some("a"));
    assert_eq!(producer.push("c".to_owned()), Ok(()));
    assert_eq!(consumer.pop().as_deref(), Some("b"));
    assert_eq!(consumer.pop().as_deref(), Some("c"));
    assert_eq!(consumer.pop(), None);
}

#[test]
fn a_capacity_that_is_not_a_power_of_two_is_kept_exactly() {
    let (mut producer, mut consumer) = fixed::channel(3);
    for round in 0..10u32 {
        for i in 0..3 {
            assert_eq!(producer.push(round * 3 + i), Ok(()));
        }
        assert_eq!(producer.push(99), Err(99), "round {round}");
        for i in 0..3 {
            assert_eq!(consumer.pop(), Some(round * 3 + i));
        }
    }
}

#[test]
#[should_panic(expected = "at least one value")]
fn a_capacity_of_zero_is_refused() {
    let _ = fixed::channel::<u8>(0);
}

/// Counts its drops, so a test can see each value dropped exactly once.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

// ANCHOR: drops_leftovers
#[test]
fn values_left_in_the_queue_are_dropped_once_when_both_halves_are_gone() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (mut producer, mut consumer) = fixed::channel(4);
    for _ in 0..4 {
        assert!(producer.push(Counted(Arc::clone(&drops))).is_ok());
    }
    drop(consumer.pop()); // one popped and dropped by us
    assert!(producer.push(Counted(Arc::clone(&drops))).is_ok());
    // The halves go on different threads; the last one frees the ring.
    thread::spawn(move || drop(producer)).join().unwrap();
    assert_eq!(drops.load(Ordering::Relaxed), 1, "the ring is still alive");
    thread::spawn(move || drop(consumer)).join().unwrap();
    assert_eq!(drops.load(Ordering::Relaxed), 5, "each value dropped once");
}
// ANCHOR_END: drops_leftovers

#[test]
fn both_halves_are_send() {
    fn send<T: Send>() {}
    send::<fixed::Producer<Vec<u8>>>();
    send::<fixed::Consumer<Vec<u8>>>();
}
