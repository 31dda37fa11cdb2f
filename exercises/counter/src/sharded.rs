//! A counter split into shards so that contending threads stop sharing one cache line.

use crossbeam_utils::CachePadded;
use support::sync::atomic::{AtomicU64, Ordering};

// ANCHOR: sharded
/// A counter made of independent atomics, each on its own cache line.
///
/// Each thread increments its own shard, so increments do not contend.
/// The trade-off is on the read side: [`sum`](Self::sum) costs one load
/// per shard, and a sum taken while other threads still increment is a
/// moment's approximation. It includes every increment that happened
/// before the call and maybe some that run during it, but it may not
/// equal the total at any single instant. Two sums taken by one thread
/// never go backwards.
pub struct ShardedCounter {
    /// A power of two of them, so `index & (len - 1)` picks one.
    shards: Box<[CachePadded<AtomicU64>]>,
}

impl ShardedCounter {
    /// A counter with `shards` shards rounded up to a power of two.
    ///
    /// # Panics
    /// If `shards` is zero, or too large to round up.
    pub fn new(shards: usize) -> Self {
        assert!(shards > 0, "a sharded counter needs at least one shard");
        let shards = shards
            .checked_next_power_of_two()
            .expect("too many shards: no power of two that large fits in a usize");
        ShardedCounter {
            shards: (0..shards)
                .map(|_| CachePadded::new(AtomicU64::new(0)))
                .collect(),
        }
    }

    // ANCHOR: increment
    /// Adds one to this thread's shard: threads that start incrementing
    /// one after another take the shards in turn.
    pub fn increment(&self) {
        self.increment_shard(thread_index());
    }

    /// Adds one to shard `index` (wrapped to the shard count), for a
    /// caller that already numbers its threads.
    pub fn increment_shard(&self, index: usize) {
        // A mask, not `%`: no division on the hot path.
        let shard = &self.shards[index & (self.shards.len() - 1)];
        // Relaxed: as in `fixed::Counter`, the count publishes nothing,
        // so it pairs with nothing.
        shard.fetch_add(1, Ordering::Relaxed);
    }
    // ANCHOR_END: increment

    /// The sum of all shards: exact once the writers are joined,
    /// approximate while they run.
    pub fn sum(&self) -> u64 {
        self.shards
            .iter()
            // Relaxed: pairs with nothing; each shard's coherence order
            // keeps sums monotonic.
            .map(|shard| shard.load(Ordering::Relaxed))
            .sum()
    }

    /// How many shards there are: a power of two.
    pub fn shards(&self) -> usize {
        self.shards.len()
    }
}

/// This thread's number: 0 for the first thread that asks, 1 for the
/// next, and so on. Taken once per thread, so a thread keeps its shard.
fn thread_index() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // std's atomic even under loom, which cannot build one in a static.
    // It only spreads threads over shards; no count depends on it.
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    fn take() -> usize {
        // Relaxed: pairs with nothing; the RMW alone makes numbers unique.
        NEXT.fetch_add(1, Ordering::Relaxed)
    }
    thread_local!(static INDEX: usize = take());
    INDEX.with(|index| *index)
}
// ANCHOR_END: sharded
