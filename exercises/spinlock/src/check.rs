//! The checker: the loom model that every lock must pass (compiled only under `--cfg loom`).
//!
//! The model is generic over [`Lock`], so both broken locks, the fixed one and a reader's
//! attempt are judged by the same code. It is exhaustive: two threads that each take the lock
//! once are few enough interleavings for loom to try them all.

use crate::Lock;
use support::sync::Arc;
use support::thread;

// ANCHOR: two_increments
/// Two threads each take the lock once and add one to the value; then the
/// main thread takes it and reads. Both increments must be there, and each
/// critical section must happen before the next one's plain accesses.
pub fn two_increments<L>()
where
    L: Lock<u64> + Send + Sync + 'static,
{
    support::model(|| {
        let lock = Arc::new(L::new(0));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let lock = Arc::clone(&lock);
                thread::spawn(move || *lock.lock() += 1)
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        let total = *lock.lock();
        assert_eq!(total, 2, "lost update: two increments, total {total}");
    });
}
// ANCHOR_END: two_increments
