//! Small tests for Miri, which runs each under 16 schedules: `cargo xtask miri spinlock`.
//!
//! The `#[ignore]`d tests are the broken locks. The inherited lock must deadlock under Miri's
//! default spurious weak-CAS failures and pass when they are turned off (the control); the
//! Relaxed lock must be reported as a data race. Neither is run by a plain `cargo test`.
#![cfg(not(loom))]

use spinlock::{Lock, broken_relaxed, broken_weak, fixed};
use std::thread;

/// `threads` threads each push their index `rounds` times into one shared `Vec`, a heap value,
/// so Miri's race detector and leak checker both watch the guarded data.
fn push_from_threads<L: Lock<Vec<usize>> + Sync>(threads: usize, rounds: usize) -> Vec<usize> {
    let lock = L::new(Vec::new());
    thread::scope(|s| {
        for index in 0..threads {
            let lock = &lock;
            s.spawn(move || {
                for _ in 0..rounds {
                    lock.lock().push(index);
                }
            });
        }
    });
    let mut pushed = lock.lock().clone();
    pushed.sort_unstable();
    pushed
}

#[test]
fn fixed_lock_keeps_every_push() {
    let pushed = push_from_threads::<fixed::SpinLock<_>>(3, 4);
    assert_eq!(pushed, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
}

// ANCHOR: miri_deadlock
/// One thread, no contention: it takes and releases the lock ten times.
/// Under Miri's default, 80 % of weak CASes fail spuriously; the first one
/// that does sends the thread to park, waiting for an unlock that no one
/// will make.
#[test]
#[ignore = "deadlocks under Miri: run by cargo xtask miri"]
fn broken_weak_deadlocks_on_a_spurious_failure() {
    let lock = broken_weak::SpinLock::new(0u64);
    for _ in 0..10 {
        *lock.lock() += 1;
    }
    assert_eq!(*lock.lock(), 10);
}
// ANCHOR_END: miri_deadlock

// ANCHOR: miri_relaxed
#[test]
#[ignore = "undefined behaviour: run only under Miri (cargo xtask miri)"]
fn broken_relaxed_critical_sections_race() {
    push_from_threads::<broken_relaxed::SpinLock<_>>(2, 2);
}
// ANCHOR_END: miri_relaxed
