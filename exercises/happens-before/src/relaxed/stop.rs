//! A stop flag: Relaxed, because it tells a worker *when* to stop and hands over no data.

use crate::plain::Plain;
use support::sync::Arc;
use support::sync::atomic::{AtomicBool, Ordering};
use support::thread;

// ANCHOR: stop
/// The main thread lets a worker run, then tells it to stop. The worker writes a report into
/// a plain location, which the main thread reads after the join. Returns the report: how many
/// rounds the worker ran.
pub fn run_then_stop() -> u64 {
    let stop = Arc::new(AtomicBool::new(false));
    let report = Arc::new(Plain::new(0));
    let worker = {
        let (stop, report) = (Arc::clone(&stop), Arc::clone(&report));
        thread::spawn(move || {
            let mut rounds = 0;
            // Relaxed: pairs with nothing. The flag only decides when the loop ends; no
            // data is read on its word.
            while !stop.load(Ordering::Relaxed) {
                rounds += 1;
                thread::yield_now();
            }
            // SAFETY: the main thread reads the report only after joining this thread.
            unsafe { report.write(rounds) };
        })
    };
    thread::yield_now();
    // Relaxed: as above. The worker sees it eventually; the join, not this store, is what
    // makes the report visible.
    stop.store(true, Ordering::Relaxed);
    worker.join().unwrap();
    // SAFETY: the worker's write happens before its end, which happens before the join.
    unsafe { report.read() }
}
// ANCHOR_END: stop
