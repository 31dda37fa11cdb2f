//! The sharded counter's API edges (std build).
#![cfg(not(loom))]

use counter::sharded::ShardedCounter;
use std::thread;

#[test]
fn the_shard_count_is_rounded_up_to_a_power_of_two() {
    for (asked, got) in [(1, 1), (2, 2), (3, 4), (5, 8), (8, 8)] {
        assert_eq!(
            ShardedCounter::new(asked).shards(),
            got,
            "asked for {asked}"
        );
    }
}

#[test]
fn a_named_shard_wraps_around() {
    let counter = ShardedCounter::new(3);
    for shard in 0..7 {
        counter.increment_shard(shard);
    }
    counter.increment_shard(usize::MAX);
    assert_eq!(counter.sum(), 8);
}

#[test]
fn each_thread_increments_its_own_shard_and_the_sum_is_exact() {
    let counter = ShardedCounter::new(4);
    thread::scope(|s| {
        for _ in 0..6 {
            s.spawn(|| (0..1000).for_each(|_| counter.increment()));
        }
    });
    assert_eq!(counter.sum(), 6000);
}

#[test]
#[should_panic(expected = "at least one shard")]
fn zero_shards_is_refused() {
    ShardedCounter::new(0);
}

#[test]
#[should_panic(expected = "too many shards")]
fn a_shard_count_with_no_power_of_two_above_it_is_refused() {
    ShardedCounter::new(usize::MAX);
}
