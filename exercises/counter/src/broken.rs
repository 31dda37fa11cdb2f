// The counter most people write first. `cargo xtask learn counter` copies this file to
// `exercises/counter/attempt.rs` for you to fix; the checker must reject it as shipped.

use crate::Count;
use support::sync::atomic::{AtomicU64, Ordering};

// ANCHOR: broken
/// Counts events from many threads... or so it seems.
pub struct Counter {
    value: AtomicU64,
}

impl Count for Counter {
    fn new() -> Self {
        Counter {
            value: AtomicU64::new(0),
        }
    }

    fn increment(&self) {
        // Two separate steps. SeqCst, the strongest ordering there is,
        // does not help: another thread can run between the load and
        // the store.
        let current = self.value.load(Ordering::SeqCst);
        self.value.store(current + 1, Ordering::SeqCst);
    }

    fn get(&self) -> u64 {
        self.value.load(Ordering::SeqCst)
    }
}
// ANCHOR_END: broken
