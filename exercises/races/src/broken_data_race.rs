// A counter shared between threads with no synchronisation at all, as it turns up when someone
// "just needs it to compile". Two threads call `increment` on one `RacyCounter`: both read and
// write the same plain `u64`, and nothing orders one thread's accesses against the other's.
// That is a data race, which is undefined behaviour. The `unsafe impl Sync` is the lie that
// lets it compile.

use crate::Count;
use support::cell::UnsafeCell;

// ANCHOR: data_race
// ANCHOR: racy_type
/// A plain `u64` that any thread may bump.
pub struct RacyCounter {
    value: UnsafeCell<u64>,
}

// SAFETY: none. "It's only a counter; the worst case is a lost
// increment." The worst case is undefined behaviour.
unsafe impl Sync for RacyCounter {}
// ANCHOR_END: racy_type

impl Count for RacyCounter {
    fn new() -> Self {
        RacyCounter {
            value: UnsafeCell::new(0),
        }
    }

    // ANCHOR: racy_increment
    fn increment(&self) {
        // A plain read, then a plain write: another thread may be doing
        // the same to the same location at the same time.
        // SAFETY: none; this is the data race.
        let now = self.value.with(|p| unsafe { *p });
        // SAFETY: none; this is the data race.
        self.value.with_mut(|p| unsafe { *p = now + 1 });
    }
    // ANCHOR_END: racy_increment

    fn get(&self) -> u64 {
        // SAFETY: called after every incrementing thread was joined.
        self.value.with(|p| unsafe { *p })
    }
}
// ANCHOR_END: data_race

// ANCHOR: bump_hundred
/// One thread's share of the work: a hundred increments, one after the
/// other. Nothing here says another thread may touch the counter
/// meanwhile, so the optimiser may assume none does (`tests/asm.rs`).
#[inline(never)]
pub fn bump_hundred(counter: &RacyCounter) {
    for _ in 0..100 {
        counter.increment();
    }
}
// ANCHOR_END: bump_hundred
