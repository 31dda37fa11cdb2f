//! The sharded counter's API edges (std build).
#![cfg(not(loom))]

use counter::sharded::ShardedCounter;

#[test]
fn shard_index_wraps_around() {
    let counter = ShardedCounter::new(3);
    for shard in 0..7 {
        counter.increment(shard);
    }
    assert_eq!(counter.shards(), 3);
    assert_eq!(counter.sum(), 7);
}

#[test]
#[should_panic(expected = "at least one shard")]
fn zero_shards_is_refused() {
    ShardedCounter::new(0);
}
