// A completion count that started life as a statistics counter ("how many workers are done?")
// and became a flag ("all results are written") without its orderings changing.

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

    // ANCHOR: broken
    unsafe fn finish(&self, worker: usize, result: u64) {
        // SAFETY: this worker's own slot; nobody reads it before the count says so.
        unsafe { self.results[worker].write(result) };
        // "It's only a counter, and counters are Relaxed."
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    fn sum_if_all_done(&self) -> Option<u64> {
        // "Atomic reads of a counter are always exact."
        if self.done.load(Ordering::Relaxed) == WORKERS {
            // SAFETY: the count says both results are written. (Is either write visible?)
            Some(self.results.iter().map(|r| unsafe { r.read() }).sum())
        } else {
            None
        }
    }
    // ANCHOR_END: broken
}
