//! What ThreadSanitizer sees: `cargo xtask tsan spinlock`, which builds this file with
//! `-Zsanitizer=thread` on the pinned nightly and checks each test's verdict against the
//! `[package.metadata.tsan]` table in Cargo.toml.
//!
//! Every test is `#[ignore]`d: the Relaxed lock is a real data race (undefined behaviour when
//! run natively), and the others only mean something under the sanitizer.
#![cfg(not(loom))]

use spinlock::{Lock, broken_relaxed, broken_weak, fixed};
use std::thread;
use support::barrier::SpinBarrier;

/// Two threads each push into one shared `Vec` under the lock, twice. They meet first at a
/// (Relaxed, so edge-free) start line: without it one thread can finish before the other is
/// spawned, and TSan then finds an edge between them through std's thread start-up and
/// shutdown, and misses the bug.
fn push_from_two_threads<L: Lock<Vec<usize>> + Sync>() {
    let lock = L::new(Vec::new());
    let start_line = SpinBarrier::new(2);
    thread::scope(|s| {
        for index in 0..2 {
            let (lock, start_line) = (&lock, &start_line);
            s.spawn(move || {
                start_line.wait();
                for _ in 0..2 {
                    lock.lock().push(index);
                }
            });
        }
    });
    assert_eq!(lock.lock().len(), 4);
}

/// The Relaxed lock: the critical sections are not ordered, and TSan reports the race.
#[test]
#[ignore = "undefined behaviour: run by cargo xtask tsan, which expects a data race"]
fn broken_relaxed_critical_sections_are_reported_as_a_race() {
    push_from_two_threads::<broken_relaxed::SpinLock<_>>();
}

/// The control: the fixed lock's Acquire CAS and Release unlock. TSan stays silent.
#[test]
#[ignore = "run by cargo xtask tsan, which expects no report"]
fn fixed_lock_is_clean() {
    push_from_two_threads::<fixed::SpinLock<_>>();
}

/// TSan's blind spot, as loom's: its `compare_exchange_weak` is the strong one, so the lock
/// that parks forever after a spurious failure passes (Miri deadlocks on the same test).
#[test]
#[ignore = "run by cargo xtask tsan, which expects it to pass"]
fn inherited_lock_passes_because_weak_cas_never_fails_spuriously() {
    let lock = broken_weak::SpinLock::new(0u64);
    for _ in 0..1000 {
        *lock.lock() += 1;
    }
    assert_eq!(*lock.lock(), 1000);
}
