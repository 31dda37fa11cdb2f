//! A counter split into shards so that contending threads stop sharing one cache line.

use crossbeam_utils::CachePadded;
use support::sync::atomic::{AtomicU64, Ordering};

// ANCHOR: sharded
/// A counter made of `shards` independent atomics, each on its own cache line.
///
/// Give each thread its own shard index and increments never contend.
/// The trade-off is on the read side: [`sum`](Self::sum) costs one load
/// per shard, and a sum taken while other threads still increment is a
/// moment's approximation. It includes every increment that happened
/// before the call and maybe some that run during it, but it may not
/// equal the total at any single instant. Two sums taken by one thread
/// never go backwards.
pub struct ShardedCounter {
    shards: Box<[CachePadded<AtomicU64>]>,
}

impl ShardedCounter {
    /// A counter with `shards` shards, all at zero.
    ///
    /// # Panics
    /// If `shards` is zero.
    pub fn new(shards: usize) -> Self {
        assert!(shards > 0, "a sharded counter needs at least one shard");
        ShardedCounter {
            shards: (0..shards)
                .map(|_| CachePadded::new(AtomicU64::new(0)))
                .collect(),
        }
    }

    /// Adds one to shard `shard % shards`. Threads that pass different
    /// shards never contend.
    pub fn increment(&self, shard: usize) {
        // Relaxed: as in `fixed::Counter`, the count publishes nothing,
        // so it pairs with nothing.
        self.shards[shard % self.shards.len()].fetch_add(1, Ordering::Relaxed);
    }

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

    /// How many shards there are.
    pub fn shards(&self) -> usize {
        self.shards.len()
    }
}
// ANCHOR_END: sharded
