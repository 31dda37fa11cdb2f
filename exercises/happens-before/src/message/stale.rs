//! Lesson 7: an Acquire load receives what the store it *read* published, and nothing else.
//!
//! The writer publishes twice: `first`, then version 1 of `flag`; `second`, then version 2.
//! The reader makes one Acquire load of `flag` and then looks at both data words. Every
//! location is atomic, so no outcome is undefined behaviour, and loom can list them all.

use support::sync::Arc;
use support::sync::atomic::{AtomicU64, Ordering};
use support::thread;

/// What the reader saw: the version of `flag` its Acquire load read, then `first` and
/// `second` (each 0 before the writer sets it, 1 after).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Seen {
    pub flag: u64,
    pub first: u64,
    pub second: u64,
}

struct Shared {
    flag: AtomicU64,
    first: AtomicU64,
    second: AtomicU64,
}

// ANCHOR: versions
/// The writer publishes `first` with version 1 and `second` with version 2; the reader
/// claims whichever version its Acquire load reads.
pub fn publish_twice_read_once() -> Seen {
    let shared = Arc::new(Shared {
        flag: AtomicU64::new(0),
        first: AtomicU64::new(0),
        second: AtomicU64::new(0),
    });
    let writer = {
        let s = Arc::clone(&shared);
        thread::spawn(move || {
            // Relaxed: published by the Release store of version 1 just below.
            s.first.store(1, Ordering::Relaxed);
            // Release: pairs with the reader's Acquire load; version 1 carries `first`.
            s.flag.store(1, Ordering::Release);
            // Relaxed: published by the Release store of version 2 just below.
            s.second.store(1, Ordering::Relaxed);
            // Release: pairs with the reader's Acquire load; version 2 carries both.
            s.flag.store(2, Ordering::Release);
        })
    };
    let reader = {
        let s = Arc::clone(&shared);
        thread::spawn(move || {
            // Acquire: pairs with whichever Release store of `flag` this load reads.
            let flag = s.flag.load(Ordering::Acquire);
            Seen {
                flag,
                // Relaxed: what these may return is exactly what the Acquire above decides.
                first: s.first.load(Ordering::Relaxed),
                // Relaxed: as above.
                second: s.second.load(Ordering::Relaxed),
            }
        })
    };
    writer.join().unwrap();
    reader.join().unwrap()
}
// ANCHOR_END: versions
