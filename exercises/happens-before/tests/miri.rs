//! Small tests for Miri, which runs each under 16 schedules: `cargo xtask miri happens-before`.
//!
//! The fixed programs must pass every schedule. Miri also makes `compare_exchange_weak` fail
//! spuriously (80 % of attempts by default), so the stack's CAS loop is exercised on its retry
//! path too. The `#[ignore]`d tests are the broken programs, which Miri's data-race detector
//! must catch; they are never run natively (their races are undefined behaviour). Receivers
//! spin until they see the flag, so the racing read really happens in every schedule.
#![cfg(not(loom))]

use happens_before::cas::{self, PushOnly};
use happens_before::message::{self, OneShot};
use happens_before::relaxed::{self, Completion};
use happens_before::{graph, message::stale};
use std::sync::atomic::{AtomicBool, Ordering};
use std::{hint, thread};

#[test]
fn fixed_programs_pass_every_schedule() {
    assert_eq!(graph::joined::write_join_then_read(), 42);
    if let Some(value) = message::exchange::<message::fixed::Mailbox>() {
        assert_eq!(value, message::PAYLOAD);
    }
    let seen @ (flag, first, second) = stale::publish_twice_read_once();
    assert!(flag == 0 || first == 1, "{seen:?}");
    assert!(flag < 2 || second == 1, "{seen:?}");
    assert!(cas::push_two_and_read::<cas::stack::Stack>().len() <= 2);
    assert_eq!(relaxed::counter::count_on_two_threads(), 4);
    let mut ids = relaxed::ids::three_ids();
    ids.sort_unstable();
    assert_eq!(ids, [0, 1, 2]);
    relaxed::stop::run_then_stop();
    let reading = relaxed::snapshot::count_then_read_both();
    assert!(reading.errors <= 1 && reading.requests <= 1, "{reading:?}");
    if let Some(sum) = relaxed::two_workers_and_a_reader::<relaxed::done_count::DoneCount>() {
        assert_eq!(sum, 3);
    }
}

/// A receiver that waits for the value, so that it always reads the payload.
fn wait_for<M: OneShot>(mailbox: &M) -> u64 {
    loop {
        if let Some(value) = mailbox.recv() {
            return value;
        }
        hint::spin_loop();
    }
}

/// Sends on one thread and waits on another.
fn send_and_wait<M: OneShot>() {
    let mailbox = M::new();
    thread::scope(|s| {
        // SAFETY: the only sender.
        s.spawn(|| unsafe { mailbox.send(message::PAYLOAD) });
        s.spawn(|| assert_eq!(wait_for(&mailbox), message::PAYLOAD));
    });
}

#[test]
fn the_fixed_mailbox_hands_over_the_payload() {
    send_and_wait::<message::fixed::Mailbox>();
}

#[test]
fn every_push_is_read_whole_while_weak_cas_fails_spuriously() {
    let stack = cas::stack::Stack::new();
    thread::scope(|s| {
        // SAFETY: one thread per slot, once.
        s.spawn(|| unsafe { stack.push(0, 10) });
        // SAFETY: as above.
        s.spawn(|| unsafe { stack.push(1, 11) });
        s.spawn(|| {
            while stack.values().len() < 2 {
                hint::spin_loop();
            }
        });
    });
    let mut values = stack.values();
    values.sort_unstable();
    assert_eq!(values, [10, 11]);
}

// ANCHOR: miri_broken
#[test]
#[ignore = "undefined behaviour: run only under Miri (cargo xtask miri)"]
fn broken_relaxed_store_races() {
    send_and_wait::<message::broken_relaxed_store::Mailbox>();
}
// ANCHOR_END: miri_broken

#[test]
#[ignore = "undefined behaviour: run only under Miri (cargo xtask miri)"]
fn broken_spawn_order_races() {
    graph::broken_spawn_order::spawn_writer_then_reader();
}

#[test]
#[ignore = "undefined behaviour: run only under Miri (cargo xtask miri)"]
fn broken_relaxed_load_races() {
    send_and_wait::<message::broken_relaxed_load::Mailbox>();
}

#[test]
#[ignore = "undefined behaviour: run only under Miri (cargo xtask miri)"]
fn broken_relaxed_push_races() {
    let stack = cas::broken_relaxed_push::Stack::new();
    thread::scope(|s| {
        // SAFETY: (claimed) one thread per slot, once.
        s.spawn(|| unsafe { stack.push(0, 10) });
        s.spawn(|| {
            while stack.values().is_empty() {
                hint::spin_loop();
            }
        });
    });
}

#[test]
#[ignore = "undefined behaviour: run only under Miri (cargo xtask miri)"]
fn broken_done_count_races() {
    let count = relaxed::broken_done_count::DoneCount::new();
    thread::scope(|s| {
        for worker in 0..relaxed::WORKERS {
            let count = &count;
            // SAFETY: (claimed) one thread per worker index, once.
            s.spawn(move || unsafe { count.finish(worker, 1) });
        }
        s.spawn(|| {
            while count.sum_if_all_done().is_none() {
                hint::spin_loop();
            }
        });
    });
}

// ANCHOR: lone_weak_cas
/// One thread, one weak CAS on a value that matches. Miri fails it spuriously (the control
/// run, with `-Zmiri-compare-exchange-weak-failure-rate=0.0`, passes); loom never does.
#[test]
#[ignore = "a claim about Miri: run only under Miri (cargo xtask miri)"]
fn a_lone_weak_cas_can_fail() {
    let flag = AtomicBool::new(false);
    let claimed = flag.compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed);
    assert!(
        claimed.is_ok(),
        "the weak CAS failed spuriously: the value matched"
    );
}
// ANCHOR_END: lone_weak_cas
