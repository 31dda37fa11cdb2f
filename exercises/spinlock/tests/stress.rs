//! Real threads on this machine: `cargo test -p spinlock`.
//!
//! The fixed lock must keep every increment. The inherited lock is exercised too, on x86 only:
//! there a weak CAS never fails spuriously, so it is as correct as it looks, and it passes
//! (which is how it got inherited). The Relaxed lock is not run: its race is undefined
//! behaviour, and what it would show on x86 is nothing (the chapter says why).
#![cfg(not(loom))]

use spinlock::{Lock, broken_weak, fixed};
use std::thread;
use support::barrier::SpinBarrier;

/// `threads` threads start together and each adds one, `per_thread` times, under the lock.
fn count<L: Lock<u64> + Sync>(threads: usize, per_thread: u64) -> u64 {
    let lock = L::new(0);
    let start_line = SpinBarrier::new(threads);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                start_line.wait();
                for _ in 0..per_thread {
                    *lock.lock() += 1;
                }
            });
        }
    });
    *lock.lock()
}

// ANCHOR: stress_fixed
#[test]
#[cfg_attr(miri, ignore)]
fn fixed_lock_keeps_every_increment() {
    for threads in [2, 4] {
        let total = count::<fixed::SpinLock<u64>>(threads, 250_000);
        assert_eq!(total, threads as u64 * 250_000, "{threads} threads");
    }
}
// ANCHOR_END: stress_fixed

/// The inherited lock's tests, as its authors ran them: on x86 they pass.
#[test]
#[cfg_attr(miri, ignore)]
#[cfg(any(target_arch = "x86_64", target_arch = "x86"))]
fn inherited_lock_passes_on_x86() {
    for threads in [2, 4] {
        let total = count::<broken_weak::SpinLock<u64>>(threads, 100_000);
        assert_eq!(total, threads as u64 * 100_000, "{threads} threads");
    }
}

#[test]
fn the_guard_reads_and_writes_the_value() {
    let lock = fixed::SpinLock::new(String::from("a"));
    lock.lock().push('b');
    assert_eq!(*lock.lock(), "ab");
}

// ANCHOR: api
/// `const fn new`: a lock in a `static`, shared by every thread.
static TOTAL: fixed::SpinLock<u64> = fixed::SpinLock::new(0);

#[test]
fn a_static_lock_counts_every_increment() {
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| (0..1000).for_each(|_| *TOTAL.lock() += 1));
        }
    });
    assert_eq!(*TOTAL.lock(), 2000);
}

#[test]
fn try_lock_fails_only_while_the_lock_is_held() {
    let lock = fixed::SpinLock::new(1);
    let guard = lock.try_lock().expect("a free lock is taken");
    assert!(lock.try_lock().is_none(), "held: no second guard");
    drop(guard);
    // The strong CAS never fails spuriously: a free lock is taken every time.
    for _ in 0..1000 {
        assert!(lock.try_lock().is_some());
    }
}

/// No poisoning: a panic unwinds through the guard, whose `drop` unlocks,
/// and the next holder sees the value as the panicking thread left it.
#[test]
fn a_panic_while_locked_unlocks_and_leaves_the_half_done_update() {
    let pair = fixed::SpinLock::new((0, 0));
    let result = thread::scope(|s| {
        s.spawn(|| {
            let mut guard = pair.lock();
            guard.0 += 1;
            panic!("between the two halves of an update");
        })
        .join()
    });
    assert!(result.is_err());
    assert_eq!(*pair.try_lock().expect("unlocked by the unwind"), (1, 0));
}
// ANCHOR_END: api

/// What the bounds promise, checked by the compiler.
#[test]
fn send_and_sync_bounds() {
    fn sync<T: Sync>() {}
    fn send<T: Send>() {}
    sync::<fixed::SpinLock<std::cell::Cell<u8>>>();
    send::<fixed::SpinLock<std::cell::Cell<u8>>>();
    send::<fixed::Guard<'static, std::cell::Cell<u8>>>();
    sync::<fixed::Guard<'static, u8>>();
}
