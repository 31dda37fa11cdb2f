//! Unique IDs: Relaxed, because uniqueness comes from the read-modify-write, not from order.

use support::sync::Arc;
use support::sync::atomic::{AtomicU64, Ordering};
use support::thread;

// ANCHOR: ids
/// Hands out IDs that no two callers share.
pub struct IdSource {
    next: AtomicU64,
}

impl IdSource {
    pub fn new() -> Self {
        IdSource {
            next: AtomicU64::new(0),
        }
    }

    pub fn next_id(&self) -> u64 {
        // Relaxed: pairs with nothing. Every fetch_add reads the latest value in the
        // location's modification order and writes the next, so no two calls get the same
        // number; which thread gets which number is nobody's concern.
        self.next.fetch_add(1, Ordering::Relaxed)
    }
}
// ANCHOR_END: ids

impl Default for IdSource {
    fn default() -> Self {
        Self::new()
    }
}

/// Three threads (two spawned and the main thread) take one ID each; returns them in thread
/// order.
pub fn three_ids() -> [u64; 3] {
    let source = Arc::new(IdSource::new());
    let spawned: Vec<_> = (0..2)
        .map(|_| {
            let source = Arc::clone(&source);
            thread::spawn(move || source.next_id())
        })
        .collect();
    let mine = source.next_id();
    let mut ids = [0; 3];
    for (id, thread) in ids.iter_mut().zip(spawned) {
        *id = thread.join().unwrap();
    }
    ids[2] = mine;
    ids
}
