//! The checker: the loom models that every lock must pass (compiled only under `--cfg loom`).
//!
//! The models are generic over [`Lock`] (and [`TryLock`]), so both broken locks, the fixed one
//! and a reader's attempt are judged by the same code. They are exhaustive: two threads that
//! each take the lock once are few enough interleavings for loom to try them all.

use crate::{Lock, TryLock};
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

/// `try_lock`: one thread takes the lock and adds one while the main thread tries once and, if
/// it gets the lock, adds one too. Whichever order they run in, the total counts exactly the
/// successful attempts, and the two critical sections never race.
pub fn try_lock_hands_the_data_over<L>()
where
    L: TryLock<u64> + Send + Sync + 'static,
{
    support::model(|| {
        let lock = Arc::new(L::new(0));
        let other = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || *lock.lock() += 1)
        };
        let mut taken = 0;
        if let Some(mut guard) = lock.try_lock() {
            *guard += 1;
            taken = 1;
        }
        other.join().unwrap();
        let total = *lock.lock();
        assert_eq!(total, 1 + taken, "lost update: total {total}");
    });
}
