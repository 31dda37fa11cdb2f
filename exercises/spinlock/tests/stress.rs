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
