// Two fixes for the racy counter: make the location atomic, or put it behind a lock.

use crate::Count;
use support::sync::Mutex;
use support::sync::atomic::{AtomicU64, Ordering};

// ANCHOR: atomic_counter
/// The counter as one atomic. An atomic access never takes part in a
/// data race, and `fetch_add` is one indivisible read-modify-write, so no
/// increment is lost either.
pub struct AtomicCounter {
    value: AtomicU64,
}

impl Count for AtomicCounter {
    fn new() -> Self {
        AtomicCounter {
            value: AtomicU64::new(0),
        }
    }

    // ANCHOR: atomic_increment
    fn increment(&self) {
        // Relaxed: pairs with nothing. The count publishes no other data;
        // atomicity alone keeps it exact.
        self.value.fetch_add(1, Ordering::Relaxed);
    }
    // ANCHOR_END: atomic_increment

    fn get(&self) -> u64 {
        // Relaxed: the caller joined the incrementing threads, and the
        // joins ordered every increment before this load.
        self.value.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: atomic_counter

// ANCHOR: locked_counter
/// The counter behind a mutex: a plain `u64` again, but only the thread
/// holding the lock touches it. Unlocking happens before the next lock,
/// so each increment sees the one before.
pub struct LockedCounter {
    value: Mutex<u64>,
}

impl Count for LockedCounter {
    fn new() -> Self {
        LockedCounter {
            value: Mutex::new(0),
        }
    }

    fn increment(&self) {
        *self.value.lock().unwrap() += 1;
    }

    fn get(&self) -> u64 {
        *self.value.lock().unwrap()
    }
}
// ANCHOR_END: locked_counter
