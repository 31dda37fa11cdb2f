//! Small tests for Miri, which runs each under 16 schedules: `cargo xtask miri spsc`.
//!
//! The values are `String`s, so Miri also checks that the queue frees each value once. The
//! `#[ignore]`d test is the Relaxed queue, which Miri must report as a data race; it is never
//! run natively (the race is undefined behaviour).
#![cfg(not(loom))]

use spsc::{Pop, Push, broken_relaxed, fixed};
use std::{hint, thread};

/// Passes `messages` strings through a ring of `capacity` slots and checks
/// that they arrive whole and in order.
fn strings_arrive_in_order(capacity: usize, messages: usize) {
    let (mut producer, mut consumer) = fixed::channel(capacity);
    thread::scope(|s| {
        s.spawn(move || {
            for i in 0..messages {
                let mut value = i.to_string();
                while let Err(back) = producer.push(value) {
                    value = back;
                    hint::spin_loop();
                }
            }
        });
        for i in 0..messages {
            let value = loop {
                match consumer.pop() {
                    Some(value) => break value,
                    None => hint::spin_loop(),
                }
            };
            assert_eq!(value, i.to_string());
        }
        assert_eq!(consumer.pop(), None);
    });
}

#[test]
fn strings_pass_through_a_ring_of_two() {
    strings_arrive_in_order(2, 20);
}

#[test]
fn strings_pass_through_a_ring_of_three() {
    strings_arrive_in_order(3, 20);
}

#[test]
fn values_left_behind_are_freed_by_the_last_half_to_go() {
    let (mut producer, mut consumer) = fixed::channel(4);
    thread::scope(|s| {
        s.spawn(move || {
            for i in 0..4 {
                producer.push(format!("left {i}")).unwrap();
            }
        });
        s.spawn(move || {
            // Whatever it finds, it pops and drops; the rest stays.
            let _ = consumer.pop();
        });
    });
}

// ANCHOR: miri_broken
#[test]
#[ignore = "undefined behaviour: run only under Miri (cargo xtask miri)"]
fn broken_relaxed_consumer_reads_a_slot_before_it_is_written() {
    let (mut producer, mut consumer) = broken_relaxed::channel(4);
    thread::scope(|s| {
        s.spawn(move || producer.push(42u64).unwrap());
        // A plain (non-atomic) read of the slot the other thread wrote.
        let value = loop {
            match consumer.pop() {
                Some(value) => break value,
                None => hint::spin_loop(),
            }
        };
        assert_eq!(value, 42);
    });
}
// ANCHOR_END: miri_broken
