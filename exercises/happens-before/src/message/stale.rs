//! Lesson 7: an Acquire load receives what the store it *read* published, and nothing else.
//!
//! The writer publishes twice: `first`, then version 1 of `flag`; `second`, then version 2.
//! The reader makes one Acquire load of `flag` and then looks at both data words, `second`
//! before `first`. Every location is atomic, so no outcome is undefined behaviour.
//!
//! [`writer`] and [`reader`] are the two threads. [`publish_twice_read_once`] runs them on real
//! threads (and under loom), and `litmus/stale-read.litmus` hands the same two functions to the
//! model checker, so the program, its loom test and its model test are one source.

use support::sync::Arc;
use support::sync::atomic::{AtomicU64, Ordering};
use support::thread;

/// What the reader saw, as `(flag, first, second)`: the version of `flag` its Acquire load
/// read, then the two data words (each 0 before the writer sets it, 1 after).
pub type Seen = (u64, u64, u64);

/// The three locations the threads share, all atomic, all starting at 0.
pub struct Shared {
    flag: AtomicU64,
    first: AtomicU64,
    second: AtomicU64,
}

impl Default for Shared {
    fn default() -> Self {
        Shared {
            flag: AtomicU64::new(0),
            first: AtomicU64::new(0),
            second: AtomicU64::new(0),
        }
    }
}

// ANCHOR: versions
/// Publishes `first` with version 1 of `flag`, then `second` with version 2.
pub fn writer(s: &Shared) {
    // Relaxed: published by the Release store of version 1 just below.
    s.first.store(1, Ordering::Relaxed);
    // Release: pairs with the reader's Acquire load; version 1 carries `first`.
    s.flag.store(1, Ordering::Release);
    // Relaxed: published by the Release store of version 2 just below.
    s.second.store(1, Ordering::Relaxed);
    // Release: pairs with the reader's Acquire load; version 2 carries both.
    s.flag.store(2, Ordering::Release);
}

/// Claims whichever version its Acquire load reads, then reads the data words in the
/// opposite order to the writer's: `second`, then `first`.
pub fn reader(s: &Shared) -> Seen {
    // Acquire: pairs with whichever Release store of `flag` this load reads.
    let flag = s.flag.load(Ordering::Acquire);
    // Relaxed: what these may return is exactly what the Acquire above decides.
    let second = s.second.load(Ordering::Relaxed);
    // Relaxed: as above.
    let first = s.first.load(Ordering::Relaxed);
    (flag, first, second)
}
// ANCHOR_END: versions

// ANCHOR: spawn
/// Runs [`writer`] and [`reader`] on two threads and returns what the reader saw.
pub fn publish_twice_read_once() -> Seen {
    let shared = Arc::new(Shared::default());
    let writing = {
        let s = Arc::clone(&shared);
        thread::spawn(move || writer(&s))
    };
    let reading = {
        let s = Arc::clone(&shared);
        thread::spawn(move || reader(&s))
    };
    writing.join().unwrap();
    reading.join().unwrap()
}
// ANCHOR_END: spawn
