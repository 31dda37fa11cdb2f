// The solution to `cargo xtask learn spinlock`: a test-and-test-and-set
// lock that hands the guarded data from each holder to the next.

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

impl<T> SpinLock<T> {
    // ANCHOR: new
    /// An unlocked lock around `value`. `const`, so a lock can be a
    /// `static` (`static TOTAL: SpinLock<u64> = SpinLock::new(0);`).
    #[cfg(not(loom))]
    pub const fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }
    // ANCHOR_END: new

    /// The same, under loom, whose atomics cannot be built in a `const`.
    #[cfg(loom)]
    pub fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    // ANCHOR: lock
    /// Waits until no other thread holds the lock, then takes it.
    pub fn lock(&self) -> Guard<'_, T> {
        loop {
            let attempt = self.locked.compare_exchange_weak(
                false,
                true,
                // Success, Acquire: pairs with the Release store in
                // `Guard::drop`, so the last holder's writes happen
                // before everything we do while holding the lock.
                Ordering::Acquire,
                // Failure, Relaxed: a failed attempt receives nothing.
                Ordering::Relaxed,
            );
            if attempt.is_ok() {
                return Guard { lock: self };
            }
            // Held, or a spurious failure (weak CAS): we cannot tell, and
            // need not. Wait on plain loads, which share the cache line
            // instead of taking it from the holder, and then try again.
            // Relaxed: only watches for `false`; the CAS does the Acquire.
            while self.locked.load(Ordering::Relaxed) {
                hint::spin_loop();
            }
        }
    }
    // ANCHOR_END: lock

    // ANCHOR: try_lock
    /// Takes the lock if no other thread holds it, without waiting.
    /// `None` means exactly that: another thread holds the lock. The
    /// strong CAS never fails spuriously, so a free lock is always taken.
    pub fn try_lock(&self) -> Option<Guard<'_, T>> {
        self.locked
            .compare_exchange(
                false,
                true,
                // Success, Acquire: pairs with the Release store in
                // `Guard::drop`, as in `lock`.
                Ordering::Acquire,
                // Failure, Relaxed: the lock is held; nothing is read.
                Ordering::Relaxed,
            )
            .ok()
            .map(|_| Guard { lock: self })
    }
    // ANCHOR_END: try_lock
}

impl<T> Lock<T> for SpinLock<T> {
    type Guard<'a>
        = Guard<'a, T>
    where
        Self: 'a;

    fn new(value: T) -> Self {
        SpinLock::new(value)
    }

    fn lock(&self) -> Guard<'_, T> {
        SpinLock::lock(self)
    }
}

impl<T> TryLock<T> for SpinLock<T> {
    fn try_lock(&self) -> Option<Guard<'_, T>> {
        SpinLock::try_lock(self)
    }
}

// ANCHOR: guard
impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        // Release: publishes this critical section's writes. Pairs with
        // the Acquire CAS in `lock` that takes the lock next.
        self.lock.locked.store(false, Ordering::Release);
    }
}

impl<T> Deref for Guard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: this guard holds the lock, so no other thread can write
        // the value until it is dropped, and the borrow cannot outlive it.
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
