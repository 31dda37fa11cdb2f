// The lock as inherited. It tries to take the flag and, if that fails,
// parks until an unlock wakes it. Every ordering is right, and it passes
// every test on x86.
// Its one mistake is in `lock`: it reads a failed `compare_exchange_weak` as
// "somebody holds the lock". A weak CAS may also fail with nobody holding
// it; then the thread parks waiting for an unlock that nobody will make.

use crate::Lock;
use std::ops::{Deref, DerefMut};
use support::cell::UnsafeCell;
use support::sync::Mutex;
use support::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use support::thread::{Thread, current, park};

/// A lock whose waiters sleep until an unlock wakes them.
pub struct SpinLock<T> {
    locked: AtomicBool,
    /// How many times the lock has been released. A waiter parks only if
    /// no unlock came between its failed CAS and its registration, so it
    /// cannot miss the wake-up (the pattern of a futex wait).
    unlocks: AtomicUsize,
    /// Threads that are parked, or about to park, waiting for an unlock.
    waiters: Mutex<Vec<Thread>>,
    value: UnsafeCell<T>,
}

/// Proof that this thread holds the lock. Dropping it unlocks.
pub struct Guard<'a, T> {
    lock: &'a SpinLock<T>,
}

// SAFETY: as for the fixed lock: one thread at a time gets `&mut T`.
unsafe impl<T: Send> Sync for SpinLock<T> {}
// SAFETY: a shared guard shares the value.
unsafe impl<T: Sync> Sync for Guard<'_, T> {}

impl<T> SpinLock<T> {
    // ANCHOR: lock
    /// One try at the flag: `true` if this thread now holds the lock.
    pub(crate) fn attempt(&self) -> bool {
        self.locked
            .compare_exchange_weak(
                false,
                true,
                // Acquire: pairs with the Release store in `drop`.
                Ordering::Acquire,
                // Relaxed: any failure counts as "held"; the value is unused.
                Ordering::Relaxed,
            )
            .is_ok()
    }

    /// Takes the lock, sleeping until an unlock while another thread has it.
    pub fn lock(&self) -> Guard<'_, T> {
        loop {
            // Acquire: pairs with the Release increment in `drop`, so an
            // unlock counted here also happened before the attempt below.
            let seen = self.unlocks.load(Ordering::Acquire);
            if self.attempt() {
                return Guard { lock: self };
            }
            // THE BUG: "the attempt failed, so somebody holds the lock".
            // A weak CAS can fail spuriously while `locked` is false.
            let mut waiters = self.waiters.lock().unwrap();
            // Relaxed: the mutex orders this with the unlock's increment.
            if self.unlocks.load(Ordering::Relaxed) == seen {
                // No unlock since we looked: sleep until the next one.
                waiters.push(current());
                drop(waiters);
                park();
            }
        }
    }
    // ANCHOR_END: lock
}

impl<T> Lock<T> for SpinLock<T> {
    type Guard<'a>
        = Guard<'a, T>
    where
        Self: 'a;

    fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            unlocks: AtomicUsize::new(0),
            waiters: Mutex::new(Vec::new()),
            value: UnsafeCell::new(value),
        }
    }

    fn lock(&self) -> Guard<'_, T> {
        SpinLock::lock(self)
    }
}

// ANCHOR: unlock
impl<T> Drop for Guard<'_, T> {
    fn drop(&mut self) {
        let lock = self.lock;
        // Release: publishes the critical section to the next Acquire CAS.
        lock.locked.store(false, Ordering::Release);
        let mut waiters = lock.waiters.lock().unwrap();
        // Release: pairs with the Acquire load at the top of `lock`.
        lock.unlocks.fetch_add(1, Ordering::Release);
        for waiter in waiters.drain(..) {
            waiter.unpark();
        }
    }
}
// ANCHOR_END: unlock

impl<T> Deref for Guard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: this guard holds the lock.
        self.lock.value.with(|value| unsafe { &*value })
    }
}

impl<T> DerefMut for Guard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: this guard holds the lock, and `&mut self` is unique.
        self.lock.value.with_mut(|value| unsafe { &mut *value })
    }
}
