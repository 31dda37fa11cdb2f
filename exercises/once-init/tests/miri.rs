//! Small tests for Miri, which runs each under 16 schedules: `cargo xtask miri once-init`.
//!
//! The values are `String`s, so Miri also checks that the cell frees what it stores, once. The
//! `#[ignore]`d test is the broken Relaxed publication, which Miri must report as a data race;
//! it is never run natively (the race is undefined behaviour).
#![cfg(not(loom))]

use once_init::{InitOnce, broken_relaxed, fixed};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::{hint, thread};

#[test]
fn three_threads_one_initialiser() {
    let cell = fixed::OnceCell::new();
    let runs = AtomicUsize::new(0);
    thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                let value = cell.get_or_init(|| {
                    runs.fetch_add(1, Ordering::Relaxed);
                    String::from("made once")
                });
                assert_eq!(value, "made once");
            });
        }
    });
    assert_eq!(runs.load(Ordering::Relaxed), 1);
}

#[test]
fn a_reader_that_sees_the_value_sees_all_of_it() {
    let cell = fixed::OnceCell::new();
    thread::scope(|s| {
        s.spawn(|| cell.set(String::from("published")).unwrap());
        s.spawn(|| {
            // Non-atomic reads of the string's bytes: a race if the publication were wrong.
            while cell.get().is_none() {
                hint::spin_loop();
            }
            assert_eq!(cell.get().unwrap(), "published");
        });
    });
}

#[test]
fn a_panicking_initialiser_lets_a_waiter_take_over() {
    let cell = fixed::OnceCell::new();
    thread::scope(|s| {
        s.spawn(|| {
            let _ = std::panic::catch_unwind(|| {
                cell.get_or_init(|| std::panic::resume_unwind(Box::new("initialiser failed")))
            });
        });
        s.spawn(|| assert_eq!(cell.get_or_init(|| String::from("second")), "second"));
    });
    assert_eq!(cell.get().unwrap(), "second");
}

#[test]
fn a_parked_waiter_is_woken_with_the_value() {
    // Miri stops with a deadlock if every thread is blocked: a lost wake-up would be one.
    let cell = fixed::OnceCell::<String>::new();
    thread::scope(|s| {
        let mut waiter = None;
        cell.get_or_init(|| {
            waiter = Some(s.spawn(|| cell.get_or_init(|| unreachable!("the owner runs")).clone()));
            while cell.waiting() == 0 {
                thread::yield_now();
            }
            String::from("from the owner")
        });
        assert_eq!(waiter.unwrap().join().unwrap(), "from the owner");
    });
}

// ANCHOR: miri_broken
#[test]
#[ignore = "undefined behaviour: run only under Miri (cargo xtask miri)"]
fn broken_relaxed_reader_races_with_the_initialiser() {
    let cell = broken_relaxed::OnceCell::new();
    thread::scope(|s| {
        s.spawn(|| cell.set(42u64).unwrap());
        s.spawn(|| {
            while cell.get().is_none() {
                hint::spin_loop();
            }
            // A plain (non-atomic) read of the value the other thread wrote.
            assert_eq!(*cell.get().unwrap(), 42);
        });
    });
}
// ANCHOR_END: miri_broken
