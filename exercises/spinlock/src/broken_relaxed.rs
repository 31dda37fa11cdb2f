// A test-and-test-and-set spinlock, as it is often first written: "it is
// only a flag, so Relaxed will do". `cargo xtask learn spinlock` copies
// this file to `exercises/spinlock/attempt.rs` for you to fix; the checker
// must reject it as shipped. Only one thread at a time gets in. The data
// does not follow it.

use crate::{Lock, TryLock};
use std::ops::{Deref, DerefMut};
use support::cell::UnsafeCell;
use support::hint;
use support::sync::atomic::{AtomicBool, Ordering};

// ANCHOR: type
/// A lock that waits by spinning: for critical sections of a few
/// instructions, on machines with a core for every thread that wants it.
pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

/// Proof that this thread holds the lock. Dropping it unlocks.
pub struct Guard<'a, T> {
    lock: &'a SpinLock<T>,
}

// SAFETY: the lock hands `&mut T` to one thread at a time, so the value
// moves between threads (`T: Send`) but is never shared (no `T: Sync`).
unsafe impl<T: Send> Sync for SpinLock<T> {}

// SAFETY: a `&Guard` gives out `&T`, so sharing the guard shares the value
// (`T: Sync`). Without this impl the guard would be `Sync` whenever
// `T: Send`, and a `Cell` could be shared through it.
unsafe impl<T: Sync> Sync for Guard<'_, T> {}
// ANCHOR_END: type

impl<T> Lock<T> for SpinLock<T> {
    type Guard<'a>
        = Guard<'a, T>
    where
        Self: 'a;

    fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    // ANCHOR: lock
    fn lock(&self) -> Guard<'_, T> {
        loop {
            let attempt = self.locked.compare_exchange_weak(
                false,
                true,
                // Relaxed: the CAS alone decides who gets in.
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
            if attempt.is_ok() {
                return Guard { lock: self };
            }
            // Held, or a spurious failure (weak CAS): we cannot tell, and
            // need not. Wait on plain loads, which share the cache line
            // instead of taking it from the holder, and then try again.
            // Relaxed: only watches for `false`.
            while self.locked.load(Ordering::Relaxed) {
                hint::spin_loop();
            }
        }
    }
    // ANCHOR_END: lock
}

impl<T> TryLock<T> for SpinLock<T> {
    fn try_lock(&self) -> Option<Guard<'_, T>> {
        self.locked
            // Relaxed, both: the CAS alone decides who gets in.
            .compare_exchange(false, true, Ordering::Relaxed, Ordering::Relaxed)
            .ok()
            .map(|_| Guard { lock: self })
    }
}

// ANCHOR: guard
impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        // Relaxed: the next thread only needs to see `false`.
        self.lock.locked.store(false, Ordering::Relaxed);
    }
}

impl<T> Deref for Guard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: this guard holds the lock, so no other thread can write
        // the value until it is dropped, and the borrow cannot outlive it.
        // (That the last holder's writes are visible here is the bug.)
        self.lock.value.with(|value| unsafe { &*value })
    }
}

impl<T> DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: this guard holds the lock, and `&mut self` makes this
        // the only borrow of the value through it.
        self.lock.value.with_mut(|value| unsafe { &mut *value })
    }
}
// ANCHOR_END: guard
