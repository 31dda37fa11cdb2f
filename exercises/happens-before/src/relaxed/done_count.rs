//! A completion count that publishes the results it counts.

use crate::plain::Plain;
use crate::relaxed::{Completion, WORKERS};
use support::sync::atomic::{AtomicUsize, Ordering};

/// Each worker's result, and how many workers have finished.
pub struct DoneCount {
    results: [Plain<u64>; WORKERS],
    done: AtomicUsize,
}

impl Completion for DoneCount {
    fn new() -> Self {
        DoneCount {
            results: [Plain::new(0), Plain::new(0)],
            done: AtomicUsize::new(0),
        }
    }

    // ANCHOR: finish
    unsafe fn finish(&self, worker: usize, result: u64) {
        // SAFETY: this worker's own slot (per the caller); nobody reads it before the
        // count says it is done.
        unsafe { self.results[worker].write(result) };
        // Release: pairs with the Acquire load in `sum_if_all_done`. Each add is a
        // read-modify-write, so it also continues the other worker's release sequence:
        // reading the final count synchronizes with both adds.
        self.done.fetch_add(1, Ordering::Release);
    }
    // ANCHOR_END: finish

    // ANCHOR: sum
    fn sum_if_all_done(&self) -> Option<u64> {
        // Acquire: pairs with the Release adds in `finish`, so both results' writes happen
        // before the reads below.
        if self.done.load(Ordering::Acquire) == WORKERS {
            // SAFETY: both writes happen before these reads (see above).
            Some(self.results.iter().map(|r| unsafe { r.read() }).sum())
        } else {
            None
        }
    }
    // ANCHOR_END: sum
}
