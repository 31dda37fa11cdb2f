//! The checker: loom models that every counter must pass (compiled only under `--cfg loom`).
//!
//! Each model is generic over [`Count`], so the broken counter, the fixed one and a
//! reader's attempt are judged by the same code.

use crate::Count;
use crate::sharded::ShardedCounter;
use support::sync::Arc;
use support::thread;

// ANCHOR: two_increments
/// Two threads increment once each; once both are joined, the counter
/// must read 2. Exhaustive: loom runs every interleaving (a handful).
pub fn two_increments<C: Count>() {
    support::model(|| {
        let counter = Arc::new(C::new());
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || counter.increment())
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        let total = counter.get();
        assert_eq!(
            total, 2,
            "lost update: two threads incremented once each, \
             but the counter reads {total}"
        );
    });
}
// ANCHOR_END: two_increments

/// Three threads increment twice each while the main thread reads: the final value is
/// exact, and the reads in between never go backwards (coherence, even with Relaxed).
///
/// Bounded to 2 preemptions: unbounded this is thousands of executions, and a lost update
/// needs only one preemption (between a thread's load and its store), so the bound still
/// finds the bug in any counter that has it.
pub fn three_threads_with_reader<C: Count>() {
    support::model_with_preemption_bound(2, || {
        let counter = Arc::new(C::new());
        let handles: Vec<_> = (0..3)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    counter.increment();
                    counter.increment();
                })
            })
            .collect();
        let first = counter.get();
        let second = counter.get();
        assert!(
            first <= second,
            "a read went backwards: {first} then {second}"
        );
        for handle in handles {
            handle.join().unwrap();
        }
        let total = counter.get();
        assert_eq!(
            total, 6,
            "lost update: three threads incremented twice each, but the counter reads {total}"
        );
    });
}

/// Two threads increment a two-shard counter (on different shards, then on the same one)
/// while the main thread sums: sums never go backwards nor exceed the final total, and
/// the final sum is exact. Exhaustive.
///
/// The shards are named (`increment_shard`) rather than taken from the thread's number
/// (`increment`): loom runs every thread of a model on one OS thread, so std's thread-local
/// number would put them all on one shard.
pub fn sharded_sums() {
    support::model(|| {
        let counter = Arc::new(ShardedCounter::new(2));
        let handles: Vec<_> = (0..2)
            .map(|shard| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    counter.increment_shard(shard);
                    counter.increment_shard(0);
                })
            })
            .collect();
        let first = counter.sum();
        let second = counter.sum();
        assert!(
            first <= second,
            "a sum went backwards: {first} then {second}"
        );
        assert!(
            second <= 4,
            "a sum counted increments that never happened: {second}"
        );
        for handle in handles {
            handle.join().unwrap();
        }
        let total = counter.sum();
        assert_eq!(
            total, 4,
            "lost update: four increments, but the sum is {total}"
        );
    });
}
