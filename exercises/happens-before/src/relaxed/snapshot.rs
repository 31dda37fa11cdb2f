//! Two Relaxed counters are each exact, and together they are not a snapshot.

use support::sync::Arc;
use support::sync::atomic::{AtomicU64, Ordering};
use support::thread;

/// What the reader saw: the two counters, read one after the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reading {
    pub errors: u64,
    pub requests: u64,
}

// ANCHOR: snapshot
/// A server counts a request, then counts it as an error. A monitoring thread reads `errors`,
/// then `requests`, to report an error rate.
pub fn count_then_read_both() -> Reading {
    let requests = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let server = {
        let (requests, errors) = (Arc::clone(&requests), Arc::clone(&errors));
        thread::spawn(move || {
            // Relaxed: a statistic; pairs with nothing.
            requests.fetch_add(1, Ordering::Relaxed);
            // Relaxed: as above.
            errors.fetch_add(1, Ordering::Relaxed);
        })
    };
    // Relaxed: each load gets some value of its own counter; nothing orders the two loads
    // against the server's two adds as a pair.
    let errors_seen = errors.load(Ordering::Relaxed);
    // Relaxed: as above.
    let requests_seen = requests.load(Ordering::Relaxed);
    server.join().unwrap();
    Reading {
        errors: errors_seen,
        requests: requests_seen,
    }
}
// ANCHOR_END: snapshot
