//! Lesson 9: Relaxed is correct exactly when you don't care about order.
//!
//! Correct uses, each with a loom model:
//! - [`counter`]: a statistics counter, read after the threads are joined.
//! - [`stop`]: a stop flag that tells a worker to finish and publishes no data.
//! - [`ids`]: unique IDs from `fetch_add`.
//!
//! What Relaxed counters cannot give: [`snapshot`], two counters read together.
//!
//! And the one that is not:
//! - [`broken_done_count::DoneCount`]: a Relaxed count of finished workers that a reader
//!   trusts as "all results are written". [`done_count::DoneCount`] is the fix.

pub mod broken_done_count;
#[cfg(loom)]
pub mod check;
pub mod counter;
pub mod done_count;
pub mod ids;
pub mod snapshot;
pub mod stop;

use support::sync::Arc;
use support::thread;

/// How many workers the completion count waits for.
pub const WORKERS: usize = 2;

/// Workers each write a result and then report that they are done; a reader adds up the
/// results once every worker has reported.
pub trait Completion: Send + Sync + 'static {
    /// No worker has finished.
    fn new() -> Self;

    /// Worker `worker` stores its result and reports that it is done.
    ///
    /// # Safety
    /// Each worker index is used by one thread, once.
    unsafe fn finish(&self, worker: usize, result: u64);

    /// The sum of all results, if every worker has reported.
    fn sum_if_all_done(&self) -> Option<u64>;
}

// ANCHOR: two_workers
/// Two workers finish while a reader checks once. Returns what the reader got.
pub fn two_workers_and_a_reader<C: Completion>() -> Option<u64> {
    let completion = Arc::new(C::new());
    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| {
            let completion = Arc::clone(&completion);
            // SAFETY: one thread per worker index, once.
            thread::spawn(move || unsafe { completion.finish(worker, 1 + worker as u64) })
        })
        .collect();
    let reader = {
        let completion = Arc::clone(&completion);
        thread::spawn(move || completion.sum_if_all_done())
    };
    for worker in workers {
        worker.join().unwrap();
    }
    reader.join().unwrap()
}
// ANCHOR_END: two_workers
